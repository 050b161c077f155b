#include "startup.hpp"

#include "content/bundle.hpp"
#include "content/cache_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace kohtaamo {
namespace {

constexpr const char* kDefaultConfigFile = "/etc/kohtaamo/kiosk.toml";
constexpr const char* kSystemDataDir = "/var/lib/kohtaamo";
constexpr const char* kSystemAssetsDir = "/usr/share/kohtaamo";

std::filesystem::path defaultDataDir()
{
    if (::access(kSystemDataDir, W_OK) == 0) return kSystemDataDir;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
        return std::filesystem::path(state) / "kohtaamo";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::filesystem::path(home) / ".local/state/kohtaamo";
    }
    return std::filesystem::temp_directory_path() / "kohtaamo";
}

// Where the cache goes when the data directory cannot hold it: systemd's RuntimeDirectory (a tmpfs
// the service may write under ProtectSystem=strict), else the temporary directory.
std::filesystem::path fallbackDir()
{
    if (const char* runtime = std::getenv("RUNTIME_DIRECTORY"); runtime && *runtime) {
        return std::filesystem::path(runtime) / "fallback";
    }
    return std::filesystem::temp_directory_path() / fmt::format("kohtaamo-{}", ::getuid());
}

std::filesystem::path resolveAssetsDir(const CommandLine& commandLine)
{
    if (commandLine.assetsDir) return *commandLine.assetsDir;
    // An installed kiosk finds its assets beside the binary's prefix; a build tree uses the source tree.
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const auto installed = self.parent_path().parent_path() / "share/kohtaamo";
        if (std::filesystem::exists(installed / "demo", error)) return installed;
    }
    if (std::filesystem::exists(kSystemAssetsDir, error)) return kSystemAssetsDir;
    return KOHTAAMO_ASSETS_DIR;
}

Result<std::string> readFile(const std::filesystem::path& file)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream) return fail(ErrorCode::NotFound, fmt::format("{}: cannot be read", file.string()));
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

// The demo bundle's version tag: a package upgrade that ships a new demo replaces the cached one.
std::string fileTag(const std::filesystem::path& file)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    const auto modified = std::filesystem::last_write_time(file, error).time_since_epoch().count();
    return error ? std::string() : fmt::format("{}-{}", modified, size);
}

Result<void> loadDemoRegion(ContentStore& store, const std::filesystem::path& file, Instant now)
{
    auto text = readFile(file);
    if (!text) return std::unexpected(text.error());
    auto content = readBundle(*text, kDemoSourceId);
    if (!content) return std::unexpected(bundleError(file.string(), content.error()));
    SourceState source{.id = std::string(kDemoSourceId), .kind = "bundle",
                       .url = "file://" + std::filesystem::absolute(file).string(), .appliedAt = now};
    if (auto applied = store.replaceSource(source, *content); !applied) return applied;
    source.etag = fileTag(file);
    source.lastAttempt = source.lastSuccess = now;
    source.bytes = static_cast<std::int64_t>(text->size());
    return store.recordSyncStatus(source);
}

} // namespace

Result<Startup> startUp(const CommandLine& commandLine)
{
    std::vector<std::string> warnings;
    KioskConfig config;
    std::optional<std::filesystem::path> configFile = commandLine.configFile;
    std::error_code error;
    if (!configFile && std::filesystem::exists(kDefaultConfigFile, error)) configFile = kDefaultConfigFile;
    if (configFile) {
        auto loaded = loadKioskConfig(*configFile);
        config = std::move(loaded.config);
        for (auto& problem : loaded.problems) warnings.push_back(std::move(problem.message));
    }

    const auto dataDir = commandLine.dataDir ? *commandLine.dataDir
                         : !config.dataDir.empty() ? config.dataDir
                                                   : defaultDataDir();
    // --now makes the demo's "updated" time reproducible in screenshots.
    const Instant now = commandLine.now.value_or(systemNow());
    auto cache = openCache(dataDir, fallbackDir(), now);
    if (!cache) return std::unexpected(cache.error());
    for (const auto& notice : cache->notices) warnings.push_back(notice);
    ContentStore* store = &cache->store;

    const auto assetsDir = resolveAssetsDir(commandLine);
    auto known = store->sources();
    if (!known) return std::unexpected(known.error());
    if (!configFile) {
        const auto demoFile = assetsDir / "demo/demo-region.json";
        const auto demo = std::find_if(known->begin(), known->end(),
                                       [](const SourceState& s) { return s.id == kDemoSourceId; });
        if (demo == known->end() || demo->etag != fileTag(demoFile)) {
            // A broken demo file must not blank a kiosk that already has the demo cached.
            if (auto loaded = loadDemoRegion(*store, demoFile, now); !loaded) {
                if (demo == known->end()) return std::unexpected(loaded.error());
                warnings.push_back(loaded.error().message);
            }
        }
    } else {
        for (const auto& source : *known) {
            const bool configured = std::any_of(config.sources.begin(), config.sources.end(),
                                                [&](const SourceConfig& c) { return c.id == source.id; });
            if (configured) continue;
            if (auto removed = store->removeSource(source.id); !removed) warnings.push_back(removed.error().message);
        }
    }
    return Startup{std::move(config), assetsDir, cache->file, std::move(cache->store), std::move(warnings),
                   CacheStatus{std::move(cache->notices), cache->temporary}};
}

} // namespace kohtaamo
