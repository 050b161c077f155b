#include "sync_runs.hpp"

#include "nginx_server.hpp"
#include "stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace kohtaamo::bench {
namespace {

// Issue 3's targets, for this machine.
constexpr double kIngestMs = 1000;
constexpr double kIngestRssMb = 100;
constexpr double kNoChangeMs = 50;
// Syncs an hour apart, as with the default interval.
const std::string kIntervalMinutes = "60";
// A WAL frame is a 24-byte header and one page.
constexpr double kWalFrameHeaderBytes = 24;

// As `kohtaamo-kiosk --check-feed FILE` makes one.
std::string fileUrl(const std::filesystem::path& file)
{
    std::string url = "file://";
    for (const char c : std::filesystem::absolute(file).string()) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || std::string_view("/-._~").find(c) != std::string_view::npos) url += c;
        else url += fmt::format("%{:02X}", byte);
    }
    return url;
}

double megabytes(double bytes) { return bytes / 1e6; }

int countEqual(const nlohmann::json& values, const nlohmann::json& wanted)
{
    return static_cast<int>(std::count(values.begin(), values.end(), wanted));
}

enum class Transport { Http, File };

struct SourceUnderTest {
    Transport transport;
    std::string url;
    std::string applyStep;
    std::string noChangeStep;
    std::filesystem::path dir;
};

void addErrors(std::vector<Row>& rows, const SourceUnderTest& source, const std::string& dataset,
               const std::string& error)
{
    rows.push_back(unmeasuredRow(source.applyStep, dataset, Outcome::Error, error));
    rows.push_back(unmeasuredRow(source.noChangeStep, dataset, Outcome::Error, "no applied cache to sync again"));
}

std::string applyNote(const SourceUnderTest& source, const nlohmann::json& result, const SyncBenchSpec& spec)
{
    std::error_code ignored;
    const double fileBytes = static_cast<double>(std::filesystem::file_size(spec.bundle, ignored));
    const double transferred = result["bytes"][0].get<double>();
    const std::string how = source.transport == Transport::Http
                                ? fmt::format("HTTP {} from nginx on loopback, {:.2f} MB on the wire (gzip) for "
                                              "{:.1f} MB of JSON",
                                              result["http_status"][0].get<int>(), megabytes(transferred),
                                              megabytes(fileBytes))
                                : fmt::format("{:.1f} MB read", megabytes(transferred));
    return fmt::format("{} items; {}; SyncEngine::syncAll into a fresh cache: download, parse, validate, "
                       "replaceSource, status row and status.json; {} runs",
                       result["items"].get<int>(), how, spec.applyRuns);
}

std::string noChangeNote(const SourceUnderTest& source, const nlohmann::json& result, int syncs)
{
    const Summary cpu = summarize(result["cpu_ms"].get<std::vector<double>>());
    return fmt::format("{} syncs, all {}; {}; CPU {:.2f} ms a sync, the rest of the wall time is waiting (status.json's "
                       "fsyncs, the round trip); max {:.1f} ms; RSS includes the observing connection",
                       syncs,
                       source.transport == Transport::Http ? "HTTP 304 to If-None-Match"
                                                           : "unchanged (fingerprint of the bytes)",
                       writesNote(result, syncs), cpu.median,
                       summarize(result["wall_ms"].get<std::vector<double>>()).max);
}

/// First syncs into fresh caches (applied), then repeated syncs of the unchanged feed.
void measureSource(const StepRunner& steps, const SyncBenchSpec& spec, const SourceUnderTest& source,
                   std::vector<Row>& rows)
{
    std::error_code ignored;
    std::filesystem::create_directories(source.dir, ignored);
    const auto db = source.dir / "cache.sqlite";
    const auto status = source.dir / "status.json";

    std::vector<double> applyMs;
    double applyRss = 0;
    nlohmann::json applied;
    for (int run = 0; run < spec.applyRuns; ++run) {
        removeCache(db);
        std::filesystem::remove(status, ignored);
        auto answer = steps.run("sync", {"bundle", source.url, db.string(), status.string(), "1", kIntervalMinutes});
        if (!answer) return addErrors(rows, source, spec.dataset, answer.error().message);
        const nlohmann::json& result = answer->result;
        if (result["results"][0] != "applied") {
            return addErrors(rows, source, spec.dataset,
                             fmt::format("the first sync was {} (HTTP {}): {}", result["results"][0].get<std::string>(),
                                         result["http_status"][0].get<int>(), result["error"].get<std::string>()));
        }
        applyMs.push_back(result["wall_ms"][0].get<double>());
        applyRss = std::max(applyRss, answer->outcome.peakRssMb);
        applied = result;
    }
    Row apply{.step = source.applyStep,
              .dataset = spec.dataset,
              .central = Central::Median,
              .centralValue = summarize(applyMs).median,
              .peakRssMb = applyRss};
    apply.note = applyNote(source, applied, spec);
    rows.push_back(apply);

    auto answer = steps.run("sync", {"bundle", source.url, db.string(), status.string(), std::to_string(spec.noChangeSyncs),
                                     kIntervalMinutes});
    if (!answer) {
        rows.push_back(unmeasuredRow(source.noChangeStep, spec.dataset, Outcome::Error, answer.error().message));
        return;
    }
    const nlohmann::json& result = answer->result;
    const auto wall = result["wall_ms"].get<std::vector<double>>();
    const int syncs = static_cast<int>(wall.size());
    const int unchanged = countEqual(result["results"], "not_modified");
    const int answered304 = countEqual(result["http_status"], 304);
    if (unchanged != syncs || (source.transport == Transport::Http && answered304 != syncs)) {
        rows.push_back(unmeasuredRow(source.noChangeStep, spec.dataset, Outcome::Error,
                                     fmt::format("{} of {} syncs found the feed unchanged ({} answered 304); {}",
                                                 unchanged, syncs, answered304, result["error"].get<std::string>())));
        return;
    }
    const Summary time = summarize(wall);
    Row row{.step = source.noChangeStep,
            .dataset = spec.dataset,
            .central = Central::Median,
            .centralValue = time.median,
            .p99 = time.p99,
            .peakRssMb = answer->outcome.peakRssMb,
            .maxCentral = kNoChangeMs};
    // Zero content writes is half the target; a rewrite fails the row whatever the time.
    if (result["content_changed"].get<int>() > 0) row.forced = Outcome::Fail;
    row.note = noChangeNote(source, result, syncs);
    rows.push_back(row);
}

}   // namespace

void removeCache(const std::filesystem::path& db)
{
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ignored);
}

std::string writesNote(const nlohmann::json& result, int syncs)
{
    const int mainChanged = result["main_file_changed"].get<int>();
    const Summary frames = summarize(result["wal_frames"].get<std::vector<double>>());
    const double frameBytes = result["page_size"].get<double>() + kWalFrameHeaderBytes;
    const std::string main = mainChanged == 0 ? "main file untouched (size, mtime)"
                                              : fmt::format("main file written in {} syncs", mainChanged);
    return fmt::format(
        "content writes: {} (digest of records, search index, applied_at and item count the same after each); status "
        "row updated by design in {} of {} syncs ({} commits, seen by PRAGMA data_version on a second connection), "
        "{:.0f} WAL frame(s) ({:.1f} KB) a sync, {}; status.json rewritten and fsynced {} times; onApplied called {} "
        "times, {} of them for new content (the kiosk rebuilds its snapshot only for those; for a status it "
        "refreshes the source states on the same content)",
        result["content_changed"].get<int>(), result["status_changed"].get<int>(), syncs,
        result["committed"].get<int>(), frames.median, frames.median * frameBytes / 1024, main,
        result["status_file_rewritten"].get<int>(), result["notified"].get<int>(),
        result["notified_content"].get<int>());
}

std::vector<Row> measureICalendarIngest(const StepRunner& steps, const std::filesystem::path& work,
                                        const std::filesystem::path& cacheFile, int runs)
{
    const std::string dataset(kCalendarDataset);
    const std::string generateStep = "generate iCalendar (seeded)";
    const std::string step = "ingest iCalendar (1,000 events with recurrences)";
    std::vector<Row> rows;
    auto generated = steps.run("generate-ical", {work.string()});
    if (!generated) {
        rows.push_back(unmeasuredRow(generateStep, dataset, Outcome::Error, generated.error().message));
        rows.push_back(unmeasuredRow(step, dataset, Outcome::Error, "no calendar to ingest"));
        return rows;
    }
    const nlohmann::json& calendar = generated->result;
    Row generateRow{.step = generateStep,
                    .dataset = dataset,
                    .centralValue = calendar["ms"].get<double>(),
                    .peakRssMb = generated->outcome.peakRssMb};
    generateRow.note = fmt::format(
        "Europe/Helsinki with VTIMEZONE: {} weekly, {} biweekly and {} monthly (BYDAY=2TH …) series, {} timed "
        "one-offs, {} all-day, {} private; {} UNTIL (UTC), {} COUNT; {} EXDATEs; {} changed sessions "
        "(RECURRENCE-ID); {} folded lines; {:.2f} MB",
        calendar["weekly"].get<int>(), calendar["biweekly"].get<int>(), calendar["monthly"].get<int>(),
        calendar["one_offs"].get<int>(), calendar["all_day"].get<int>(), calendar["private"].get<int>(),
        calendar["with_until"].get<int>(), calendar["with_count"].get<int>(), calendar["exdates"].get<int>(),
        calendar["overrides"].get<int>(), calendar["folded_lines"].get<int>(),
        megabytes(calendar["bytes"].get<double>()));
    rows.push_back(generateRow);

    const std::string file = calendar["file"].get<std::string>();
    const auto scratch = work / "ical-ingest.sqlite";
    std::error_code ignored;
    std::filesystem::create_directories(cacheFile.parent_path(), ignored);
    std::vector<double> total;
    std::vector<double> parse;
    std::vector<double> conform;
    std::vector<double> store;
    double peakRss = 0;
    nlohmann::json last;
    for (int run = 0; run < runs; ++run) {
        const auto db = run == runs - 1 ? cacheFile : scratch;
        removeCache(db);
        auto answer = steps.run("ingest-ical", {file, db.string()});
        if (!answer) {
            rows.push_back(unmeasuredRow(step, dataset, Outcome::Error, answer.error().message));
            return rows;
        }
        total.push_back(answer->result["total_ms"].get<double>());
        parse.push_back(answer->result["parse_ms"].get<double>());
        conform.push_back(answer->result["conform_ms"].get<double>());
        store.push_back(answer->result["store_ms"].get<double>());
        peakRss = std::max(peakRss, answer->outcome.peakRssMb);
        last = answer->result;
    }
    removeCache(scratch);
    Row row{.step = step,
            .dataset = dataset,
            .central = Central::Median,
            .centralValue = summarize(total).median,
            .peakRssMb = peakRss,
            .maxCentral = kIngestMs,
            .maxRssMb = kIngestRssMb};
    row.note = fmt::format("{} events ({} recurring, {} changed sessions, {} EXDATEs) from {} VEVENTs; {} problems "
                           "listed ({} private entries left out); parseICalendar {:.0f} + conformToStore {:.0f} + "
                           "open and replaceSource {:.0f} ms (medians); {} runs",
                           last["events"].get<int>(), last["recurring"].get<int>(), last["overrides"].get<int>(),
                           last["exdates"].get<int>(), calendar["vevents"].get<int>(), last["problems"].get<int>(),
                           calendar["private"].get<int>(), summarize(parse).median, summarize(conform).median,
                           summarize(store).median, runs);
    rows.push_back(row);
    return rows;
}

std::vector<Row> measureSync(const StepRunner& steps, const SyncBenchSpec& spec)
{
    std::vector<Row> rows;
    SourceUnderTest http{Transport::Http, {}, "sync apply (200)", "sync 304 path (no change)", spec.work / "sync-http"};
    if (const auto nginx = NginxServer::find(); !nginx) {
        const std::string why = "skipped: nginx is not installed (./dev setup installs nginx-light)";
        rows.push_back(unmeasuredRow(http.applyStep, spec.dataset, Outcome::Skipped, why));
        rows.push_back(unmeasuredRow(http.noChangeStep, spec.dataset, Outcome::Skipped, why));
    } else if (auto server = NginxServer::start(*nginx, spec.work / "nginx", steps.log()); !server) {
        addErrors(rows, http, spec.dataset, server.error().message);
    } else {
        std::error_code error;
        std::filesystem::copy_file(spec.bundle, server->root() / "region.json",
                                   std::filesystem::copy_options::overwrite_existing, error);
        if (error) {
            addErrors(rows, http, spec.dataset, fmt::format("{}: {}", spec.bundle.string(), error.message()));
        } else {
            http.url = server->url("region.json");
            measureSource(steps, spec, http, rows);
        }
        server->stop();
    }
    measureSource(steps, spec,
                  SourceUnderTest{Transport::File, fileUrl(spec.bundle), "sync apply (file://)",
                                  "sync no change (file://)", spec.work / "sync-file"},
                  rows);
    return rows;
}

}   // namespace kohtaamo::bench
