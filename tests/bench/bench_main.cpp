// kohtaamo-bench: `./dev bench [--quick]`. Generates its data (seeded), runs every heavy step in
// its own process, prints a table and writes the same as JSON. Not a test: nothing here is
// registered with ctest, and failing targets do not fail the run (errors do).

#include "catalogue_runs.hpp"
#include "child_process.hpp"
#include "child_steps.hpp"
#include "kiosk_runs.hpp"
#include "report.hpp"
#include "stats.hpp"
#include "step_runner.hpp"
#include "sync_runs.hpp"

#include "content/time.hpp"

#include <fmt/format.h>

#include <sys/utsname.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <thread>

using namespace kohtaamo;
using namespace kohtaamo::bench;

namespace {

// Targets from issues 3, 4 and 7, for this machine.
constexpr double kIngestMs = 1000;
constexpr double kIngestRssMb = 100;
constexpr double kBuildP99Ms = 2;
constexpr double kRenderP99Ms = 16.7;
constexpr double kKioskRssMb = 60;

constexpr int kWarmupFrames = 50;
constexpr int kScrollFrames = 300;
constexpr int kFirstFrameRuns = 7;
constexpr int kIdleSeconds = 60;
constexpr int kICalendarRuns = 5;
constexpr int kSyncApplyRuns = 3;
constexpr int kNoChangeSyncs = 100;
// PTV and Linked Events, realistic and large: first syncs, then no-change syncs (fewer with --quick).
constexpr int kCatalogueFullRuns = 3;
constexpr int kCatalogueNoChangeSyncs = 30;
constexpr int kQuickCatalogueFullRuns = 1;
constexpr int kQuickCatalogueNoChangeSyncs = 10;
constexpr std::chrono::minutes kChildTimeout{5};

struct Options {
    bool quick = false;
    bool keepData = false;
    bool onlyCatalogue = false;
    std::filesystem::path output = std::filesystem::path(KOHTAAMO_BENCH_DIR) / "bench.json";
};

struct Dataset {
    std::string name;
    std::string sourceId;
    std::filesystem::path bundle;
    std::filesystem::path dataDir;   ///< holds cache.sqlite once ingested; empty: not kept
    std::string homePlace;
};

void progress(std::string_view what) { std::cerr << "\033[1m--> " << what << "\033[0m\n"; }

std::string usage()
{
    return "usage: kohtaamo-bench [--quick] [--only-catalogue] [--output FILE] [--keep-data]\n"
           "  --quick       skip the 60-second idle CPU measurement; fewer PTV and Linked Events syncs\n"
           "  --only-catalogue  only the PTV and Linked Events syncs (issues 5 and 7)\n"
           "  --output      where the JSON goes (default build/bench/bench.json)\n"
           "  --keep-data   keep the generated bundles and caches in the work directory\n";
}

/// The 1-minute load average: other processes on this machine inflate every timing.
double loadAverage()
{
    double load = 0;
    std::ifstream("/proc/loadavg") >> load;
    return load;
}

nlohmann::json machine()
{
    utsname names{};
    ::uname(&names);
    std::string cpu;
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);) {
        if (line.starts_with("model name")) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    }
    return {{"cpu", cpu}, {"cores", std::thread::hardware_concurrency()}, {"kernel", names.release}};
}

/// Runs the steps in order, each in its own process, and collects the rows.
class Bench {
public:
    Bench(Options options, std::filesystem::path self)
        : m_options(std::move(options)), m_work(m_options.output.parent_path() / "work"),
          m_log(m_options.output.parent_path() / "bench.log"), m_steps(std::move(self), m_log, kChildTimeout)
    {
    }

    int run()
    {
        std::filesystem::remove_all(m_work);
        std::filesystem::create_directories(m_work);
        std::ofstream(m_log, std::ios::trunc) << "kohtaamo-bench log: the children's stdout and stderr\n";
        const auto started = std::chrono::steady_clock::now();
        const double loadBefore = loadAverage();

        if (m_options.onlyCatalogue) {
            measureCatalogue();
        } else {
            measureEverything();
        }

        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double loadAfter = loadAverage();
        m_report.printTable(std::cout);
        const auto cores = std::max(1u, std::thread::hardware_concurrency());
        if (std::max(loadBefore, loadAfter) > 0.5 * cores) {
            std::cout << fmt::format("warning: load average {:.1f} before and {:.1f} after the run on {} cores: other "
                                     "processes competed for the CPU, so timings (p99 most) are inflated.\n",
                                     loadBefore, loadAfter, cores);
        }
        const nlohmann::json meta{
            {"tool", "kohtaamo-bench"}, {"quick", m_options.quick}, {"only_catalogue", m_options.onlyCatalogue},
            {"now", kBenchNow},         {"screen", "1920x1080, SDL software renderer"},
            {"machine", machine()},     {"load_average", {{"before", loadBefore}, {"after", loadAfter}}},
            {"seconds", seconds}};
        std::filesystem::create_directories(m_options.output.parent_path());
        std::ofstream(m_options.output, std::ios::trunc) << m_report.toJson(meta).dump(2) << '\n';
        std::cout << fmt::format("\n{} rows in {:.0f} s; JSON: {}; children's output: {}\n", m_report.rows().size(),
                                 seconds, m_options.output.string(), m_log.string());
        if (!m_options.keepData) std::filesystem::remove_all(m_work);
        return m_report.hasErrors() ? 1 : 0;
    }

private:
    void measureEverything()
    {
        // The demo under the source id the kiosk gives it, so the kiosk only refreshes it.
        Dataset demo{"demo", "demo", std::filesystem::path(KOHTAAMO_ASSETS_DIR) / "demo/demo-region.json",
                     m_work / "demo", "majakka"};
        Dataset items5000{"5,000 items", "bundle5000", m_work / "bundle-5000.json", {}, {}};
        Dataset large{"large", "large", m_work / "large-region.json", m_work / "large", {}};
        const bool generated = generate(items5000, large);

        progress("ingest: readBundle + ContentStore::replaceSource into a fresh SQLite file");
        ingest(demo, 5, false);
        if (generated) ingest(items5000, 3, true);
        if (generated) ingest(large, 3, false);

        progress("ingest iCalendar: parseICalendar + conformToStore + replaceSource (1,000 VEVENTs, seeded)");
        const Dataset calendar{std::string(kCalendarDataset), "majakka-kalenteri", {}, m_work / "calendar", {}};
        for (Row& row : measureICalendarIngest(m_steps, m_work, calendar.dataDir / "cache.sqlite", kICalendarRuns))
            m_report.add(std::move(row));
        if (std::filesystem::exists(calendar.dataDir / "cache.sqlite")) snapshot(calendar, 3);

        // The 5,000-item bundle is the biggest single feed a kiosk is expected to take.
        const Dataset& served = generated ? items5000 : demo;
        progress("sync: the real SyncEngine, first sync then unchanged feed (nginx on loopback, file://)");
        for (Row& row : measureSync(m_steps, SyncBenchSpec{.bundle = served.bundle,
                                                           .dataset = served.name,
                                                           .work = m_work,
                                                           .applyRuns = kSyncApplyRuns,
                                                           .noChangeSyncs = kNoChangeSyncs}))
            m_report.add(std::move(row));

        measureCatalogue();

        std::vector<Dataset*> datasets{&demo};
        if (generated) datasets.push_back(&large);
        progress("start to first frame (the real binary, offscreen)");
        for (Dataset* dataset : datasets) {
            Row row =
                measureFirstFrame({KOHTAAMO_KIOSK_BINARY, m_log}, dataset->dataDir, dataset->name, kFirstFrameRuns);
            // Without a config the kiosk adds the bundled demo to any cache; later steps see it too.
            if (dataset != &demo) row.note += "; the kiosk (no config) added the bundled demo to this cache";
            m_report.add(row);
        }
        progress("snapshot build");
        for (Dataset* dataset : datasets) snapshot(*dataset, dataset == &demo ? 5 : 3);
        progress("search keystrokes");
        for (Dataset* dataset : datasets) search(*dataset);
        progress("UI frames while scrolling (1920x1080, software renderer)");
        for (Dataset* dataset : datasets) {
            for (const char* screen : {"home", "events", "dropin", "services", "search", "detail"})
                ui(*dataset, screen);
        }
        if (m_options.quick) {
            m_report.add(unmeasuredRow(fmt::format("idle CPU over {} s (Xvfb)", kIdleSeconds), demo.name,
                                       Outcome::Skipped, "skipped (--quick)"));
        } else {
            progress(fmt::format("idle CPU: {} s on Xvfb", kIdleSeconds));
            m_report.add(measureIdle({KOHTAAMO_KIOSK_BINARY, m_log}, demo.dataDir, demo.name, kIdleSeconds));
        }
    }

    /// PTV and Linked Events through the real SyncEngine, realistic and large (issues 5 and 7).
    void measureCatalogue()
    {
        const CatalogueRuns catalogueRuns{
            .work = m_work / "catalogue",
            .fullRuns = m_options.quick ? kQuickCatalogueFullRuns : kCatalogueFullRuns,
            .noChangeSyncs = m_options.quick ? kQuickCatalogueNoChangeSyncs : kCatalogueNoChangeSyncs};
        progress("sync PTV: the real SyncEngine against a generated region on loopback (FakePtv), full then no change");
        for (Row& row : measurePtvSync(m_steps, catalogueRuns)) m_report.add(std::move(row));
        progress("sync Linked Events: the real SyncEngine against a generated event list on loopback, full then no change");
        for (Row& row : measureLinkedEventsSync(m_steps, catalogueRuns)) m_report.add(std::move(row));
    }

    /// Runs `kohtaamo-bench --child NAME ARGS…` and parses what it wrote to fd 3.
    std::optional<nlohmann::json> child(const std::string& name, const Arguments& arguments, ProcessOutcome& outcome,
                                        std::string& error)
    {
        auto answer = m_steps.run(name, arguments);
        if (!answer) {
            error = answer.error().message;
            return std::nullopt;
        }
        outcome = answer->outcome;
        return std::move(answer->result);
    }

    bool generate(Dataset& items5000, Dataset& large)
    {
        progress("generating the large region and the 5,000-item bundle (seeded)");
        ProcessOutcome outcome;
        std::string error;
        const auto result = child("generate", {m_work.string()}, outcome, error);
        if (!result) {
            m_report.add(unmeasuredRow("generate bundles", "large, 5,000 items", Outcome::Error, error));
            return false;
        }
        const auto describe = [](const nlohmann::json& region) {
            return fmt::format("{} places, {} services, {} events, {} announcements; {} sessions in 14 days; {:.1f} MB",
                               region["places"].get<int>(), region["services"].get<int>(), region["events"].get<int>(),
                               region["announcements"].get<int>(), region["occurrences_14_days"].get<int>(),
                               region["bytes"].get<double>() / 1e6);
        };
        large.homePlace = (*result)["large"]["home_place"].get<std::string>();
        items5000.homePlace = (*result)["bundle5000"]["home_place"].get<std::string>();
        for (const auto& [key, dataset] : {std::pair{"large", &large}, std::pair{"bundle5000", &items5000}}) {
            Row row{.step = "generate bundle (seeded, writeBundle)",
                    .dataset = dataset->name,
                    .centralValue = (*result)[key]["ms"].get<double>(),
                    .peakRssMb = outcome.peakRssMb};
            row.note = describe((*result)[key]) + (dataset == &large ? "" : "; RSS is of both together");
            m_report.add(row);
        }
        return true;
    }

    void ingest(const Dataset& dataset, int runs, bool judged)
    {
        const std::string step = "ingest bundle (readBundle + replaceSource)";
        const auto scratch = m_work / "ingest.sqlite";
        std::vector<double> total;
        std::vector<double> parse;
        std::vector<double> store;
        double peakRss = 0;
        nlohmann::json last;
        for (int run = 0; run < runs; ++run) {
            // The last run fills the dataset's kiosk cache, so later steps read what was measured.
            const bool keep = run == runs - 1 && !dataset.dataDir.empty();
            if (keep) std::filesystem::create_directories(dataset.dataDir);
            const auto db = keep ? dataset.dataDir / "cache.sqlite" : scratch;
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
            ProcessOutcome outcome;
            std::string error;
            const auto result =
                child("ingest", {dataset.bundle.string(), db.string(), dataset.sourceId}, outcome, error);
            if (!result) {
                m_report.add(unmeasuredRow(step, dataset.name, Outcome::Error, error));
                return;
            }
            total.push_back((*result)["total_ms"].get<double>());
            parse.push_back((*result)["parse_ms"].get<double>());
            store.push_back((*result)["store_ms"].get<double>());
            peakRss = std::max(peakRss, outcome.peakRssMb);
            last = *result;
        }
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(scratch.string() + suffix);
        Row row{.step = step,
                .dataset = dataset.name,
                .central = Central::Median,
                .centralValue = summarize(total).median,
                .peakRssMb = peakRss};
        if (judged) {
            row.maxCentral = kIngestMs;
            row.maxRssMb = kIngestRssMb;
        }
        row.note = fmt::format("{} items, {:.1f} MB JSON; parse {:.0f} ms + store {:.0f} ms (medians); {} runs",
                               last["items"].get<int>(), last["bytes"].get<double>() / 1e6, summarize(parse).median,
                               summarize(store).median, runs);
        m_report.add(row);
    }

    void snapshot(const Dataset& dataset, int runs)
    {
        const std::string step = "snapshot build (ContentStore::buildSnapshot)";
        std::vector<double> times;
        double peakRss = 0;
        nlohmann::json last;
        for (int run = 0; run < runs; ++run) {
            ProcessOutcome outcome;
            std::string error;
            const auto result = child("snapshot", {(dataset.dataDir / "cache.sqlite").string()}, outcome, error);
            if (!result) {
                m_report.add(unmeasuredRow(step, dataset.name, Outcome::Error, error));
                return;
            }
            times.push_back((*result)["ms"].get<double>());
            peakRss = std::max(peakRss, outcome.peakRssMb);
            last = *result;
        }
        Row row{.step = step,
                .dataset = dataset.name,
                .central = Central::Median,
                .centralValue = summarize(times).median,
                .peakRssMb = peakRss};
        row.note =
            fmt::format("{} sessions in the 14 days from today, {} in the snapshot window; {} events, {} places, "
                        "{} services; {} runs",
                        last["occurrences_14_days"].get<int>(), last["occurrences_total"].get<int>(),
                        last["events"].get<int>(), last["places"].get<int>(), last["services"].get<int>(), runs);
        if (last["problems"].get<int>() > 0) row.note += fmt::format("; {} problems", last["problems"].get<int>());
        m_report.add(row);
    }

    void search(const Dataset& dataset)
    {
        ProcessOutcome outcome;
        std::string error;
        const auto result = child("search", {(dataset.dataDir / "cache.sqlite").string(), "100"}, outcome, error);
        if (!result) {
            m_report.add(unmeasuredRow("search keystroke", dataset.name, Outcome::Error, error));
            return;
        }
        for (const auto& query : (*result)["queries"]) {
            const Summary summary = summarize(query["samples_ms"].get<std::vector<double>>());
            Row row{.step = fmt::format("search keystroke \"{}\"", query["query"].get<std::string>()),
                    .dataset = dataset.name,
                    .centralValue = summary.mean,
                    .p99 = summary.p99,
                    .peakRssMb = outcome.peakRssMb};
            row.note = fmt::format("{} hits (limit 60, as the kiosk asks); {} queries; off the frame thread",
                                   query["hits"].get<int>(), summary.count);
            m_report.add(row);
        }
    }

    void ui(const Dataset& dataset, const std::string& screen)
    {
        ProcessOutcome outcome;
        std::string error;
        const auto result = child("ui",
                                  {dataset.dataDir.string(), screen, dataset.homePlace, std::to_string(kWarmupFrames),
                                   std::to_string(kScrollFrames)},
                                  outcome, error);
        if (!result) {
            m_report.add(unmeasuredRow(fmt::format("ui frame: {}", screen), dataset.name, Outcome::Error, error));
            return;
        }
        const Summary build = summarize((*result)["build_ms"].get<std::vector<double>>());
        const Summary render = summarize((*result)["render_ms"].get<std::vector<double>>());
        const std::string opened = (*result)["opened"].get<std::string>();
        Row buildRow{.step = fmt::format("ui build: {}", screen),
                     .dataset = dataset.name,
                     .centralValue = build.mean,
                     .p99 = build.p99,
                     .peakRssMb = outcome.peakRssMb,
                     .maxP99 = kBuildP99Ms};
        buildRow.note = fmt::format("{}; {} frames scrolling after {} warm-up; max {:.1f} ms", opened, build.count,
                                    kWarmupFrames, build.max);
        Row renderRow{.step = fmt::format("ui render: {}", screen),
                      .dataset = dataset.name,
                      .centralValue = render.mean,
                      .p99 = render.p99,
                      .peakRssMb = outcome.peakRssMb,
                      .maxP99 = kRenderP99Ms,
                      .maxRssMb = kKioskRssMb};
        // Wall times count whatever else runs on the machine; the thread's CPU time shows the frame's own cost.
        const Summary frameCpu = summarize((*result)["frame_cpu_ms"].get<std::vector<double>>());
        renderRow.note = fmt::format("{:.0f} vertices a frame; max {:.1f} ms; whole frame in thread CPU time: mean "
                                     "{:.1f}, p99 {:.1f} ms; preempted {} times",
                                     (*result)["mean_vertices"].get<double>(), render.max, frameCpu.mean, frameCpu.p99,
                                     (*result)["preemptions"].get<long>());
        m_report.add(buildRow);
        m_report.add(renderRow);
    }

    Options m_options;
    std::filesystem::path m_work;
    std::filesystem::path m_log;
    StepRunner m_steps;
    Report m_report;
};

int runChild(const std::string& name, const Arguments& arguments)
{
    static const std::map<std::string, std::function<int(const Arguments&)>, std::less<>> kSteps{
        {"generate", generateStep},
        {"ingest", ingestStep},
        {"snapshot", snapshotStep},
        {"search", searchStep},
        {"ui", uiStep},
        {"generate-ical", generateICalendarStep},
        {"ingest-ical", ingestICalendarStep},
        {"sync", syncStep}};
    const auto step = kSteps.find(name);
    if (step == kSteps.end()) {
        std::cerr << "kohtaamo-bench: unknown child step " << name << '\n';
        return 2;
    }
    return step->second(arguments);
}

}   // namespace

int main(int argc, char** argv)
{
    // First, before anything grows: a launcher must stay small (see child_process.hpp).
    if (argc >= 2 && std::string_view(argv[1]) == "--launch") return launch(argc, argv);
    const Arguments arguments(argv + 1, argv + argc);
    if (arguments.size() >= 2 && arguments[0] == "--child") {
        return runChild(arguments[1], Arguments(arguments.begin() + 2, arguments.end()));
    }
    Options options;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == "--quick") {
            options.quick = true;
        } else if (arguments[i] == "--only-catalogue") {
            options.onlyCatalogue = true;
        } else if (arguments[i] == "--keep-data") {
            options.keepData = true;
        } else if (arguments[i] == "--output" && i + 1 < arguments.size()) {
            options.output = std::filesystem::absolute(arguments[++i]);
        } else {
            std::cerr << usage();
            return arguments[i] == "--help" || arguments[i] == "-h" ? 0 : 2;
        }
    }
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        std::cerr << "kohtaamo-bench: cannot find its own executable\n";
        return 1;
    }
    return Bench(std::move(options), self).run();
}
