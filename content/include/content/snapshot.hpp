#pragma once
// An immutable, in-memory view of all content, built off the UI thread and read by it every frame.
// Once built nothing in it changes, so any number of threads may read it without locks.

#include "content/model.hpp"
#include "content/occurrences.hpp"
#include "content/opening_hours.hpp"
#include "content/source_state.hpp"

#include <memory>
#include <optional>
#include <string>
#include <cstdint>
#include <vector>

namespace kohtaamo {

/// The period whose event occurrences a snapshot holds, e.g. yesterday … two weeks ahead.
struct SnapshotWindow {
    Instant from;
    Instant to;
    /// From local midnight `daysBack` days before `now` to local midnight `daysAhead` days after.
    [[nodiscard]] static SnapshotWindow around(Instant now, int daysBack = 1, int daysAhead = 15,
                                               const TimeZone& zone = TimeZone::helsinki());
};

/// Age bands families filter by (inclusive years); Parents = activities for the adults.
enum class AgeBand { Baby, Toddler, Preschool, School, Youth, Parents };
[[nodiscard]] bool audienceMatches(const Audience& audience, AgeBand band);

/// One session of an event, with the event it belongs to.
struct EventOccurrence {
    const Event* event = nullptr;
    Occurrence occurrence;
    [[nodiscard]] const LocalizedText& title() const
    {
        return occurrence.titleOverride ? *occurrence.titleOverride : event->title;
    }
};

struct EventQuery {
    Instant from;
    Instant to;
    std::optional<AgeBand> ageBand;
    std::string language;          ///< language the activity is held in; empty = any
    std::optional<EventCategory> category;
    std::string placeId;
    bool freeOnly = false;
    bool dropInOnly = false;       ///< no registration needed
    bool includeCancelled = true;  ///< cancelled sessions stay listed, marked
};

struct ServiceQuery {
    std::optional<ServiceCategory> category;
    std::optional<AgeBand> ageBand;
    std::string language;
    std::string placeId;
};

/// A place right now: the interval it is open in (if any) and its next drop-in time.
struct PlaceNow {
    const Place* place = nullptr;
    std::optional<OpenInterval> openNow;
    std::optional<OpenInterval> nextDropIn;   ///< the current drop-in interval if one is on
};

class Snapshot {
public:
    /// Takes ownership of `content`; expands every event's occurrences within `window`.
    /// An event whose schedule cannot be expanded is kept without occurrences and its id and
    /// reason are listed in problems().
    [[nodiscard]] static std::shared_ptr<const Snapshot> build(SourceContent content, std::vector<SourceState> sources,
                                                               SnapshotWindow window);

    [[nodiscard]] const std::vector<Place>& places() const { return m_body->content.places; }
    [[nodiscard]] const std::vector<Service>& services() const { return m_body->content.services; }
    [[nodiscard]] const std::vector<Event>& events() const { return m_body->content.events; }
    [[nodiscard]] const std::vector<Announcement>& announcements() const { return m_body->content.announcements; }
    [[nodiscard]] const std::vector<SourceState>& sources() const { return m_sources; }
    [[nodiscard]] const SnapshotWindow& window() const { return m_body->window; }
    [[nodiscard]] const std::vector<std::string>& problems() const { return m_body->problems; }
    [[nodiscard]] bool empty() const { return m_body->content.itemCount() == 0; }
    /// The most recent successful update of any source, if any.
    [[nodiscard]] std::optional<Instant> lastUpdated() const;

    [[nodiscard]] const Place* place(std::string_view id) const;
    [[nodiscard]] const Service* service(std::string_view id) const;
    [[nodiscard]] const Event* event(std::string_view id) const;

    /// All occurrences in the window, sorted by start.
    [[nodiscard]] const std::vector<EventOccurrence>& occurrences() const { return m_body->occurrences; }
    /// The sessions of one event in the window, sorted by start (an index: no scan).
    [[nodiscard]] std::vector<EventOccurrence> occurrencesOf(const Event& event) const;
    /// Occurrences overlapping [query.from, query.to) that pass the filters, sorted by start.
    [[nodiscard]] std::vector<EventOccurrence> occurrences(const EventQuery& query) const;
    /// The same as positions in occurrences(): 4 bytes a session instead of 40, for long lists.
    [[nodiscard]] std::vector<std::uint32_t> occurrenceIndices(const EventQuery& query) const;
    [[nodiscard]] std::vector<const Service*> services(const ServiceQuery& query) const;
    /// Announcements valid at t, for every place or for `placeId`.
    [[nodiscard]] std::vector<const Announcement*> announcementsAt(Instant t, std::string_view placeId = {}) const;
    /// Every place with hours, with its state at t.
    [[nodiscard]] std::vector<PlaceNow> placesAt(Instant t) const;

    /// The same content with newer source states (a sync that found nothing new still has a new
    /// last success to show): shares everything else with this snapshot, so it costs next to nothing.
    [[nodiscard]] std::shared_ptr<const Snapshot> withSources(std::vector<SourceState> sources) const;

private:
    /// Everything but the source states, shared by the snapshots withSources() makes.
    struct Body {
        SourceContent content;
        SnapshotWindow window;
        std::vector<EventOccurrence> occurrences;
        std::vector<std::string> problems;
        /// Positions in places(), services() and events(), sorted by id.
        std::vector<std::uint32_t> placeIndex;
        std::vector<std::uint32_t> serviceIndex;
        std::vector<std::uint32_t> eventIndex;
        /// The sessions of events()[i] are occurrences[sessionsByEvent[j]] for j in
        /// [sessionsStart[i], sessionsStart[i + 1]), in order of start.
        std::vector<std::uint32_t> sessionsStart;
        std::vector<std::uint32_t> sessionsByEvent;
        void indexSessionsByEvent();
    };

    Snapshot() = default;
    std::shared_ptr<const Body> m_body;
    std::vector<SourceState> m_sources;
};

} // namespace kohtaamo
