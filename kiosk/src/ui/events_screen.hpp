#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// The next 14 days by day, with the filters families use: age, type, language, free, drop-in.
class EventsScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    /// A day heading or a session.
    struct Row {
        std::optional<LocalDate> day;
        EventOccurrence item;
    };
    void drawFilters(const UiContext& ctx);
    void refresh(const UiContext& ctx);
    CacheKey m_cacheKey;
    std::vector<Row> m_rows;
    std::size_t m_sessionCount = 0;
    ui::TouchScroller m_scroller;
    ui::TouchScroller m_filterScroller;
    ui::VirtualList m_list;
};

} // namespace kohtaamo
