#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// Today: announcements, what is open now and the next drop-in times, and today's events.
class HomeScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    void drawOpenNow(const UiContext& ctx, ImVec2 size);
    void drawToday(const UiContext& ctx, ImVec2 size);
    void refresh(const UiContext& ctx);
    CacheKey m_cacheKey;
    std::vector<PlaceNow> m_places;
    std::vector<EventOccurrence> m_today;
    ui::TouchScroller m_placesScroller;
    ui::TouchScroller m_todayScroller;
};

} // namespace kohtaamo
