#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// The week's open-door hours per meeting place, "open now" marked, closures shown with their notes.
/// Everything shown is worked out when the snapshot, minute or language changes, and only the
/// places in view are drawn, so a region with thousands of meeting places scrolls smoothly.
class DropInScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    struct DayLine {
        std::string day;
        std::string hours;
        bool today = false;
        bool closed = false;
    };
    struct PlaceWeek {
        const Place* place = nullptr;
        ui::Card header;
        std::vector<DayLine> days;
    };
    void refresh(const UiContext& ctx);
    [[nodiscard]] float placeHeight(const UiContext& ctx, const PlaceWeek& week, float width) const;
    void drawPlace(const UiContext& ctx, const PlaceWeek& week, std::size_t index, float width);
    CacheKey m_cacheKey;
    std::vector<PlaceWeek> m_places;
    ui::TouchScroller m_scroller;
    ui::VirtualList m_list;
};

} // namespace kohtaamo
