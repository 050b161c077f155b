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
    std::shared_ptr<Snapshot> snapshot(new Snapshot());
    snapshot->m_content = std::move(content);
    snapshot->m_sources = std::move(sources);
    snapshot->m_window = window;
    indexById(snapshot->m_content.places, snapshot->m_placeIndex);
    indexById(snapshot->m_content.services, snapshot->m_serviceIndex);
    indexById(snapshot->m_content.events, snapshot->m_eventIndex);

    for (const Event& event : snapshot->m_content.events) {
        auto occurrences = expandOccurrences(event, window.from, window.to);
        if (!occurrences) {
            snapshot->m_problems.push_back(
                fmt::format("event {} ({}): {}", event.id, event.provenance.sourceId, occurrences.error().message));
            continue;
        }
        for (const Occurrence& occurrence : *occurrences) {
            snapshot->m_occurrences.push_back(EventOccurrence{&event, occurrence});
        }
    }
    // Grown by doubling while expanding; the snapshot lives for hours, so it keeps no slack.
    snapshot->m_occurrences.shrink_to_fit();
    std::stable_sort(snapshot->m_occurrences.begin(), snapshot->m_occurrences.end(),
                     [](const EventOccurrence& a, const EventOccurrence& b) {
                         return a.occurrence.start < b.occurrence.start;
                     });
    snapshot->indexSessionsByEvent();
    return snapshot;
}

void Snapshot::indexSessionsByEvent()
{
    // Two flat arrays (counting sort by event) instead of a vector per event: 300 KB for a large
    // region instead of over a megabyte of small allocations.
    const std::vector<Event>& events = m_content.events;
    const auto eventIndex = [&](const EventOccurrence& item) { return static_cast<std::size_t>(item.event - events.data()); };
    m_sessionsStart.assign(events.size() + 1, 0);
    for (const EventOccurrence& item : m_occurrences) ++m_sessionsStart[eventIndex(item) + 1];
    for (std::size_t i = 1; i < m_sessionsStart.size(); ++i) m_sessionsStart[i] += m_sessionsStart[i - 1];
    m_sessionsByEvent.resize(m_occurrences.size());
    std::vector<std::uint32_t> next(m_sessionsStart.begin(), m_sessionsStart.end() - 1);
    for (std::size_t i = 0; i < m_occurrences.size(); ++i) {
        m_sessionsByEvent[next[eventIndex(m_occurrences[i])]++] = static_cast<std::uint32_t>(i);
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

const Place* Snapshot::place(std::string_view id) const { return lookup(m_content.places, m_placeIndex, id); }
const Service* Snapshot::service(std::string_view id) const { return lookup(m_content.services, m_serviceIndex, id); }
const Event* Snapshot::event(std::string_view id) const { return lookup(m_content.events, m_eventIndex, id); }

std::vector<EventOccurrence> Snapshot::occurrencesOf(const Event& event) const
{
    std::vector<EventOccurrence> result;
    const std::vector<Event>& events = m_content.events;
    // An event of another snapshot has no sessions here.
    const std::less<const Event*> before;
    if (before(&event, events.data()) || !before(&event, events.data() + events.size())) return result;
    const auto index = static_cast<std::size_t>(&event - events.data());
    for (std::uint32_t i = m_sessionsStart[index]; i < m_sessionsStart[index + 1]; ++i) {
        result.push_back(m_occurrences[m_sessionsByEvent[i]]);
    }
    return result;
}

std::vector<std::uint32_t> Snapshot::occurrenceIndices(const EventQuery& query) const
{
    std::vector<std::uint32_t> result;
    // Occurrences are sorted by start; anything starting at or after `to` cannot match.
    auto last = std::lower_bound(m_occurrences.begin(), m_occurrences.end(), query.to,
                                 [](const EventOccurrence& o, Instant t) { return o.occurrence.start < t; });
    for (auto it = m_occurrences.begin(); it != last; ++it) {
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
        result.push_back(static_cast<std::uint32_t>(it - m_occurrences.begin()));
    }
    return result;
}

std::vector<EventOccurrence> Snapshot::occurrences(const EventQuery& query) const
{
    const auto indices = occurrenceIndices(query);
    std::vector<EventOccurrence> result;
    result.reserve(indices.size());
    for (std::uint32_t index : indices) result.push_back(m_occurrences[index]);
    return result;
}

std::vector<const Service*> Snapshot::services(const ServiceQuery& query) const
{
    std::vector<const Service*> result;
    for (const Service& service : m_content.services) {
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
    for (const Announcement& announcement : m_content.announcements) {
        if (!announcement.isValidAt(t)) continue;
        if (!announcement.placeId.empty() && announcement.placeId != placeId) continue;
        result.push_back(&announcement);
    }
    return result;
}

std::vector<PlaceNow> Snapshot::placesAt(Instant t) const
{
    std::vector<PlaceNow> result;
    for (const Place& place : m_content.places) {
        if (place.hours.empty()) continue;
        PlaceNow now{&place, openIntervalAt(place.hours, t), openIntervalAt(place.hours, t, TimeZone::helsinki(),
                                                                             HoursFilter::DropInOnly)};
        if (!now.nextDropIn) now.nextDropIn = nextOpening(place.hours, t, TimeZone::helsinki(), HoursFilter::DropInOnly);
        result.push_back(now);
    }
    return result;
}

} // namespace kohtaamo
