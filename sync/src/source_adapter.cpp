#include "sync/source_adapter.hpp"

#include "display_url.hpp"
#include "fnv1a.hpp"

#include "content/bundle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <future>
#include <map>
#include <iterator>
#include <set>

namespace kohtaamo {
namespace {

constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kShortenedPrefix = 100;
// From this many records on, a feed is conformed on two threads.
constexpr std::size_t kParallelConform = 1000;

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

template <class Record>
void dropRecords(std::vector<Record>& records, const std::set<std::size_t>& drop)
{
    std::size_t index = 0;
    std::erase_if(records, [&](const Record&) { return drop.contains(index++); });
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

// Holds each record of one list to the bundle's rules (conformRecord); a record that breaks one is
// left out, and each problem listed.
template <class Record>
void conformList(std::vector<Record>& records, std::string_view list, std::string_view what,
                 std::vector<FeedProblem>& problems)
{
    std::set<std::size_t> leftOut;
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto conformed = conformRecord(records[i], fmt::format("$.{}[{}]", list, i));
        if (conformed) {
            records[i] = std::move(*conformed);
            continue;
        }
        for (const auto& problem : conformed.error()) {
            problems.push_back({describeRecord(records[i], what), fmt::format("left out: {}: {}", problem.path, problem.message)});
        }
        leftOut.insert(i);
    }
    dropRecords(records, leftOut);
}

// A place whose parent chain loops is left out: anything walking up the chain would never stop.
void leaveOutParentLoops(std::vector<Place>& places, std::vector<FeedProblem>& problems)
{
    std::set<std::size_t> drop;
    for (const auto& [index, problem] : parentLoops(places)) {
        problems.push_back({describeRecord(places[index], "place"), fmt::format("left out: {}: {}", problem.path, problem.message)});
        drop.insert(index);
    }
    dropRecords(places, drop);
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
        conformToStore(*feed);
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

void conformToStore(ParsedFeed& feed)
{
    SourceContent& content = feed.content;
    shortenIds(content, feed.problems);
    checkUrls(content, feed.problems);
    leaveOutDuplicates(content.places, "places", "place", feed.problems);
    leaveOutDuplicates(content.services, "services", "service", feed.problems);
    leaveOutDuplicates(content.events, "events", "event", feed.problems);
    leaveOutDuplicates(content.announcements, "announcements", "announcement", feed.problems);
    leaveOutParentLoops(content.places, feed.problems);
    // The codec's work is per record, so on a large feed the places are conformed on a second thread.
    std::vector<FeedProblem> placeProblems;
    const auto conformPlaces = [&] { conformList(content.places, "places", "place", placeProblems); };
    std::future<void> places;
    if (content.itemCount() >= kParallelConform) places = std::async(std::launch::async, conformPlaces);
    else conformPlaces();
    std::vector<FeedProblem> otherProblems;
    conformList(content.services, "services", "service", otherProblems);
    conformList(content.events, "events", "event", otherProblems);
    conformList(content.announcements, "announcements", "announcement", otherProblems);
    if (places.valid()) places.get();
    for (auto* problems : {&placeProblems, &otherProblems}) {
        std::move(problems->begin(), problems->end(), std::back_inserter(feed.problems));
    }
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
