#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// A place, service or event: what, for whom, when and where, contact details, accessibility,
/// and QR codes (web page, calendar entry, phone) so a family takes it along without typing.
class DetailScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

    /// The QR payloads for an item, in display order: (label key, text).
    using QrCodes = std::vector<std::pair<std::string_view, std::string>>;

private:
    void drawPlace(const UiContext& ctx, const Place& place);
    void drawService(const UiContext& ctx, const Service& service);
    void drawEvent(const UiContext& ctx, const Event& event);
    void drawQrCodes(const UiContext& ctx, const QrCodes& codes, bool vertical);
    [[nodiscard]] const std::vector<EventOccurrence>& eventsAt(const UiContext& ctx, const Place& place);
    CacheKey m_placeEventsKey;
    std::vector<EventOccurrence> m_placeEvents;
    ui::TouchScroller m_scroller;
};

/// iCalendar text for one session, for the "add to calendar" QR code.
[[nodiscard]] std::string calendarEntry(const Occurrence& occurrence, std::string_view title,
                                        std::string_view location);

} // namespace kohtaamo
