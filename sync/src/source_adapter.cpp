#include "sync/source_adapter.hpp"

#include "display_url.hpp"
#include "fnv1a.hpp"

#include "content/bundle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <map>
#include <iterator>
#include <set>
#include <type_traits>

namespace kohtaamo {
namespace {

constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kShortenedPrefix = 100;
// Conforming drops the records the codec refuses and tries again; a second refusal can only come
// from a cross-record rule (a duplicate id), so a third pass is never needed for a sane feed.
constexpr int kConformPasses = 3;
// Records conformed at a time (places all at once).
constexpr std::size_t kConformSlice = 500;

std::size_t codePoints(std::string_view text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string lowerAscii(std::string_view text)
{
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// ---- Settings ------------------------------------------------------------------------------

class SettingsReader {
public:
    explicit SettingsReader(const SourceConfig& source) : m_source(source) {}

    std::optional<std::string_view> text(std::string_view key) const
    {
        const auto it = m_source.settings.find(key);
        if (it == m_source.settings.end()) return std::nullopt;
        return std::string_view(it->second);
    }

    Error bad(std::string_view key, std::string_view value, std::string_view expected) const
    {
        return Error{ErrorCode::InvalidInput, fmt::format("source \"{}\": {} = \"{}\": expected {}", m_source.id, key,
                                                          value, expected)};
    }

    Result<std::optional<bool>> boolean(std::string_view key) const
    {
        const auto value = text(key);
        if (!value) return std::nullopt;
        if (*value == "true") return true;
        if (*value == "false") return false;
        return std::unexpected(bad(key, *value, "true or false"));
    }

    Result<std::optional<int>> age(std::string_view key) const
    {
        const auto value = text(key);
        if (!value) return std::nullopt;
        int years = 0;
        const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), years);
        if (error != std::errc{} || end != value->data() + value->size() || years < 0 || years > 120) {
            return std::unexpected(bad(key, *value, "a whole number of years from 0 to 120"));
        }
        return years;
    }

    template <class Enum>
    Result<std::optional<Enum>> key(std::string_view name, std::string_view expected) const
    {
        const auto value = text(name);
        if (!value) return std::nullopt;
        if (auto parsed = fromKey<Enum>(*value)) return *parsed;
        return std::unexpected(bad(name, *value, expected));
    }

private:
    const SourceConfig& m_source;
};

bool isLanguageCode(std::string_view code)
{
    return code.size() >= 2 && code.size() <= 3 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// "fi, sv" as the issue's config shows it, or a TOML list ["fi", "sv"] as the config reader prints it.
std::vector<std::string> splitLanguages(std::string_view text)
{
    std::vector<std::string> languages;
    std::string current;
    for (char c : text) {
        if (c == ',' || c == ' ' || c == '\t' || c == '[' || c == ']' || c == '"' || c == '\'') {
            if (!current.empty()) languages.push_back(std::exchange(current, {}));
        } else {
            current += c;
        }
    }
    if (!current.empty()) languages.push_back(current);
    return languages;
}

// ---- Conforming foreign records ------------------------------------------------------------

void shortenIds(SourceContent& content, std::vector<FeedProblem>& problems)
{
    const auto shorten = [&](std::string& id, std::string_view what) {
        if (codePoints(id) <= kMaxIdLength) return;
        auto shorter = shortenedId(id);
        problems.push_back({fmt::format("{} \"{}…\"", what, id.substr(0, 40)),
                            fmt::format("id shortened to \"{}\" (ids have at most {} characters)", shorter, kMaxIdLength)});
        id = std::move(shorter);
    };
    // References are shortened silently: the same id always shortens to the same value.
    const auto reference = [](std::string& id) {
        if (codePoints(id) > kMaxIdLength) id = shortenedId(id);
    };
    for (auto& place : content.places) {
        shorten(place.id, "place");
        reference(place.parentId);
    }
    for (auto& service : content.services) {
        shorten(service.id, "service");
        for (auto& id : service.placeIds) reference(id);
        for (auto& hours : service.hoursAtPlaces) reference(hours.placeId);
    }
    for (auto& event : content.events) {
        shorten(event.id, "event");
        reference(event.placeId);
    }
    for (auto& announcement : content.announcements) {
        shorten(announcement.id, "announcement");
        reference(announcement.placeId);
    }
}

template <class Record>
std::string describeRecord(const Record& record, std::string_view what)
{
    if (!record.provenance.upstreamId.empty() && record.provenance.upstreamId != record.id) {
        return fmt::format("{} \"{}\" (upstream id \"{}\")", what, record.id.substr(0, 60),
                           record.provenance.upstreamId.substr(0, 60));
    }
    return fmt::format("{} \"{}\"", what, record.id.substr(0, 60));
}

bool isWebUrl(std::string_view url)
{
    const auto scheme = lowerAscii(url.substr(0, 8));
    const std::size_t prefix = scheme.starts_with("https://") ? 8 : scheme.starts_with("http://") ? 7 : 0;
    return prefix > 0 && url.size() > prefix &&
           std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

// QR codes only ever point at web pages, phone numbers or e-mail addresses; the store keeps the
// latter two in their own contact fields.
void checkUrls(SourceContent& content, std::vector<FeedProblem>& problems)
{
    const auto contactUrl = [&](auto& record, std::string_view what) {
        Contact& contact = record.contact;
        if (contact.url.empty() || isWebUrl(contact.url)) return;
        const auto scheme = lowerAscii(contact.url.substr(0, 7));
        if (scheme.starts_with("tel:") && contact.phone.empty()) {
            contact.phone = contact.url.substr(4);
        } else if (scheme.starts_with("mailto:") && contact.email.empty()) {
            const auto address = contact.url.substr(7);
            contact.email = address.substr(0, address.find('?'));
        } else {
            problems.push_back({describeRecord(record, what),
                                fmt::format("URL \"{}\" dropped (only http(s), tel: and mailto: links are shown)",
                                            contact.url.substr(0, 80))});
        }
        contact.url.clear();
    };
    for (auto& place : content.places) contactUrl(place, "place");
    for (auto& service : content.services) contactUrl(service, "service");
    for (auto& event : content.events) {
        if (event.url.empty() || isWebUrl(event.url)) continue;
        problems.push_back({describeRecord(event, "event"),
                            fmt::format("URL \"{}\" dropped (an event link must be http(s))", event.url.substr(0, 80))});
        event.url.clear();
    }
}

// "$.events[12].schedule.rrule" → {"events", 12}
std::optional<std::pair<std::string, std::size_t>> recordOf(std::string_view path)
{
    if (!path.starts_with("$.")) return std::nullopt;
    path.remove_prefix(2);
    const auto open = path.find('[');
    const auto close = path.find(']');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    std::size_t index = 0;
    const auto digits = path.substr(open + 1, close - open - 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return std::pair{std::string(path.substr(0, open)), index};
}

// Places referenced but not in this feed belong to another source; stand-ins let readBundle's
// reference check pass without weakening any of its per-record checks.
std::size_t addStandInPlaces(SourceContent& content)
{
    const std::size_t real = content.places.size();
    std::set<std::string, std::less<>> known;
    for (const auto& place : content.places) known.insert(place.id);
    std::set<std::string, std::less<>> missing;
    const auto note = [&](const std::string& id) {
        if (!id.empty() && !known.contains(id)) missing.insert(id);
    };
    for (const auto& place : content.places) note(place.parentId);
    for (const auto& service : content.services) {
        for (const auto& id : service.placeIds) note(id);
        for (const auto& hours : service.hoursAtPlaces) note(hours.placeId);
    }
    for (const auto& event : content.events) note(event.placeId);
    for (const auto& announcement : content.announcements) note(announcement.placeId);
    for (const auto& id : missing) content.places.push_back(Place{.id = id, .name = LocalizedText{{"fi", "-"}}});
    return real;
}


template <class Record>
void dropRecords(std::vector<Record>& records, const std::set<std::size_t>& drop)
{
    std::size_t index = 0;
    std::erase_if(records, [&](const Record&) { return drop.contains(index++); });
}

// The decoded records keep the adapter's provenance (readBundle sets upstreamId = id).
template <class Record>
void takeDecoded(std::vector<Record>& original, std::vector<Record>& decoded)
{
    decoded.resize(original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        decoded[i].provenance = std::move(original[i].provenance);
        original[i] = std::move(decoded[i]);
    }
}

// Ids appear once per list, as the codec requires; a later record with a taken id is left out.
template <class Record>
void leaveOutDuplicates(std::vector<Record>& records, std::string_view list, std::string_view what,
                        std::vector<FeedProblem>& problems)
{
    std::map<std::string_view, std::size_t> firstIndex;
    std::set<std::size_t> drop;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].id.empty()) continue;   // the codec refuses it on its own
        const auto [it, inserted] = firstIndex.emplace(records[i].id, i);
        if (!inserted) {
            problems.push_back({describeRecord(records[i], what),
                                fmt::format("left out: $.{}[{}].id: duplicate id \"{}\" (also at $.{}[{}])", list, i,
                                            records[i].id, list, it->second)});
            drop.insert(i);
        }
    }
    dropRecords(records, drop);
}

// Conforms one list of `content` through the bundle codec, a slice at a time (all places at once),
// each slice with stand-ins for the places it refers to. A slice's bundle stays small, so conforming
// a large feed needs neither a copy of all of it nor its whole bundle text and JSON document at once
// (and never meets readBundle's size limit).
template <class Record>
Result<void> conformList(SourceContent& content, std::vector<Record> SourceContent::*member, std::string_view list,
                         std::string_view what, std::string_view sourceId, std::vector<FeedProblem>& problems)
{
    constexpr bool kPlaces = std::is_same_v<Record, Place>;
    std::vector<Record>& records = content.*member;
    const std::size_t sliceSize = kPlaces ? std::max<std::size_t>(records.size(), 1) : kConformSlice;
    std::vector<Record> conformed;
    conformed.reserve(records.size());
    for (std::size_t start = 0; start < records.size(); start += sliceSize) {
        const auto end = std::min(records.size(), start + sliceSize);
        SourceContent slice;
        (slice.*member).assign(std::make_move_iterator(records.begin() + static_cast<std::ptrdiff_t>(start)),
                               std::make_move_iterator(records.begin() + static_cast<std::ptrdiff_t>(end)));
        bool done = false;
        for (int pass = 0; pass < kConformPasses && !done; ++pass) {
            const std::size_t realPlaces = addStandInPlaces(slice);
            auto decoded = readBundle(writeBundle(slice), sourceId);
            if (decoded) {
                slice.places.resize(realPlaces);
                decoded->places.resize(realPlaces);
                takeDecoded(slice.*member, (*decoded).*member);
                done = true;
                break;
            }
            std::set<std::size_t> drop;
            for (const auto& problem : decoded.error()) {
                const auto record = recordOf(problem.path);
                if (!record) {
                    return fail(ErrorCode::InvalidInput, fmt::format("source \"{}\": the feed cannot be stored: {}: {}",
                                                                     sourceId, problem.path, problem.message));
                }
                // A stand-in place is only refused for an invalid id, which its referrers report too.
                if (record->first != list || (kPlaces && record->second >= realPlaces)) continue;
                const auto& path = problem.path;
                const auto index = record->second;
                // Paths name the record's place in the whole list, not in the slice.
                const auto shown = fmt::format("$.{}[{}]{}", list, start + index, path.substr(path.find(']') + 1));
                problems.push_back({describeRecord((slice.*member).at(index), what),
                                    fmt::format("left out: {}: {}", shown, problem.message)});
                drop.insert(index);
            }
            slice.places.resize(realPlaces);
            dropRecords(slice.*member, drop);
        }
        if (!done) {
            return fail(ErrorCode::InvalidInput,
                        fmt::format("source \"{}\": the feed's records could not be made valid for the cache", sourceId));
        }
        std::move((slice.*member).begin(), (slice.*member).end(), std::back_inserter(conformed));
    }
    records = std::move(conformed);
    return {};
}

// ---- Adapters ------------------------------------------------------------------------------

class BundleAdapter final : public SourceAdapter {
public:
    Result<ParsedFeed> parse(std::string_view bytes, const SourceConfig& source) const override
    {
        auto content = readBundle(bytes, source.id);
        if (!content) return std::unexpected(bundleError(displayUrl(source.url), content.error()));
        return ParsedFeed{std::move(*content), {}};
    }
    std::string_view accept() const override { return "application/json"; }
};

class ICalAdapter final : public SourceAdapter {
public:
    Result<ParsedFeed> parse(std::string_view bytes, const SourceConfig& source) const override
    {
        auto settings = icalSettings(source);
        if (!settings) return std::unexpected(settings.error());
        auto feed = parseICalendar(bytes, *settings);
        if (!feed) {
            return fail(feed.error().code, fmt::format("{}: {}", displayUrl(source.url), feed.error().message));
        }
        if (auto conformed = conformToStore(*feed, source.id); !conformed) return std::unexpected(conformed.error());
        return feed;
    }
    std::string_view accept() const override { return "text/calendar, */*;q=0.5"; }
};

} // namespace

std::string shortenedId(std::string_view id)
{
    if (codePoints(id) <= kMaxIdLength) return std::string(id);
    std::size_t end = 0;
    for (std::size_t count = 0; end < id.size(); ++end) {
        if ((static_cast<unsigned char>(id[end]) & 0xC0) != 0x80 && count++ == kShortenedPrefix) break;
    }
    return fmt::format("{}~{:016x}", id.substr(0, end), fnv1a(id));
}

Result<ICalSettings> icalSettings(const SourceConfig& source)
{
    const SettingsReader reader(source);
    ICalSettings settings;
    settings.sourceId = source.id;
    if (auto place = reader.text("place")) settings.placeId = std::string(*place);

    auto category = reader.key<EventCategory>("category", "one of peer_group, dropin, club, info, other");
    if (!category) return std::unexpected(category.error());
    if (*category) settings.category = **category;
    auto registration = reader.key<Registration>("registration", "none or required");
    if (!registration) return std::unexpected(registration.error());
    if (*registration) settings.registration = **registration;

    auto minAge = reader.age("min_age");
    if (!minAge) return std::unexpected(minAge.error());
    auto maxAge = reader.age("max_age");
    if (!maxAge) return std::unexpected(maxAge.error());
    if (*minAge && *maxAge && **maxAge < **minAge) {
        return std::unexpected(reader.bad("max_age", *reader.text("max_age"),
                                          fmt::format("an age not below min_age ({})", **minAge)));
    }
    settings.audience.minAge = *minAge;
    settings.audience.maxAge = *maxAge;
    auto parents = reader.boolean("parents");
    if (!parents) return std::unexpected(parents.error());
    settings.audience.parents = parents->value_or(false);
    auto isFree = reader.boolean("free");
    if (!isFree) return std::unexpected(isFree.error());
    settings.isFree = *isFree;

    if (auto languages = reader.text("languages")) {
        settings.languages = splitLanguages(*languages);
        if (settings.languages.empty() || !std::all_of(settings.languages.begin(), settings.languages.end(),
                                                        [](const std::string& code) { return isLanguageCode(code); })) {
            return std::unexpected(reader.bad("languages", *languages, R"(language codes such as "fi, sv")"));
        }
    }
    if (auto language = reader.text("language")) {
        if (!isLanguageCode(*language)) return std::unexpected(reader.bad("language", *language, R"(a language code such as "fi")"));
        settings.feedLanguage = std::string(*language);
    }
    return settings;
}

Result<void> conformToStore(ParsedFeed& feed, std::string_view sourceId)
{
    SourceContent& content = feed.content;
    shortenIds(content, feed.problems);
    checkUrls(content, feed.problems);
    // Duplicates first, over whole lists: the codec only sees one slice at a time.
    leaveOutDuplicates(content.places, "places", "place", feed.problems);
    leaveOutDuplicates(content.services, "services", "service", feed.problems);
    leaveOutDuplicates(content.events, "events", "event", feed.problems);
    leaveOutDuplicates(content.announcements, "announcements", "announcement", feed.problems);
    // Places in one slice, so the codec can follow parent chains; the others in slices.
    if (auto conformed = conformList(content, &SourceContent::places, "places", "place", sourceId, feed.problems); !conformed) {
        return conformed;
    }
    if (auto conformed = conformList(content, &SourceContent::services, "services", "service", sourceId, feed.problems); !conformed) {
        return conformed;
    }
    if (auto conformed = conformList(content, &SourceContent::events, "events", "event", sourceId, feed.problems); !conformed) {
        return conformed;
    }
    return conformList(content, &SourceContent::announcements, "announcements", "announcement", sourceId, feed.problems);
}

Result<std::unique_ptr<SourceAdapter>> makeAdapter(std::string_view kind)
{
    if (kind == "bundle") return std::make_unique<BundleAdapter>();
    if (kind == "ical") return std::make_unique<ICalAdapter>();
    if (kind == "ptv" || kind == "linkedevents") {
        return fail(ErrorCode::InvalidInput, fmt::format("source kind \"{}\" is fetched with many requests by a "
                                                         "catalogue source (catalogue_source.hpp), not read from one file", kind));
    }
    return fail(ErrorCode::InvalidInput,
                fmt::format("unknown source kind \"{}\" (expected bundle, ical, ptv or linkedevents)", kind));
}

} // namespace kohtaamo
