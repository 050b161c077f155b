#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// Behind the PIN: per-source sync status, content age, version and device, "Sync now" and,
/// when the config allows it, "Exit".
class StaffScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    ui::TouchScroller m_scroller;
};

} // namespace kohtaamo
