#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// Categories (neuvola, perheneuvola, …) → the services in one → a service's detail.
class ServicesScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

private:
    struct Row {
        const Service* service = nullptr;
        ui::Card card;
    };
    void drawCategories(const UiContext& ctx);
    void drawList(const UiContext& ctx, ServiceCategory category);
    void refresh(const UiContext& ctx);
    CacheKey m_cacheKey;
    std::vector<std::size_t> m_counts;   ///< services per category, in kCategories order
    std::vector<Row> m_rows;             ///< the chosen category's services
    ui::TouchScroller m_scroller;
    ui::VirtualList m_list;
};

} // namespace kohtaamo
