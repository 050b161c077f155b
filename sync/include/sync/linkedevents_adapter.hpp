#pragma once
// Linked Events (v1) → events and their places (../shared/domain/events.md §1).
//
// The source's `url` is an event-list URL as a person pastes it, filters included
// (https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354). The fetch adds the time window
// (today's local midnight and N days ahead, as UTC with Z), include=location, page_size=100 and a
// sort, follows meta.next to the end, and between daily full fetches asks only for what changed
// (last_modified_since with show_deleted=true). The mapping (pure JSON → model) is separate, so it
// is tested on real payloads.
//
// Series: a recurring super event (the container Linked Events' editor makes for a series, whose
// start and end span months) is never shown; its sub events are kept as one-off events whose id is
// "<super event id>/<own id>", so the UI can group a series by the part before the "/". The event's
// own Linked Events id is in provenance.upstreamId. Umbrella super events (festivals) stay events.

#include "sync/catalogue_fetch.hpp"
#include "sync/feed.hpp"
#include "sync/http_client.hpp"
#include "sync/kiosk_config.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kohtaamo {

/// A Linked Events source's settings, from its `[[source]]` table.
///
///     [[source]]
///     id = "hel-perhe"
///     kind = "linkedevents"
///     url = "https://api.hel.fi/linkedevents/v1/event/?keyword=yso:p4354&division=malmi"
///     days_ahead = 30                  # the window fetched: today … N days ahead
///     category = "peer_group"          # default other; keyword_categories refine it per event
///     keyword_categories = ["yso:p4354=peer_group"]
///     registration = "none"            # unless an event has enrolment times or a registration
///     languages = ["fi", "sv", "en"]   # texts kept; absent = every language
struct LinkedEventsOptions {
    std::string endpoint;                                     ///< the list URL without its query
    std::vector<std::pair<std::string, std::string>> filters; ///< the URL's own parameters, as written
    std::vector<std::string> include{"location"};             ///< include=, with the URL's own additions
    int daysAhead = 30;
    EventCategory category = EventCategory::Other;
    std::vector<std::pair<std::string, EventCategory>> keywordCategories;   ///< first match wins
    Registration registration = Registration::NotNeeded;
    std::vector<std::string> languages;                       ///< empty: keep every language
    std::chrono::minutes overlap{10};                         ///< subtracted for last_modified_since
};

/// Reads and checks a `linkedevents` source's settings; a bad value fails naming the key. The URL's
/// own start, end, days, page, page_size, sort, last_modified_since and show_deleted are replaced
/// by the fetch's.
[[nodiscard]] Result<LinkedEventsOptions> linkedEventsOptions(const SourceConfig& source);

/// The first page's URL for a window starting at `windowStart`: a full fetch, or with `changedSince`
/// only what changed since then (deleted events included).
[[nodiscard]] std::string linkedEventsUrl(const LinkedEventsOptions& options, Instant windowStart,
                                          std::optional<Instant> changedSince = std::nullopt);

/// Pure mapping, no network: Linked Events JSON → events and places. Each document may be a list
/// page ({"meta", "data"}), an array of events, or one event. Events are de-duplicated by id (the
/// last wins); recurring containers are left out; deleted events are left out; postponed events
/// without a date are left out and listed in problems. `description` HTML becomes plain text (or
/// short_description when there is none). Places come from inlined locations (include=location);
/// a location given only by reference leaves the event without a place. A bad event is skipped and
/// listed with its id; the records returned pass the store's rules.
[[nodiscard]] Result<ParsedFeed> parseLinkedEvents(const std::vector<std::string_view>& documents,
                                                   const LinkedEventsOptions& options, std::string_view sourceId);

/// The result of one fetch of a Linked Events source; see PtvFetch.
struct LinkedEventsFetch {
    std::optional<ParsedFeed> feed;   ///< nullopt: nothing changed since the last sync
    FetchState state;                 ///< keep; save (saveFetchState) once the feed has been applied
    FetchStats stats;
    bool full = false;                ///< the whole window was fetched (first sync, new settings, new day)
};

/// Fetches the window: in full on the first sync, after a settings change and on the first sync of
/// each local day (the window moves), otherwise the changes since previous.lastSync (less
/// options.overlap) merged into the events kept in the state. A postponed event that lost its date
/// keeps the date it had before, marked postponed. Pages are fetched one after another (each names
/// the next); any request that finally fails fails the whole fetch.
[[nodiscard]] FetchResult<LinkedEventsFetch> fetchLinkedEvents(HttpClient& http, const SourceConfig& source,
                                                               const LinkedEventsOptions& options, const FetchState& previous,
                                                               Instant now, const FetchPolicy& policy = {});

/// Linked Events' HTML description → plain text with paragraphs and line breaks (entities decoded,
/// tags dropped).
[[nodiscard]] std::string htmlToText(std::string_view html);

} // namespace kohtaamo
