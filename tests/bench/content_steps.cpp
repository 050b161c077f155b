// Child steps that exercise the content library only: generating, ingesting, snapshots, search.

#include "child_steps.hpp"
#include "region_generator.hpp"

#include "content/bundle.hpp"
#include "content/content_store.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace kohtaamo::bench {
namespace {

using Clock = std::chrono::steady_clock;

bool hasDropIn(const Place& place)
{
    return std::any_of(place.hours.weekly.begin(), place.hours.weekly.end(),
                       [](const WeeklyHours& hours) { return hours.kind == HoursKind::DropIn; });
}

nlohmann::json writeRegion(const RegionSpec& spec, const std::filesystem::path& file)
{
    const auto start = Clock::now();
    GeneratedRegion region = generateRegion(spec);
    const std::string text = writeBundle(region.content);
    const double ms = millisecondsSince(start);
    if (!writeFile(file, text)) return nullptr;
    std::string homePlace;
    for (const Place& place : region.content.places) {
        if (place.kind == PlaceKind::MeetingPlace && hasDropIn(place)) {
            homePlace = place.id;
            break;
        }
    }
    return {{"file", file.string()},
            {"ms", ms},
            {"bytes", text.size()},
            {"places", region.content.places.size()},
            {"services", region.content.services.size()},
            {"events", region.content.events.size()},
            {"announcements", region.content.announcements.size()},
            {"items", region.content.itemCount()},
            {"occurrences_14_days", region.occurrencesInWindow},
            {"home_place", homePlace}};
}

}   // namespace

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int failStep(std::string_view what)
{
    std::cerr << "kohtaamo-bench: " << what << '\n';
    return 1;
}

std::optional<std::string> readFile(const std::filesystem::path& file)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream) return std::nullopt;
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

bool writeFile(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << text;
    return static_cast<bool>(stream);
}

Instant benchNow() { return *parseInstant(kBenchNow, TimeZone::helsinki()); }

void writeResult(const nlohmann::json& result)
{
    const std::string text = result.dump() + "\n";
    std::size_t written = 0;
    while (written < text.size()) {
        const auto count = ::write(3, text.data() + written, text.size() - written);
        if (count <= 0) return;
        written += static_cast<std::size_t>(count);
    }
}

int generateStep(const Arguments& arguments)
{
    if (arguments.size() != 1) return failStep("generate needs WORK_DIR");
    const std::filesystem::path dir = arguments[0];
    const LocalDate windowStart = TimeZone::helsinki().localDate(benchNow());
    // 2,000 places, 5,000 services and enough weekly events for ~50,000 sessions in 14 days.
    const RegionSpec large{.seed = 20260310,
                           .places = 2000,
                           .services = 5000,
                           .targetOccurrences = 50000,
                           .announcements = 30,
                           .windowStart = windowStart};
    // A realistic big single bundle: 5,000 items in all.
    const RegionSpec items5000{
        .seed = 5000, .places = 500, .services = 1500, .events = 2970, .announcements = 30, .windowStart = windowStart};
    nlohmann::json result{{"large", writeRegion(large, dir / "large-region.json")},
                          {"bundle5000", writeRegion(items5000, dir / "bundle-5000.json")}};
    if (result["large"].is_null() || result["bundle5000"].is_null())
        return failStep("cannot write the generated bundles");
    writeResult(result);
    return 0;
}

int ingestStep(const Arguments& arguments)
{
    if (arguments.size() != 3) return failStep("ingest needs BUNDLE DB SOURCE_ID");
    const std::filesystem::path bundleFile = arguments[0];
    const std::filesystem::path dbFile = arguments[1];
    auto text = readFile(bundleFile);
    if (!text) return failStep(fmt::format("{}: cannot be read", bundleFile.string()));

    const auto parseStart = Clock::now();
    auto content = readBundle(*text, arguments[2]);
    const double parseMs = millisecondsSince(parseStart);
    if (!content) return failStep(bundleError(bundleFile.string(), content.error()).message);

    const auto storeStart = Clock::now();
    auto store = ContentStore::open(dbFile);
    if (!store) return failStep(store.error().message);
    const SourceState source{
        .id = arguments[2], .kind = "bundle", .url = "file://" + bundleFile.string(), .appliedAt = benchNow()};
    if (auto applied = store->replaceSource(source, *content); !applied) return failStep(applied.error().message);
    const double storeMs = millisecondsSince(storeStart);

    writeResult({{"parse_ms", parseMs},
                 {"store_ms", storeMs},
                 {"total_ms", parseMs + storeMs},
                 {"items", content->itemCount()},
                 {"bytes", text->size()}});
    return 0;
}

int snapshotStep(const Arguments& arguments)
{
    if (arguments.size() != 1) return failStep("snapshot needs DB");
    auto store = ContentStore::open(arguments[0]);
    if (!store) return failStep(store.error().message);
    const Instant now = benchNow();
    const auto start = Clock::now();
    auto snapshot = store->buildSnapshot(SnapshotWindow::around(now));
    const double ms = millisecondsSince(start);
    if (!snapshot) return failStep(snapshot.error().message);

    const TimeZone& zone = TimeZone::helsinki();
    const LocalDate today = zone.localDate(now);
    const Instant from = zone.toInstant(LocalDateTime{today});
    const Instant to = zone.toInstant(LocalDateTime{today + date::days{14}});
    const auto inWindow = (*snapshot)->occurrences(EventQuery{.from = from, .to = to}).size();
    writeResult({{"ms", ms},
                 {"occurrences_14_days", inWindow},
                 {"occurrences_total", (*snapshot)->occurrences().size()},
                 {"places", (*snapshot)->places().size()},
                 {"services", (*snapshot)->services().size()},
                 {"events", (*snapshot)->events().size()},
                 {"problems", (*snapshot)->problems().size()}});
    return 0;
}

int searchStep(const Arguments& arguments)
{
    if (arguments.size() != 2) return failStep("search needs DB MAX_SAMPLES");
    auto store = ContentStore::open(arguments[0]);
    if (!store) return failStep(store.error().message);
    const int maxSamples = std::stoi(arguments[1]);
    // What the kiosk's search worker asks for (ContentService): at most 60 hits.
    constexpr std::size_t kLimit = 60;
    constexpr auto kBudgetPerQuery = std::chrono::seconds{2};
    nlohmann::json queries = nlohmann::json::array();
    for (const std::string query : {"p", "pe", "per", "perh", "perhe"}) {
        std::size_t hits = 0;
        for (int warm = 0; warm < 2; ++warm) {
            auto answer = store->search(query, kLimit);
            if (!answer) return failStep(answer.error().message);
            hits = answer->size();
        }
        std::vector<double> samples;
        const auto budgetStart = Clock::now();
        while (static_cast<int>(samples.size()) < maxSamples &&
               (samples.size() < 5 || Clock::now() - budgetStart < kBudgetPerQuery)) {
            const auto start = Clock::now();
            auto answer = store->search(query, kLimit);
            samples.push_back(millisecondsSince(start));
            if (!answer) return failStep(answer.error().message);
        }
        queries.push_back({{"query", query}, {"hits", hits}, {"samples_ms", samples}});
    }
    writeResult({{"queries", queries}});
    return 0;
}

}   // namespace kohtaamo::bench
