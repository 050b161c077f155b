#include "content/bundle.hpp"

#include "bundle_codec.hpp"
#include "text_sanitise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace kohtaamo {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "kohtaamo-bundle";
constexpr std::int64_t kVersion = 1;
constexpr std::size_t kMaxBytes = 32 * 1024 * 1024;
constexpr std::size_t kMaxItems = 50'000;
// A file saved as Latin-1 has a bad byte in every "ä"; a hundred of them make the point.
constexpr std::size_t kMaxUtf8Problems = 100;

std::string quote(std::string_view text)
{
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

// `$.places`, or `$["odd key"]` for keys that are not plain names (they may even be broken UTF-8).
std::string member(std::string_view path, std::string_view key)
{
    const bool plain = !key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == key.npos;
    return plain ? fmt::format("{}.{}", path, key) : fmt::format("{}[{}]", path, quote(key));
}

struct Utf8Repair {
    std::vector<std::size_t> badOffsets;
    std::string repaired;   ///< the text with each bad sequence replaced by U+FFFD
};

Utf8Repair repairUtf8(std::string_view text)
{
    Utf8Repair result;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text_sanitise::decodeUtf8(text, pos)) continue;
        if (result.badOffsets.empty()) result.repaired.assign(text.substr(0, pos));
        result.badOffsets.push_back(pos);
        result.repaired += "\xEF\xBF\xBD";
        // The stray continuation bytes of a broken sequence are the same mistake, not new ones.
        ++pos;
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
        const auto next = pos;
        // decodeUtf8 stops without advancing at the next bad sequence, for the outer loop to report.
        while (pos < text.size() && text_sanitise::decodeUtf8(text, pos)) {}
        result.repaired.append(text.substr(next, pos - next));
    }
    return result;
}

// nlohmann's parser refuses invalid UTF-8 without saying where it was; this light scanner (not a
// parser) follows objects, arrays and strings to name the JSON path each bad offset lies in.
std::vector<std::string> pathsOf(std::string_view text, const std::vector<std::size_t>& offsets)
{
    struct Frame {
        bool isArray = false;
        bool awaitingKey = true;
        std::size_t index = 0;
        std::string key;
    };
    std::vector<Frame> stack;
    const auto currentPath = [&] {
        std::string path = "$";
        for (const auto& frame : stack) {
            if (frame.isArray) {
                path += fmt::format("[{}]", frame.index);
            } else if (!frame.awaitingKey) {
                path = member(path, frame.key);
            }
        }
        return path;
    };
    std::vector<std::string> paths;
    std::size_t pos = 0;
    while (paths.size() < offsets.size() && pos < text.size()) {
        while (paths.size() < offsets.size() && offsets[paths.size()] < pos) paths.push_back(currentPath());
        const char c = text[pos];
        if (c == '"') {
            std::size_t end = pos + 1;
            while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
            const bool isKey = !stack.empty() && !stack.back().isArray && stack.back().awaitingKey;
            const std::string content(text.substr(pos + 1, std::min(end, text.size()) - pos - 1));
            const auto where = isKey ? member(currentPath(), content) : currentPath();
            while (paths.size() < offsets.size() && offsets[paths.size()] <= end) paths.push_back(where);
            if (isKey) stack.back().key = content;
            pos = end + 1;
            continue;
        }
        if (c == '{' || c == '[') stack.push_back(Frame{c == '[', true, 0, {}});
        if ((c == '}' || c == ']') && !stack.empty()) stack.pop_back();
        if (c == ':' && !stack.empty()) stack.back().awaitingKey = false;
        if (c == ',' && !stack.empty()) {
            if (stack.back().isArray) {
                ++stack.back().index;
            } else {
                stack.back().awaitingKey = true;
            }
        }
        ++pos;
    }
    while (paths.size() < offsets.size()) paths.push_back(currentPath());
    return paths;
}

void reportInvalidUtf8(std::string_view text, const std::vector<std::size_t>& offsets, std::vector<BundleProblem>& problems)
{
    const auto paths = pathsOf(text, offsets);
    std::size_t reported = 0;
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        if (i > 0 && paths[i] == paths[i - 1]) continue;   // one problem per string is enough
        if (reported++ == kMaxUtf8Problems) {
            problems.push_back({"$", fmt::format("more invalid UTF-8 not listed ({} bad sequences in all; "
                                                 "is the file saved as UTF-8?)", offsets.size())});
            return;
        }
        problems.push_back({paths[i], fmt::format("invalid UTF-8 at byte {} (the bundle must be UTF-8)", offsets[i])});
    }
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: …" without the bracketed id.
std::string parseErrorText(const json::exception& error)
{
    std::string_view text = error.what();
    if (const auto end = text.find("] "); text.starts_with("[json.exception") && end != text.npos) text.remove_prefix(end + 2);
    return std::string(text);
}

/// Checks "format" and "version"; false when the document is not a bundle this code understands.
bool checkHeader(const json& document, std::vector<BundleProblem>& problems)
{
    const auto before = problems.size();
    const auto format = document.find("format");
    if (format == document.end()) {
        problems.push_back({"$.format", R"(missing (required: "kohtaamo-bundle"))"});
    } else if (!format->is_string() || format->get_ref<const std::string&>() != kFormat) {
        problems.push_back({"$.format", fmt::format(R"({} is not a Kohtaamo bundle (expected "kohtaamo-bundle"))",
                                                    format->is_string() ? quote(format->get<std::string>()) : format->dump())});
    }
    const auto version = document.find("version");
    if (version == document.end()) {
        problems.push_back({"$.version", "missing (required: 1)"});
    } else if (!version->is_number_integer()) {
        problems.push_back({"$.version", fmt::format("expected the number 1, got {}", version->dump())});
    } else if (version->is_number_unsigned() ? version->get<std::uint64_t>() > kVersion : version->get<std::int64_t>() > kVersion) {
        problems.push_back({"$.version", fmt::format("version {} is newer than this kiosk understands (it reads version {}); "
                                                     "update Kohtaamo to use this bundle", version->dump(), kVersion)});
    } else if (version->get<std::int64_t>() != kVersion) {
        problems.push_back({"$.version", fmt::format("{} is not a bundle version (expected {})", version->dump(), kVersion)});
    }
    return problems.size() == before;
}

template <class Record, class Decode>
std::vector<Record> decodeList(const json& document, const char* key, Decode decode, std::vector<BundleProblem>& problems)
{
    std::vector<Record> records;
    const auto list = document.find(key);
    if (list == document.end() || list->is_null()) return records;
    const auto path = fmt::format("$.{}", key);
    if (!list->is_array()) {
        problems.push_back({path, fmt::format("expected a list, got {}", list->type_name())});
        return records;
    }
    records.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        records.push_back(decode((*list)[i], fmt::format("{}[{}]", path, i), problems));
    }
    return records;
}

std::size_t listSize(const json& document, const char* key)
{
    const auto list = document.find(key);
    return list != document.end() && list->is_array() ? list->size() : 0;
}

template <class Record>
void checkUniqueIds(const std::vector<Record>& records, std::string_view list, std::vector<BundleProblem>& problems)
{
    std::unordered_map<std::string_view, std::size_t> firstIndex;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].id.empty()) continue;   // already reported by the decoder
        const auto [it, inserted] = firstIndex.emplace(records[i].id, i);
        if (!inserted) {
            problems.push_back({fmt::format("$.{}[{}].id", list, i),
                                fmt::format("duplicate id {} (also at $.{}[{}])", quote(records[i].id), list, it->second)});
        }
    }
}

/// Cross-record checks: ids unique per list, and every place reference names a place in this bundle.
void checkReferences(const SourceContent& content, std::vector<BundleProblem>& problems)
{
    checkUniqueIds(content.places, "places", problems);
    checkUniqueIds(content.services, "services", problems);
    checkUniqueIds(content.events, "events", problems);
    checkUniqueIds(content.announcements, "announcements", problems);

    std::unordered_set<std::string_view> places;
    for (const auto& place : content.places) places.insert(place.id);
    const auto checkPlace = [&](const std::string& id, std::string path) {
        if (!id.empty() && !places.contains(id)) {
            problems.push_back({std::move(path), fmt::format("{} is not the id of a place in this bundle", quote(id))});
        }
    };

    for (std::size_t i = 0; i < content.places.size(); ++i) {
        checkPlace(content.places[i].parentId, fmt::format("$.places[{}].parent", i));
    }
    for (auto& loop : parentLoops(content.places)) problems.push_back(std::move(loop.problem));
    for (std::size_t i = 0; i < content.services.size(); ++i) {
        const auto& service = content.services[i];
        for (std::size_t j = 0; j < service.placeIds.size(); ++j) {
            checkPlace(service.placeIds[j], fmt::format("$.services[{}].places[{}]", i, j));
        }
        for (std::size_t j = 0; j < service.hoursAtPlaces.size(); ++j) {
            checkPlace(service.hoursAtPlaces[j].placeId, fmt::format("$.services[{}].hours[{}].place", i, j));
        }
    }
    for (std::size_t i = 0; i < content.events.size(); ++i) {
        checkPlace(content.events[i].placeId, fmt::format("$.events[{}].place", i));
    }
    for (std::size_t i = 0; i < content.announcements.size(); ++i) {
        checkPlace(content.announcements[i].placeId, fmt::format("$.announcements[{}].place", i));
    }
}

template <class Record, class Decode>
std::expected<Record, std::vector<BundleProblem>> conform(const Record& record, const std::string& path, Decode decode)
{
    std::vector<BundleProblem> problems;
    Record conformed = decode(bundle_codec::encode(record), path, problems);
    if (!problems.empty()) return std::unexpected(std::move(problems));
    conformed.provenance = record.provenance;
    return conformed;
}

template <class Record>
void setProvenance(std::vector<Record>& records, std::string_view sourceId)
{
    for (auto& record : records) {
        record.provenance.sourceId = std::string(sourceId);
        record.provenance.upstreamId = record.id;
    }
}

} // namespace

std::expected<SourceContent, std::vector<BundleProblem>> readBundle(std::string_view jsonText, std::string_view sourceId)
{
    std::vector<BundleProblem> problems;
    if (jsonText.size() > kMaxBytes) {
        problems.push_back({"$", fmt::format("the bundle is {} bytes; the limit is 32 MiB ({} bytes)", jsonText.size(), kMaxBytes)});
        return std::unexpected(std::move(problems));
    }

    // Report bad UTF-8 where it is, then read the repaired text so every other problem shows up too.
    auto repair = repairUtf8(jsonText);
    if (!repair.badOffsets.empty()) {
        reportInvalidUtf8(jsonText, repair.badOffsets, problems);
        jsonText = repair.repaired;
    }

    json document;
    try {
        document = json::parse(jsonText);
    } catch (const json::parse_error& error) {
        problems.push_back({"$", fmt::format("not valid JSON at byte {}: {}", error.byte, parseErrorText(error))});
        return std::unexpected(std::move(problems));
    } catch (const json::exception& error) {
        // e.g. a number too large for a double
        problems.push_back({"$", fmt::format("not valid JSON: {}", parseErrorText(error))});
        return std::unexpected(std::move(problems));
    }
    if (!document.is_object()) {
        problems.push_back({"$", fmt::format("expected a bundle object {{\"format\": \"kohtaamo-bundle\", …}}, got {}", document.type_name())});
        return std::unexpected(std::move(problems));
    }
    if (!checkHeader(document, problems)) return std::unexpected(std::move(problems));

    const auto items = listSize(document, "places") + listSize(document, "services") + listSize(document, "events") +
                       listSize(document, "announcements");
    if (items > kMaxItems) {
        problems.push_back({"$", fmt::format("the bundle has {} items; the limit is {}", items, kMaxItems)});
        return std::unexpected(std::move(problems));
    }

    SourceContent content;
    content.places = decodeList<Place>(document, "places", bundle_codec::decodePlace, problems);
    content.services = decodeList<Service>(document, "services", bundle_codec::decodeService, problems);
    content.events = decodeList<Event>(document, "events", bundle_codec::decodeEvent, problems);
    content.announcements = decodeList<Announcement>(document, "announcements", bundle_codec::decodeAnnouncement, problems);
    checkReferences(content, problems);
    if (!problems.empty()) return std::unexpected(std::move(problems));

    setProvenance(content.places, sourceId);
    setProvenance(content.services, sourceId);
    setProvenance(content.events, sourceId);
    setProvenance(content.announcements, sourceId);
    return content;
}

std::string writeBundle(const SourceContent& content)
{
    json document = {{"format", kFormat}, {"version", kVersion}};
    const auto encodeAll = [](const auto& records) {
        json list = json::array();
        for (const auto& record : records) list.push_back(bundle_codec::encode(record));
        return list;
    };
    document["places"] = encodeAll(content.places);
    document["services"] = encodeAll(content.services);
    document["events"] = encodeAll(content.events);
    document["announcements"] = encodeAll(content.announcements);
    // Model strings from other sources may hold invalid UTF-8; writing must not throw over it.
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::expected<Place, std::vector<BundleProblem>> conformRecord(const Place& place, const std::string& path)
{
    return conform(place, path, bundle_codec::decodePlace);
}

std::expected<Service, std::vector<BundleProblem>> conformRecord(const Service& service, const std::string& path)
{
    return conform(service, path, bundle_codec::decodeService);
}

std::expected<Event, std::vector<BundleProblem>> conformRecord(const Event& event, const std::string& path)
{
    return conform(event, path, bundle_codec::decodeEvent);
}

std::expected<Announcement, std::vector<BundleProblem>> conformRecord(const Announcement& announcement, const std::string& path)
{
    return conform(announcement, path, bundle_codec::decodeAnnouncement);
}

std::vector<ParentLoop> parentLoops(const std::vector<Place>& places)
{
    std::unordered_map<std::string_view, const Place*> byId;
    for (const auto& place : places) byId.emplace(place.id, &place);
    std::vector<ParentLoop> loops;
    for (std::size_t i = 0; i < places.size(); ++i) {
        const auto& place = places[i];
        std::string chain = place.id;
        const Place* current = &place;
        for (std::size_t step = 0; step < places.size() && !current->parentId.empty(); ++step) {
            const auto parent = byId.find(current->parentId);
            if (parent == byId.end()) break;
            current = parent->second;
            chain += " → " + current->id;
            if (current->id == place.id) {
                loops.push_back({i, {fmt::format("$.places[{}].parent", i),
                                     fmt::format("the parent chain loops back to {} ({})", quote(place.id), chain)}});
                break;
            }
        }
    }
    return loops;
}

Error bundleError(std::string_view fileName, const std::vector<BundleProblem>& problems)
{
    std::string message;
    for (const auto& problem : problems) {
        if (!message.empty()) message += '\n';
        message += fmt::format("{}: {}: {}", fileName, problem.path, problem.message);
    }
    return Error{ErrorCode::InvalidInput, std::move(message)};
}

} // namespace kohtaamo
