#include "content/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kohtaamo {
namespace {

struct BandRange {
    int minAge;
    int maxAge;
};

BandRange rangeOf(AgeBand band)
{
    switch (band) {
    case AgeBand::Baby: return {0, 1};
    case AgeBand::Toddler: return {1, 3};
    case AgeBand::Preschool: return {3, 6};
    case AgeBand::School: return {7, 12};
    case AgeBand::Youth: return {13, 17};
    case AgeBand::Parents: break;
    }
    return {18, 200};
}

// Activities held without a stated language are in Finnish, the default in Finnish feeds.
bool heldIn(const std::vector<std::string>& languages, std::string_view language)
{
    if (language.empty()) return true;
    if (languages.empty()) return language == "fi";
    return std::find(languages.begin(), languages.end(), language) != languages.end();
}

// A sorted array of positions rather than a hash map: 4 bytes a record instead of a node each.
// Stable, so when two sources use one id the record of the first source (by id) is found.
template <class Record>
void indexById(const std::vector<Record>& records, std::vector<std::uint32_t>& index)
{
    index.resize(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) index[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(index.begin(), index.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return records[a].id < records[b].id; });
}

template <class Record>
const Record* lookup(const std::vector<Record>& records, const std::vector<std::uint32_t>& index, std::string_view id)
{
    auto it = std::lower_bound(index.begin(), index.end(), id,
                               [&](std::uint32_t position, std::string_view wanted) { return records[position].id < wanted; });
    return it == index.end() || records[*it].id != id ? nullptr : &records[*it];
}

} // namespace

SnapshotWindow SnapshotWindow::around(Instant now, int daysBack, int daysAhead, const TimeZone& zone)
{
    const LocalDate today = zone.localDate(now);
    return SnapshotWindow{zone.toInstant(LocalDateTime{today - date::days{daysBack}}),
                          zone.toInstant(LocalDateTime{today + date::days{daysAhead}})};
}

bool audienceMatches(const Audience& audience, AgeBand band)
{
    if (band == AgeBand::Parents) return audience.parents;
    // No ages given means the whole family is welcome, unless it is explicitly for the adults.
    if (!audience.minAge && !audience.maxAge) return !audience.parents;
    const BandRange range = rangeOf(band);
    const int minAge = audience.minAge.value_or(0);
    const int maxAge = audience.maxAge.value_or(200);
    // Ages are whole years: a 0–1 group and a 1–3 group both suit a child turning one.
    return minAge <= range.maxAge && maxAge >= range.minAge;
}

std::shared_ptr<const Snapshot> Snapshot::build(SourceContent content, std::vector<SourceState> sources,
                                                SnapshotWindow window)
{
    auto body = std::make_shared<Body>();
    body->content = std::move(content);
    body->window = window;
    indexById(body->content.places, body->placeIndex);
    indexById(body->content.services, body->serviceIndex);
    indexById(body->content.events, body->eventIndex);

    for (const Event& event : body->content.events) {
        auto occurrences = expandOccurrences(event, window.from, window.to);
        if (!occurrences) {
            body->problems.push_back(
                fmt::format("event {} ({}): {}", event.id, event.provenance.sourceId, occurrences.error().message));
            continue;
        }
        for (const Occurrence& occurrence : *occurrences) {
            body->occurrences.push_back(EventOccurrence{&event, occurrence});
        }
    }
    // Grown by doubling while expanding; the snapshot lives for hours, so it keeps no slack.
    body->occurrences.shrink_to_fit();
    std::stable_sort(body->occurrences.begin(), body->occurrences.end(),
                     [](const EventOccurrence& a, const EventOccurrence& b) {
                         return a.occurrence.start < b.occurrence.start;
                     });
    body->indexSessionsByEvent();
    std::shared_ptr<Snapshot> snapshot(new Snapshot());
    snapshot->m_body = std::move(body);
    snapshot->m_sources = std::move(sources);
    return snapshot;
}

std::shared_ptr<const Snapshot> Snapshot::withSources(std::vector<SourceState> sources) const
{
    std::shared_ptr<Snapshot> snapshot(new Snapshot());
    snapshot->m_body = m_body;
    snapshot->m_sources = std::move(sources);
    return snapshot;
}

void Snapshot::Body::indexSessionsByEvent()
{
    // Two flat arrays (counting sort by event) instead of a vector per event: 300 KB for a large
    // region instead of over a megabyte of small allocations.
    const std::vector<Event>& events = content.events;
    const auto eventIndex = [&](const EventOccurrence& item) { return static_cast<std::size_t>(item.event - events.data()); };
    sessionsStart.assign(events.size() + 1, 0);
    for (const EventOccurrence& item : occurrences) ++sessionsStart[eventIndex(item) + 1];
    for (std::size_t i = 1; i < sessionsStart.size(); ++i) sessionsStart[i] += sessionsStart[i - 1];
    sessionsByEvent.resize(occurrences.size());
    std::vector<std::uint32_t> next(sessionsStart.begin(), sessionsStart.end() - 1);
    for (std::size_t i = 0; i < occurrences.size(); ++i) {
        sessionsByEvent[next[eventIndex(occurrences[i])]++] = static_cast<std::uint32_t>(i);
    }
}

std::optional<Instant> Snapshot::lastUpdated() const
{
    std::optional<Instant> latest;
    for (const auto& source : m_sources) {
        const auto updated = source.lastSuccess ? source.lastSuccess : source.appliedAt;
        if (updated && (!latest || *updated > *latest)) latest = updated;
    }
    return latest;
}

const Place* Snapshot::place(std::string_view id) const { return lookup(m_body->content.places, m_body->placeIndex, id); }
const Service* Snapshot::service(std::string_view id) const { return lookup(m_body->content.services, m_body->serviceIndex, id); }
const Event* Snapshot::event(std::string_view id) const { return lookup(m_body->content.events, m_body->eventIndex, id); }

std::vector<EventOccurrence> Snapshot::occurrencesOf(const Event& event) const
{
    std::vector<EventOccurrence> result;
    const std::vector<Event>& events = m_body->content.events;
    // An event of another snapshot has no sessions here.
    const std::less<const Event*> before;
    if (before(&event, events.data()) || !before(&event, events.data() + events.size())) return result;
    const auto index = static_cast<std::size_t>(&event - events.data());
    for (std::uint32_t i = m_body->sessionsStart[index]; i < m_body->sessionsStart[index + 1]; ++i) {
        result.push_back(m_body->occurrences[m_body->sessionsByEvent[i]]);
    }
    return result;
}

std::vector<std::uint32_t> Snapshot::occurrenceIndices(const EventQuery& query) const
{
    std::vector<std::uint32_t> result;
    // Occurrences are sorted by start; anything starting at or after `to` cannot match.
    auto last = std::lower_bound(m_body->occurrences.begin(), m_body->occurrences.end(), query.to,
                                 [](const EventOccurrence& o, Instant t) { return o.occurrence.start < t; });
    for (auto it = m_body->occurrences.begin(); it != last; ++it) {
        const Occurrence& occurrence = it->occurrence;
        const Event& event = *it->event;
        const bool ongoing = occurrence.end > query.from || (occurrence.end == occurrence.start && occurrence.start >= query.from);
        if (!ongoing) continue;
        if (!query.includeCancelled && occurrence.status == EventStatus::Cancelled) continue;
        if (query.ageBand && !audienceMatches(event.audience, *query.ageBand)) continue;
        if (!heldIn(event.languages, query.language)) continue;
        if (query.category && event.category != *query.category) continue;
        if (!query.placeId.empty() && event.placeId != query.placeId) continue;
        if (query.freeOnly && event.cost.isFree != true) continue;
        if (query.dropInOnly && event.registration != Registration::NotNeeded) continue;
        result.push_back(static_cast<std::uint32_t>(it - m_body->occurrences.begin()));
    }
    return result;
}

std::vector<EventOccurrence> Snapshot::occurrences(const EventQuery& query) const
{
    const auto indices = occurrenceIndices(query);
    std::vector<EventOccurrence> result;
    result.reserve(indices.size());
    for (std::uint32_t index : indices) result.push_back(m_body->occurrences[index]);
    return result;
}

std::vector<const Service*> Snapshot::services(const ServiceQuery& query) const
{
    std::vector<const Service*> result;
    for (const Service& service : m_body->content.services) {
        if (query.category && service.category != *query.category) continue;
        if (query.ageBand && !audienceMatches(service.audience, *query.ageBand)) continue;
        if (!heldIn(service.languages, query.language)) continue;
        if (!query.placeId.empty() &&
            std::find(service.placeIds.begin(), service.placeIds.end(), query.placeId) == service.placeIds.end()) {
            continue;
        }
        result.push_back(&service);
    }
    return result;
}

std::vector<const Announcement*> Snapshot::announcementsAt(Instant t, std::string_view placeId) const
{
    std::vector<const Announcement*> result;
    for (const Announcement& announcement : m_body->content.announcements) {
        if (!announcement.isValidAt(t)) continue;
        if (!announcement.placeId.empty() && announcement.placeId != placeId) continue;
        result.push_back(&announcement);
    }
    return result;
}

std::vector<PlaceNow> Snapshot::placesAt(Instant t) const
{
    std::vector<PlaceNow> result;
    for (const Place& place : m_body->content.places) {
        if (place.hours.empty()) continue;
        PlaceNow now{&place, openIntervalAt(place.hours, t), openIntervalAt(place.hours, t, TimeZone::helsinki(),
                                                                             HoursFilter::DropInOnly)};
        if (!now.nextDropIn) now.nextDropIn = nextOpening(place.hours, t, TimeZone::helsinki(), HoursFilter::DropInOnly);
        result.push_back(now);
    }
    return result;
}

} // namespace kohtaamo
