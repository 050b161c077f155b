#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// The next 14 days by day, with the filters families use: age, type, language, free, drop-in.
class EventsScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    /// A day heading or a session (a position in the snapshot's occurrences(): a large region
    /// lists 50,000 sessions, and a copy of each would be 2 MB).
    struct Row {
        static constexpr std::uint32_t kHeading = UINT32_MAX;
        LocalDate day;
        std::uint32_t session = kHeading;
        [[nodiscard]] bool isHeading() const { return session == kHeading; }
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
