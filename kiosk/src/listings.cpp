#include "listings.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <sstream>

namespace kohtaamo {
namespace {

// TSV fields cannot hold tabs or newlines; staff texts sometimes do.
std::string tsvField(std::string_view text)
{
    std::string field(text);
    std::replace_if(field.begin(), field.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return field;
}

std::string_view intervalKind(const OpenInterval& interval)
{
    if (interval.fromException) return "exception";
    return interval.kind == HoursKind::DropIn ? "drop-in" : "regular";
}

std::string clock(Instant t) { return formatLocalDateTime(TimeZone::helsinki().toLocal(t)).substr(11, 5); }

} // namespace

void listEvents(const Snapshot& snapshot, Instant from, Instant to, std::ostream& out)
{
    for (const EventOccurrence& item : snapshot.occurrences(EventQuery{.from = from, .to = to})) {
        const Event& event = *item.event;
        fmt::print(out, "{}\t{}\t{}\t{}\t{}\t{}\n", event.provenance.sourceId, tsvField(event.provenance.upstreamId),
                   formatIso(item.occurrence.start, TimeZone::helsinki()),
                   formatIso(item.occurrence.end, TimeZone::helsinki()), toKey(item.occurrence.status),
                   tsvField(item.title().in("fi")));
    }
}

void listOpenings(const Snapshot& snapshot, Instant from, Instant to, std::ostream& out)
{
    struct Row {
        const Place* place;
        OpenInterval interval;
    };
    std::vector<Row> rows;
    for (const Place& place : snapshot.places()) {
        for (const OpenInterval& interval : openingsBetween(place.hours, from, to)) rows.push_back({&place, interval});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.interval.start != b.interval.start ? a.interval.start < b.interval.start : a.place->id < b.place->id;
    });
    for (const Row& row : rows) {
        fmt::print(out, "{}\t{}\t{}\t{}\t{}\n", row.place->id, formatIso(row.interval.start, TimeZone::helsinki()),
                   formatIso(row.interval.end, TimeZone::helsinki()), intervalKind(row.interval),
                   row.interval.note ? tsvField(row.interval.note->in("fi")) : std::string());
    }
}

void printHome(const Snapshot& snapshot, const SiteConfig& site, std::string_view language, Instant now,
               std::ostream& out)
{
    LanguageOrder order{std::string(language)};
    order.insert(order.end(), site.fallback.begin(), site.fallback.end());
    const TimeZone& zone = TimeZone::helsinki();
    fmt::print(out, "Kohtaamo — {}\n", formatIso(now, zone));
    if (snapshot.empty()) {
        fmt::print(out, "\nNo content yet.\n");
        return;
    }
    // Offline kiosks keep showing the cache; how old it is matters as much as what it says.
    if (const auto updated = snapshot.lastUpdated()) {
        const auto age = std::chrono::duration_cast<std::chrono::minutes>(now - *updated);
        fmt::print(out, "Content updated {} ({} h {} min ago)\n", formatIso(*updated, zone), age.count() / 60,
                   age.count() % 60);
    }
    for (const SourceState& source : snapshot.sources()) {
        if (!source.error.empty()) fmt::print(out, "Source {} failed: {}\n", source.id, source.error);
    }
    fmt::print(out, "\nAnnouncements\n");
    for (const Announcement* announcement : snapshot.announcementsAt(now, site.placeId)) {
        fmt::print(out, "  * {}\n", announcement->title.in(order));
    }
    fmt::print(out, "\nOpen now / next drop-in\n");
    for (const PlaceNow& state : snapshot.placesAt(now)) {
        const std::string open = state.openNow ? fmt::format("open until {}", clock(state.openNow->end)) : "closed";
        const std::string dropIn =
            state.nextDropIn ? fmt::format("drop-in {} {}–{}", formatDate(zone.localDate(state.nextDropIn->start)),
                                           clock(state.nextDropIn->start), clock(state.nextDropIn->end))
                             : std::string();
        fmt::print(out, "  {:<48} {:<18} {}\n", state.place->name.in(order), open, dropIn);
    }
    const LocalDate today = zone.localDate(now);
    fmt::print(out, "\nToday\n");
    const EventQuery todayQuery{.from = now, .to = zone.toInstant(LocalDateTime{today + date::days{1}})};
    for (const EventOccurrence& item : snapshot.occurrences(todayQuery)) {
        const Place* place = snapshot.place(item.event->placeId);
        fmt::print(out, "  {}–{}  {}{}  @ {}\n", clock(item.occurrence.start), clock(item.occurrence.end),
                   item.title().in(order), item.occurrence.status == EventStatus::Cancelled ? " [cancelled]" : "",
                   place ? place->name.in(order) : item.event->locationText.in(order));
    }
}

void printIndented(std::ostream& out, std::string_view text, std::string_view indent)
{
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) out << indent << line << '\n';
}

} // namespace kohtaamo
