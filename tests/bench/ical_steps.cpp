// Child steps for iCalendar feeds: generating a staff calendar and ingesting it the way the sync
// engine does (the ical adapter's parse and conform, then one replaceSource transaction).

#include "child_steps.hpp"
#include "ical_generator.hpp"

#include "content/content_store.hpp"
#include "sync/ical_adapter.hpp"
#include "sync/source_adapter.hpp"

#include <fmt/format.h>

namespace kohtaamo::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kSourceId = "majakka-kalenteri";

/// A staff calendar's `[[source]]` like the one in README.md.
SourceConfig calendarSource(const std::filesystem::path& file)
{
    return SourceConfig{.id = std::string(kSourceId),
                        .kind = "ical",
                        .url = "file://" + file.string(),
                        .settings = {{"place", "majakka"},
                                     {"category", "peer_group"},
                                     {"max_age", "6"},
                                     {"parents", "true"},
                                     {"languages", "fi"},
                                     {"free", "true"}}};
}

}   // namespace

int generateICalendarStep(const Arguments& arguments)
{
    if (arguments.size() != 1) return failStep("generate-ical needs WORK_DIR");
    const auto file = std::filesystem::path(arguments[0]) / "calendar-1000.ics";
    const auto start = SteadyClock::now();
    const GeneratedCalendar calendar = generateCalendar(
        CalendarSpec{.seed = 20260310, .vevents = 1000, .windowStart = TimeZone::helsinki().localDate(benchNow())});
    const double ms = millisecondsSince(start);
    if (!writeFile(file, calendar.text)) return failStep(fmt::format("{}: cannot be written", file.string()));
    writeResult({{"file", file.string()},
                 {"ms", ms},
                 {"bytes", calendar.text.size()},
                 {"vevents", calendar.vevents},
                 {"weekly", calendar.weekly},
                 {"biweekly", calendar.biweekly},
                 {"monthly", calendar.monthly},
                 {"one_offs", calendar.oneOffs},
                 {"all_day", calendar.allDay},
                 {"private", calendar.privateEntries},
                 {"with_until", calendar.withUntil},
                 {"with_count", calendar.withCount},
                 {"exdates", calendar.exdates},
                 {"overrides", calendar.overrides},
                 {"folded_lines", calendar.foldedLines}});
    return 0;
}

int ingestICalendarStep(const Arguments& arguments)
{
    if (arguments.size() != 2) return failStep("ingest-ical needs ICS DB");
    const std::filesystem::path file = arguments[0];
    const std::filesystem::path dbFile = arguments[1];
    auto text = readFile(file);
    if (!text) return failStep(fmt::format("{}: cannot be read", file.string()));
    const SourceConfig source = calendarSource(file);
    auto settings = icalSettings(source);
    if (!settings) return failStep(settings.error().message);

    const auto parseStart = SteadyClock::now();
    auto feed = parseICalendar(*text, *settings);
    const double parseMs = millisecondsSince(parseStart);
    if (!feed) return failStep(feed.error().message);
    // The adapter's second half: what the cache will accept, through the bundle codec.
    const auto conformStart = SteadyClock::now();
    conformToStore(*feed);
    const double conformMs = millisecondsSince(conformStart);

    const auto storeStart = SteadyClock::now();
    auto store = ContentStore::open(dbFile);
    if (!store) return failStep(store.error().message);
    const SourceState state{.id = source.id, .kind = source.kind, .url = source.url, .appliedAt = benchNow()};
    if (auto applied = store->replaceSource(state, feed->content); !applied) return failStep(applied.error().message);
    const double storeMs = millisecondsSince(storeStart);

    std::size_t overrides = 0;
    std::size_t exdates = 0;
    std::size_t recurring = 0;
    for (const Event& event : feed->content.events) {
        overrides += event.schedule.overrides.size();
        exdates += event.schedule.exdates.size();
        recurring += event.schedule.rrule.empty() ? 0 : 1;
    }
    writeResult({{"parse_ms", parseMs},
                 {"conform_ms", conformMs},
                 {"store_ms", storeMs},
                 {"total_ms", parseMs + conformMs + storeMs},
                 {"items", feed->content.itemCount()},
                 {"events", feed->content.events.size()},
                 {"recurring", recurring},
                 {"overrides", overrides},
                 {"exdates", exdates},
                 {"problems", feed->problems.size()},
                 {"bytes", text->size()}});
    return 0;
}

}   // namespace kohtaamo::bench
