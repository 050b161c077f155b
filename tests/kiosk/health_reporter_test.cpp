#include "app/health_reporter.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace kohtaamo;

TEST_CASE("metrics say when a frame was drawn, how old the content is and how each source did")
{
    const Instant now = *parseInstant("2026-03-10T10:00Z", TimeZone::helsinki());
    SourceState ok{.id = "demo", .kind = "bundle", .itemCount = 120};
    ok.lastSuccess = now - std::chrono::hours{2};
    SourceState failing{.id = "kalenteri \"A\"", .kind = "ical", .itemCount = 7};
    failing.lastSuccess = now - std::chrono::hours{30};
    failing.error = "HTTP 503";
    const auto snapshot = Snapshot::build({}, {ok, failing}, SnapshotWindow::around(now));
    const std::string text = metricsText(*snapshot, true, now - std::chrono::seconds{3}, now, "0.1.0", 23 << 20);
    CHECK(text.find("kohtaamo_build_info{version=\"0.1.0\"} 1\n") != std::string::npos);
    CHECK(text.find(fmt::format("kohtaamo_last_frame_timestamp_seconds {}\n", now.time_since_epoch().count() - 3)) !=
          std::string::npos);
    CHECK(text.find("kohtaamo_content_age_seconds 7200\n") != std::string::npos);
    CHECK(text.find("kohtaamo_screen_on 1\n") != std::string::npos);
    CHECK(text.find("kohtaamo_source_items{source=\"demo\"} 120\n") != std::string::npos);
    CHECK(text.find("kohtaamo_source_error{source=\"kalenteri \\\"A\\\"\"} 1\n") != std::string::npos);
    CHECK(text.find("kohtaamo_resident_memory_bytes 24117248\n") != std::string::npos);
}

TEST_CASE("the metrics file is replaced whole, at most once a minute")
{
    const auto file = std::filesystem::temp_directory_path() / "kohtaamo-metrics-test.prom";
    std::filesystem::remove(file);
    HealthReporter reporter(file, "0.1.0");
    const Instant now = *parseInstant("2026-03-10T10:00Z", TimeZone::helsinki());
    const auto snapshot = Snapshot::build({}, {}, SnapshotWindow::around(now));
    reporter.framePresented(now);
    reporter.update(*snapshot, true, now);
    REQUIRE(std::filesystem::exists(file));
    const auto first = std::filesystem::last_write_time(file);
    reporter.update(*snapshot, false, now + std::chrono::seconds{30});
    CHECK(std::filesystem::last_write_time(file) == first);
    CHECK_FALSE(std::filesystem::exists(file.string() + ".tmp"));
    std::filesystem::remove(file);
}
