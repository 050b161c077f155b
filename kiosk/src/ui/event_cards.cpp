#include "event_cards.hpp"

#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo::ui {

Card eventCard(const UiContext& ctx, const EventOccurrence& item, bool withDay)
{
    const Event& event = *item.event;
    const Occurrence& occurrence = item.occurrence;
    Card card;
    card.leading = occurrence.allDay ? std::string(ctx.t("event.all_day"))
                                     : timeRange(occurrence.start, occurrence.end);
    if (withDay) {
        card.leading = relativeDay(ctx, TimeZone::helsinki().localDate(occurrence.start)) + "\n" + card.leading;
    }
    card.title = std::string(ctx.text(item.title()));
    const Place* place = ctx.snapshot.place(event.placeId);
    card.line1 = place ? std::string(ctx.text(place->name)) : std::string(ctx.text(event.locationText));
    std::string details = audienceLabel(ctx, event.audience);
    if (!event.languages.empty() && !(event.languages.size() == 1 && event.languages[0] == "fi")) {
        details += " · " + languagesLabel(event.languages);
    }
    card.line2 = details;
    const Palette& p = ctx.palette;
    switch (occurrence.status) {
    case EventStatus::Cancelled:
        card.badges.push_back({std::string(ctx.t("event.cancelled")), p.cancelled, p.onCancelled});
        card.struckThrough = true;
        break;
    case EventStatus::Postponed:
        card.badges.push_back({std::string(ctx.t("event.postponed")), p.cancelled, p.onCancelled});
        break;
    case EventStatus::Rescheduled:
        card.badges.push_back({std::string(ctx.t("event.rescheduled")), p.announcement, p.onAnnouncement});
        break;
    case EventStatus::Scheduled: break;
    }
    if (occurrence.status != EventStatus::Cancelled && occurrence.start <= ctx.now && ctx.now < occurrence.end) {
        card.badges.push_back({std::string(ctx.t("event.ongoing")), p.open, p.onOpen});
    }
    if (event.registration == Registration::Required) {
        card.badges.push_back({std::string(ctx.t("event.registration")), p.primary, p.onPrimary});
    }
    if (event.cost.isFree == true) card.badges.push_back({std::string(ctx.t("event.free")), p.open, p.onOpen});
    return card;
}

void eventCardButton(const UiContext& ctx, const EventOccurrence& item, bool withDay, int index)
{
    if (card(ctx, fmt::format("##event-{}", index), eventCard(ctx, item, withDay))) {
        ctx.state.openDetail(DetailTarget{DetailKind::Event, item.event->id, item.occurrence.start});
    }
}

} // namespace kohtaamo::ui
