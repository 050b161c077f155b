#include "catalogue_runs.hpp"

#include "linkedevents_generator.hpp"
#include "ptv_generator.hpp"
#include "stats.hpp"
#include "sync_runs.hpp"

#include "fake_ptv.hpp"
#include "fault_server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace kohtaamo::bench {
namespace {

using namespace std::chrono_literals;

// Issue 5's targets, for this machine: the large PTV region ingests in under 2 s and 150 MB, and a
// sync that finds nothing changed costs under 100 ms of CPU and writes no content.
constexpr double kFullMs = 2000;
constexpr double kFullRssMb = 150;
constexpr double kNoChangeCpuMs = 100;
// The syncs in a row are this far apart: the same local day, so Linked Events stays incremental
// (it fetches the whole window on the first sync of each day).
const std::string kStepMinutes = "15";

/// One catalogue source under test, already served on loopback.
struct SourceUnderTest {
    std::string kind;                    ///< "ptv" or "linkedevents"
    std::string name;                    ///< "PTV", "Linked Events"
    std::string dataset;
    std::string url;
    std::vector<std::string> settings;   ///< KEY=VALUE
    std::string served;                  ///< what the server holds, for the note
    bool judged = false;                 ///< the issue's targets apply
};

int countEqual(const nlohmann::json& values, const nlohmann::json& wanted)
{
    return static_cast<int>(std::count(values.begin(), values.end(), wanted));
}

std::vector<std::string> syncArguments(const SourceUnderTest& source, const std::filesystem::path& dir, int syncs)
{
    std::vector<std::string> arguments{source.kind,      source.url, (dir / "cache.sqlite").string(), (dir / "status.json").string(),
                                       std::to_string(syncs), kStepMinutes};
    arguments.insert(arguments.end(), source.settings.begin(), source.settings.end());
    return arguments;
}

void measure(const StepRunner& steps, const CatalogueRuns& runs, const SourceUnderTest& source, std::vector<Row>& rows)
{
    const std::string fullStep = source.name + " first sync (full)";
    const std::string noChangeStep = source.name + " no-change sync (incremental)";
    const auto dir = runs.work / fmt::format("{}-{}", source.kind, rows.size());
    std::error_code ignored;
    std::filesystem::create_directories(dir, ignored);

    std::vector<double> wall;
    std::vector<double> cpu;
    double peakRss = 0;
    nlohmann::json last;
    for (int run = 0; run < runs.fullRuns; ++run) {
        removeCache(dir / "cache.sqlite");
        std::filesystem::remove(dir / "status.json", ignored);
        std::filesystem::remove_all(dir / "sync-state", ignored);
        auto answer = steps.run("sync", syncArguments(source, dir, 1));
        std::string error = answer ? std::string() : answer.error().message;
        if (answer && answer->result["results"][0] != "applied") {
            error = fmt::format("the first sync was {}: {}", answer->result["results"][0].get<std::string>(),
                                answer->result["error"].get<std::string>());
        }
        if (!error.empty()) {
            rows.push_back(unmeasuredRow(fullStep, source.dataset, Outcome::Error, error));
            rows.push_back(unmeasuredRow(noChangeStep, source.dataset, Outcome::Error, "no applied cache to sync again"));
            return;
        }
        wall.push_back(answer->result["wall_ms"][0].get<double>());
        cpu.push_back(answer->result["cpu_ms"][0].get<double>());
        peakRss = std::max(peakRss, answer->outcome.peakRssMb);
        last = answer->result;
    }
    Row full{.step = fullStep,
             .dataset = source.dataset,
             .central = Central::Median,
             .centralValue = summarize(wall).median,
             .peakRssMb = peakRss};
    if (source.judged) {
        full.maxCentral = kFullMs;
        full.maxRssMb = kFullRssMb;
    }
    full.note = fmt::format("{}; {} items applied ({} problems listed), {:.1f} MB on the wire; SyncEngine::syncAll into a "
                            "fresh cache: every request, mapping, conformToStore, replaceSource, status row, status.json "
                            "and the saved fetch state ({:.1f} MB); CPU {:.0f} ms (median, all threads of the syncing "
                            "process; the server is another process); {} runs",
                            source.served, last["items"].get<int>(), last["problems"].get<int>(),
                            last["bytes"][0].get<double>() / 1e6, last["state_file_bytes"].get<double>() / 1e6,
                            summarize(cpu).median, runs.fullRuns);
    rows.push_back(full);

    auto answer = steps.run("sync", syncArguments(source, dir, runs.noChangeSyncs));
    if (!answer) {
        rows.push_back(unmeasuredRow(noChangeStep, source.dataset, Outcome::Error, answer.error().message));
        return;
    }
    const nlohmann::json& result = answer->result;
    const auto syncCpu = result["cpu_ms"].get<std::vector<double>>();
    const int syncs = static_cast<int>(syncCpu.size());
    if (const int unchanged = countEqual(result["results"], "not_modified"); unchanged != syncs || syncs < 2) {
        rows.push_back(unmeasuredRow(noChangeStep, source.dataset, Outcome::Error,
                                     fmt::format("{} of {} syncs found nothing changed; {}", unchanged, syncs,
                                                 result["error"].get<std::string>())));
        return;
    }
    // The first sync of a process also reads the saved fetch state (once per kiosk start); the
    // steady state is the rest.
    const Summary steady = summarize(std::vector<double>(syncCpu.begin() + 1, syncCpu.end()));
    const auto syncWall = result["wall_ms"].get<std::vector<double>>();
    Row row{.step = noChangeStep,
            .dataset = source.dataset,
            .unit = "ms CPU",
            .central = Central::Median,
            .centralValue = steady.median,
            .p99 = steady.p99,
            .peakRssMb = answer->outcome.peakRssMb,
            .maxCentral = kNoChangeCpuMs};
    if (result["content_changed"].get<int>() > 0) row.forced = Outcome::Fail;
    row.note = fmt::format(
        "{} syncs {} min apart in one process, all \"not modified\"; the first also loads the saved fetch state: {:.1f} ms "
        "CPU, {:.1f} ms wall; then CPU median {:.2f} ms (max {:.2f}), wall median {:.1f} ms (max {:.1f}, the rest is "
        "loopback round trips and fsyncs), {:.1f} KB a sync on the wire; {}; fetch state file rewritten {} times; RSS "
        "includes the observing connection and the records kept for the next sync",
        syncs, kStepMinutes, syncCpu.front(), syncWall.front(), steady.median, steady.max,
        summarize(std::vector<double>(syncWall.begin() + 1, syncWall.end())).median,
        summarize(std::vector<double>(syncWall.begin() + 1, syncWall.end())).max,
        summarize(result["bytes"].get<std::vector<double>>()).median / 1024, writesNote(result, syncs),
        result["state_file_rewritten"].get<int>());
    rows.push_back(row);
}

struct PtvSize {
    std::string dataset;
    PtvRegionSpec spec;
    bool judged;
};

struct EventsSize {
    std::string dataset;
    LinkedEventsSpec spec;
};

}   // namespace

std::vector<Row> measurePtvSync(const StepRunner& steps, const CatalogueRuns& runs)
{
    const std::vector<PtvSize> sizes{
        {"realistic: 300 family + 3,000 other services, 120 places",
         {.seed = 11, .familyServices = 300, .otherServices = 3000, .places = 120, .phoneChannels = 20, .webChannels = 20},
         false},
        {"large: 5,000 services, 2,000 places",
         {.seed = 12, .familyServices = 5000, .otherServices = 0, .places = 2000, .phoneChannels = 150, .webChannels = 150},
         true},
    };
    std::vector<Row> rows;
    for (const auto& size : sizes) {
        // No delay per detail batch: the bench measures the client, not a sleeping server.
        std::optional<ptvtest::FakePtv> server;
        try {
            server.emplace(ptvtest::FakePtvOptions{.batchDelay = 0ms, .municipality = size.spec.municipality});
        } catch (const std::exception& error) {
            rows.push_back(unmeasuredRow("PTV first sync (full)", size.dataset, Outcome::Error, error.what()));
            continue;
        }
        const PtvRegionSummary served = servePtvRegion(size.spec, *server);
        const SourceUnderTest source{
            .kind = "ptv",
            .name = "PTV",
            .dataset = size.dataset,
            .url = server->base(),
            .settings = {"municipalities=" + size.spec.municipality},
            .served = fmt::format("FakePtv on loopback (seeded, v11 shape): {} services, {} channels ({} service–channel "
                                  "links, {} hour blocks of which {} exceptions), {:.1f} MB of JSON",
                                  served.services, served.channels, served.connections, served.hourBlocks,
                                  served.exceptions, served.megabytes),
            .judged = size.judged};
        measure(steps, runs, source, rows);
    }
    return rows;
}

std::vector<Row> measureLinkedEventsSync(const StepRunner& steps, const CatalogueRuns& runs)
{
    const std::vector<EventsSize> sizes{
        {"realistic: 500 events (60 weekly series of 4)", {.seed = 21, .oneOffs = 200, .series = 60, .sessions = 4, .places = 40}},
        {"large: 5,200 events (600 weekly series of 5)", {.seed = 22, .oneOffs = 1600, .series = 600, .sessions = 5, .places = 200}},
    };
    const std::string path = "/linkedevents/v1/event/";
    std::vector<Row> rows;
    for (const auto& size : sizes) {
        std::optional<test::FaultServer> server;
        try {
            server.emplace();
        } catch (const std::exception& error) {
            rows.push_back(unmeasuredRow("Linked Events first sync (full)", size.dataset, Outcome::Error, error.what()));
            continue;
        }
        // FaultServer routes by path: page 1 is the list itself, the others have paths of their own.
        const auto pagePath = [&](int page) { return page == 1 ? path : fmt::format("{}page/{}/", path, page); };
        const LinkedEventsList list = generateLinkedEvents(size.spec, [&](int page) { return server->url(pagePath(page)); });
        for (std::size_t page = 0; page < list.pages.size(); ++page) {
            server->route(pagePath(static_cast<int>(page) + 1), test::Response{.body = list.pages[page]});
        }
        // Nothing was modified since any sync the bench makes.
        server->routeWithParameter(path, "last_modified_since", test::Response{.body = emptyLinkedEventsPage()});
        const SourceUnderTest source{
            .kind = "linkedevents",
            .name = "Linked Events",
            .dataset = size.dataset,
            .url = server->url(path + "?keyword=yso:p4354"),
            .settings = {},
            .served = fmt::format("FaultServer on loopback (seeded, include=location shape): {} events ({} sub events, "
                                  "{} cancelled) at {} places in {} pages, {:.1f} MB of JSON",
                                  list.events, list.subEvents, list.cancelled, list.places, list.pages.size(),
                                  list.megabytes),
            .judged = false};
        measure(steps, runs, source, rows);
    }
    return rows;
}

}   // namespace kohtaamo::bench
