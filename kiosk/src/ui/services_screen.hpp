#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// Categories (neuvola, perheneuvola, …) → the services in one → a service's detail.
class ServicesScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    void drawCategories(const UiContext& ctx);
    void drawList(const UiContext& ctx, ServiceCategory category);
    ui::TouchScroller m_scroller;
};

} // namespace kohtaamo
