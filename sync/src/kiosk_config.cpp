#include "sync/kiosk_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace kohtaamo {
namespace {

class ConfigReader {
public:
    ConfigReader(const std::filesystem::path& file, std::vector<ConfigProblem>& problems)
        : m_fileName(file.filename().string()), m_problems(problems)
    {
    }

    void problem(const toml::node* node, std::string_view key, std::string_view message)
    {
        const auto line = node ? node->source().begin.line : 0;
        m_problems.push_back({line ? fmt::format("{}:{}: {}: {}", m_fileName, line, key, message)
                                   : fmt::format("{}: {}: {}", m_fileName, key, message)});
    }

    std::optional<std::string> string(const toml::table& table, std::string_view key, std::string_view where)
    {
        const toml::node* node = table.get(key);
        if (!node) return std::nullopt;
        if (auto value = node->value<std::string>()) return value;
        problem(node, fmt::format("{}{}", where, key), "expected a string");
        return std::nullopt;
    }

    std::optional<std::int64_t> integer(const toml::table& table, std::string_view key, std::string_view where,
                                        std::int64_t min, std::int64_t max)
    {
        const toml::node* node = table.get(key);
        if (!node) return std::nullopt;
        auto value = node->value_exact<std::int64_t>();
        if (!value || *value < min || *value > max) {
            problem(node, fmt::format("{}{}", where, key), fmt::format("expected a whole number from {} to {}", min, max));
            return std::nullopt;
        }
        return value;
    }

    std::optional<std::vector<std::string>> strings(const toml::table& table, std::string_view key,
                                                    std::string_view where)
    {
        const toml::node* node = table.get(key);
        if (!node) return std::nullopt;
        const toml::array* array = node->as_array();
        std::vector<std::string> values;
        if (array) {
            for (const auto& element : *array) {
                if (auto value = element.value<std::string>()) values.push_back(*value);
                else array = nullptr;
            }
        }
        if (!array || values.empty()) {
            problem(node, fmt::format("{}{}", where, key), "expected a non-empty list of strings");
            return std::nullopt;
        }
        return values;
    }

private:
    std::string m_fileName;
    std::vector<ConfigProblem>& m_problems;
};

bool hasAllowedScheme(std::string_view url)
{
    return url.starts_with("https://") || url.starts_with("http://") || url.starts_with("file://");
}

void readSite(const toml::table& root, ConfigReader& reader, SiteConfig& site)
{
    const toml::table* table = root["site"].as_table();
    if (!table) return;
    if (auto value = reader.string(*table, "place", "site.")) site.placeId = *value;
    if (auto value = reader.strings(*table, "languages", "site.")) site.languages = *value;
    if (auto value = reader.strings(*table, "fallback", "site.")) site.fallback = *value;
    if (auto value = reader.string(*table, "default_language", "site.")) {
        if (std::find(site.languages.begin(), site.languages.end(), *value) == site.languages.end()) {
            reader.problem(table->get("default_language"), "site.default_language",
                           fmt::format("\"{}\" is not one of site.languages", *value));
        } else {
            site.defaultLanguage = *value;
        }
    }
}

void readSources(const toml::table& root, ConfigReader& reader, std::vector<SourceConfig>& sources)
{
    const toml::node* node = root.get("source");
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array || !array->is_array_of_tables()) {
        reader.problem(node, "source", "expected [[source]] tables");
        return;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::table& table = *array->get(i)->as_table();
        const std::string where = fmt::format("source[{}].", i);
        SourceConfig source;
        auto id = reader.string(table, "id", where);
        auto kind = reader.string(table, "kind", where);
        auto url = reader.string(table, "url", where);
        // PTV has one national API; a test instance or a regional mirror is set with url.
        if (!url && !table.get("url") && kind && *kind == "ptv") url = std::string(kPtvProductionApi);
        bool usable = true;
        for (auto [value, key] : {std::pair{&id, "id"}, std::pair{&kind, "kind"}, std::pair{&url, "url"}}) {
            if (!*value || (*value)->empty()) {
                if (!table.get(key)) reader.problem(&table, where + key, "is required");
                usable = false;
            }
        }
        if (!usable) continue;
        if (!seen.insert(*id).second) {
            reader.problem(table.get("id"), where + "id", fmt::format("\"{}\" is used by another source", *id));
            continue;
        }
        static const std::set<std::string, std::less<>> kKinds{"bundle", "ical", "ptv", "linkedevents"};
        if (!kKinds.contains(*kind)) {
            reader.problem(table.get("kind"), where + "kind",
                           fmt::format("\"{}\" is not one of bundle, ical, ptv, linkedevents", *kind));
            continue;
        }
        if (!hasAllowedScheme(*url)) {
            reader.problem(table.get("url"), where + "url",
                           fmt::format("\"{}\" must start with https://, http:// or file://", *url));
            continue;
        }
        source.id = *id;
        source.kind = *kind;
        source.url = *url;
        if (auto minutes = reader.integer(table, "interval_minutes", where, 1, 7 * 24 * 60)) {
            source.interval = std::chrono::minutes{*minutes};
        }
        for (const auto& [key, value] : table) {
            if (key == "id" || key == "kind" || key == "url" || key == "interval_minutes") continue;
            std::ostringstream text;
            if (auto string = value.value<std::string>()) text << *string;
            else value.visit([&](const auto& v) { text << v; });
            source.settings.emplace(std::string(key.str()), text.str());
        }
        sources.push_back(std::move(source));
    }
}

void readSync(const toml::table& root, ConfigReader& reader, SyncSettings& sync)
{
    const toml::table* table = root["sync"].as_table();
    if (!table) return;
    if (const toml::node* node = table->get("min_fraction")) {
        const auto value = node->value<double>();
        if (value && *value >= 0 && *value <= 1) sync.minFraction = *value;
        else reader.problem(node, "sync.min_fraction", "expected a number from 0 to 1 (e.g. 0.5)");
    }
    if (auto items = reader.integer(*table, "max_items", "sync.", 1, 1'000'000)) sync.maxItems = static_cast<std::size_t>(*items);
    if (auto mib = reader.integer(*table, "max_megabytes", "sync.", 1, 1024)) sync.maxBytes = static_cast<std::size_t>(*mib) << 20;
    if (auto file = reader.string(*table, "ca_bundle", "sync.")) sync.caBundle = *file;
}

} // namespace

ConfigResult parseKioskConfig(std::string_view text, const std::filesystem::path& file)
{
    ConfigResult result;
    result.config.file = file;
    ConfigReader reader(file, result.problems);
    toml::table root;
    try {
        root = toml::parse(text, file.string());
    } catch (const toml::parse_error& error) {
        result.problems.push_back({fmt::format("{}:{}: syntax error: {}", file.filename().string(),
                                               error.source().begin.line, error.description())});
        return result;
    }
    if (auto dataDir = reader.string(root, "data_dir", "")) result.config.dataDir = *dataDir;
    if (auto metrics = reader.string(root, "metrics_file", "")) result.config.metricsFile = *metrics;
    if (auto idle = reader.integer(root, "idle_seconds", "", 20, 3600)) result.config.idleTimeout = std::chrono::seconds{*idle};
    readSite(root, reader, result.config.site);
    if (const toml::table* display = root["display"].as_table()) {
        if (auto rotation = reader.integer(*display, "rotation", "display.", 0, 270)) {
            if (*rotation % 90 == 0) result.config.display.rotation = static_cast<int>(*rotation);
            else reader.problem(display->get("rotation"), "display.rotation", "expected 0, 90, 180 or 270");
        }
    }
    if (const toml::table* night = root["night"].as_table()) {
        auto off = reader.string(*night, "screen_off", "night.");
        auto on = reader.string(*night, "screen_on", "night.");
        const auto offTime = off ? parseTimeOfDay(*off) : std::nullopt;
        const auto onTime = on ? parseTimeOfDay(*on) : std::nullopt;
        if (offTime && onTime) {
            result.config.night = NightConfig{*offTime, *onTime};
        } else {
            reader.problem(night->get(offTime ? "screen_on" : "screen_off"), offTime ? "night.screen_on" : "night.screen_off",
                           "expected a time like \"21:30\" (both screen_off and screen_on are needed)");
        }
    }
    if (const toml::table* staff = root["staff"].as_table()) {
        if (auto hash = reader.string(*staff, "pin_hash", "staff.")) {
            if (hash->rfind("sha256:", 0) == 0 && std::count(hash->begin(), hash->end(), ':') == 2) {
                result.config.staff.pinHash = *hash;
            } else {
                reader.problem(staff->get("pin_hash"), "staff.pin_hash",
                               "expected \"sha256:SALT:HEX\" (make one with kohtaamo-kiosk --hash-pin PIN)");
            }
        }
        if (const toml::node* allow = staff->get("allow_exit")) {
            if (auto value = allow->value<bool>()) result.config.staff.allowExit = *value;
            else reader.problem(allow, "staff.allow_exit", "expected true or false");
        }
    }
    readSync(root, reader, result.config.sync);
    readSources(root, reader, result.config.sources);
    return result;
}

ConfigResult loadKioskConfig(const std::filesystem::path& file)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream) {
        ConfigResult result;
        result.config.file = file;
        result.problems.push_back({fmt::format("{}: cannot be read", file.string())});
        return result;
    }
    std::ostringstream text;
    text << stream.rdbuf();
    return parseKioskConfig(text.str(), file);
}

} // namespace kohtaamo
