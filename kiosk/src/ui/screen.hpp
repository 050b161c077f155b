#pragma once
// A screen draws only its own content into the area the chrome leaves it.

#include "chrome.hpp"
#include "ui_context.hpp"

namespace kohtaamo {

class ScreenView {
public:
    virtual ~ScreenView() = default;
    virtual void draw(const UiContext& ctx, const ContentArea& area) = 0;
};

} // namespace kohtaamo
