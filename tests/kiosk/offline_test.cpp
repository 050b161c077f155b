// The kiosk with the network unplugged: a sync that cannot reach its source changes nothing, and
// the kiosk shows the cached content and how old it is. Runs the real binary, as IT would.

#include "kiosk_binary.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

namespace {

using kohtaamo::test::Run;

Run run(const std::string& arguments) { return kohtaamo::test::runKiosk(arguments); }

void writeConfig(const std::filesystem::path& file, const std::filesystem::path& dataDir, const std::string& url)
{
    std::ofstream(file) << fmt::format("data_dir = \"{}\"\n\n[[source]]\nid = \"alue\"\nkind = \"bundle\"\nurl = \"{}\"\n",
                                       dataDir.string(), url);
}

} // namespace

TEST_CASE("with the network unplugged the kiosk shows its cached content and says how old it is")
{
    std::random_device random;
    const auto dir = std::filesystem::temp_directory_path() / fmt::format("kohtaamo-offline-{}", random());
    std::filesystem::create_directories(dir);
    const auto config = dir / "kiosk.toml";
    const auto data = dir / "data";

    // Online: the region's bundle arrives.
    writeConfig(config, data, "file://" KOHTAAMO_SOURCE_DIR "/assets/demo/demo-region.json");
    const Run first = run(fmt::format("--config '{}' --sync-once", config.string()));
    INFO(first.output);
    REQUIRE(first.exitCode == 0);

    // Offline: nothing listens where the source now points.
    writeConfig(config, data, "http://127.0.0.1:9/jarvela.json");
    const Run offline = run(fmt::format("--config '{}' --sync-once", config.string()));
    INFO(offline.output);
    CHECK(offline.exitCode != 0);
    CHECK(offline.output.find("alue") != std::string::npos);

    const Run home = run(fmt::format("--config '{}' --print-home --now 2026-12-01T10:00", config.string()));
    INFO(home.output);
    CHECK(home.exitCode == 0);
    CHECK(home.output.find("Content updated ") != std::string::npos);
    CHECK(home.output.find("Source alue failed: ") != std::string::npos);
    CHECK(home.output.find("Kohtaamispaikka Majakka") != std::string::npos);   // the cache is still shown
    const Run events = run(fmt::format("--config '{}' --list-events 2026-12-01 2026-12-02", config.string()));
    CHECK(events.output.find("alue\t") != std::string::npos);
    std::filesystem::remove_all(dir);
}
