#pragma once
// A deterministic Linked Events event list for the benchmark, as api.hel.fi answers
// /event/?include=location (../shared/domain/events.md §1): one-off events and recurring series
// (the container and its sub events), inlined places, HTML descriptions, images, offers, in pages
// of 100 linked by meta.next.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kohtaamo::bench {

struct LinkedEventsSpec {
    std::uint64_t seed = 1;
    int oneOffs = 0;
    int series = 0;              ///< recurring containers, each with `sessions` weekly sub events
    int sessions = 4;            ///< at most 5: they must fit in the 30-day window
    int places = 0;
    int pageSize = 100;          ///< Linked Events' largest page_size
};

struct LinkedEventsList {
    std::vector<std::string> pages;   ///< page n (from 1) is pages[n - 1]
    int events = 0;                   ///< every item listed: one-offs, containers, sub events
    int subEvents = 0;
    int cancelled = 0;
    int places = 0;
    double megabytes = 0;
};

/// The list, the same for the same spec; page n's meta.next is `pageUrl(n + 1)` (null on the last).
[[nodiscard]] LinkedEventsList generateLinkedEvents(const LinkedEventsSpec& spec,
                                                    const std::function<std::string(int page)>& pageUrl);

/// An empty list page: what the API answers a no-change `last_modified_since` query.
[[nodiscard]] std::string emptyLinkedEventsPage();

}   // namespace kohtaamo::bench
