#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// The week's open-door hours per meeting place, "open now" marked, closures shown with their notes.
class DropInScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    struct DayLine {
        LocalDate day;
        std::vector<OpenInterval> intervals;
        std::vector<const LocalizedText*> notes;
        bool closedByException = false;
    };
    struct PlaceWeek {
        const Place* place = nullptr;
        bool openNow = false;
        std::vector<DayLine> days;
    };
    void refresh(const UiContext& ctx);
    CacheKey m_cacheKey;
    std::vector<PlaceWeek> m_places;
    ui::TouchScroller m_scroller;
};

} // namespace kohtaamo
