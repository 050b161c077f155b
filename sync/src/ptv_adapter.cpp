// PTV v11 JSON → places and services: the settings and the mapping. The tolerant JSON readers are
// in ptv_json.cpp, the hours in ptv_hours.cpp, the fetch in ptv_fetch.cpp.

#include "sync/ptv_adapter.hpp"

#include "ptv_json.hpp"
#include "sync/source_adapter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace kohtaamo {
namespace {

using ptv::array;
using ptv::codeMatches;
using ptv::codes;
using ptv::isFamily;
using ptv::flag;
using ptv::json;
using ptv::LanguageFilter;
using ptv::localized;
using ptv::member;
using ptv::string;

// ---- Settings --------------------------------------------------------------------------------

// "905", "905, 092" or a TOML list as the config reader prints it: [ "905", "092" ].
std::vector<std::string> splitList(std::string_view text)
{
    std::vector<std::string> items;
    std::string current;
    const auto flush = [&] {
        if (!current.empty()) items.push_back(std::exchange(current, {}));
    };
    for (char c : text) {
        if (c == ',' || c == '[' || c == ']' || c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c))) {
            flush();
        } else {
            current += c;
        }
    }
    flush();
    return items;
}

bool allDigits(std::string_view text, std::size_t length)
{
    return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Settings {
public:
    explicit Settings(const SourceConfig& source) : m_source(source) {}

    const std::string* text(std::string_view key) const
    {
        const auto it = m_source.settings.find(key);
        return it == m_source.settings.end() ? nullptr : &it->second;
    }

    Error bad(std::string_view key, std::string_view value, std::string_view expected) const
    {
        return Error{ErrorCode::InvalidInput,
                     fmt::format("source \"{}\": {} = {}: expected {}", m_source.id, key, value, expected)};
    }

    Result<std::optional<long long>> integer(std::string_view key, long long min, long long max) const
    {
        const auto* value = text(key);
        if (!value) return std::nullopt;
        long long number = 0;
        const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
        if (error != std::errc{} || end != value->data() + value->size() || number < min || number > max) {
            return std::unexpected(bad(key, *value, fmt::format("a whole number from {} to {}", min, max)));
        }
        return number;
    }

private:
    const SourceConfig& m_source;
};

std::string trimmedBase(std::string_view url)
{
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    return std::string(url);
}

// "…/api/v11" → "v11"; anything else → "".
std::string versionOf(std::string_view base)
{
    const auto slash = base.rfind('/');
    const auto last = slash == std::string_view::npos ? base : base.substr(slash + 1);
    if (last.size() < 2 || last[0] != 'v' || !std::all_of(last.begin() + 1, last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return {};
    }
    return std::string(last);
}

// ---- Mapping ---------------------------------------------------------------------------------

bool isChannel(const json& item) { return item.contains("serviceChannelType") || item.contains("serviceChannelNames"); }
bool isService(const json& item) { return item.contains("serviceNames"); }

// The service's category for families browsing by topic, from the most specific class that says.
ServiceCategory categoryOf(const std::vector<std::string>& classes)
{
    static const std::vector<std::pair<std::string, ServiceCategory>> kClasses{
        {"P5.2", ServiceCategory::Neuvola},          {"P3.7", ServiceCategory::FamilyCounselling},
        {"P3.5", ServiceCategory::FamilyCounselling}, {"P3.6", ServiceCategory::FamilyWork},
        {"P3.8", ServiceCategory::FamilyWork},        {"P3.4", ServiceCategory::EarlyEducation},
        {"P6.1", ServiceCategory::EarlyEducation},    {"P4.6", ServiceCategory::FamilyWork},
    };
    for (const auto& [prefix, category] : kClasses) {
        // The analyzer loses the constant table's initialisation on its way into std::any_of;
        // `prefix` always points at a literal.
        // NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
        if (std::any_of(classes.begin(), classes.end(), [&](const std::string& code) { return codeMatches(code, {prefix}); })) {
            return category;
        }
    }
    return ServiceCategory::Other;
}

std::optional<Instant> modifiedOf(const json& item)
{
    auto text = string(item, "modified");
    if (text.size() < 19) return std::nullopt;
    // PTV's `modified` is UTC without an offset (ptv.md §3.1).
    return parseInstant(text.substr(0, 19) + "Z", TimeZone::helsinki());
}

std::optional<double> coordinate(const json& value)
{
    if (value.is_number()) return value.get<double>();
    if (!value.is_string()) return std::nullopt;
    const auto text = value.get<std::string>();
    double number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return number;
}

// v11 latitude holds the northing and longitude the easting; "0" means no geocode (pitfall 8).
std::optional<GeoPoint> pointOf(const json& object)
{
    const auto northing = coordinate(member(object, "latitude"));
    const auto easting = coordinate(member(object, "longitude"));
    if (!northing || !easting || *northing == 0 || *easting == 0) return std::nullopt;
    return etrsTm35finToWgs84(*northing, *easting);
}

// "VAASA" → "Vaasa", "PORI-BJÖRNEBORG" → "Pori-Björneborg"; text in mixed case is left alone.
std::string titleCaseIfShouting(std::string_view text)
{
    const auto isLowerAt = [&](std::size_t i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 'a' && c <= 'z') return true;
        return c == 0xC3 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0xA0;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (isLowerAt(i)) return std::string(text);
    }
    std::string out(text);
    bool wordStart = true;
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            if (!wordStart) out[i] = static_cast<char>(c + 32);
            wordStart = false;
        } else if (c == 0xC3 && i + 1 < out.size()) {
            // Latin-1 capitals À–Þ (Ä, Ö, Å …) are two bytes; × (0x97) has no lower case.
            const auto next = static_cast<unsigned char>(out[i + 1]);
            if (!wordStart && next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
            wordStart = false;
            ++i;
        } else {
            wordStart = c == ' ' || c == '-';
        }
    }
    return out;
}

} // namespace

class ptv::FeedBuilder::Mapper {
public:
    Mapper(const PtvOptions& options, std::string_view sourceId)
        : m_options(options), m_languages(options.languages), m_all({}), m_sourceId(sourceId)
    {
        for (const auto& language : options.languages) m_order.push_back(language);
        for (const char* language : {"fi", "sv", "en"}) {
            if (std::find(m_order.begin(), m_order.end(), language) == m_order.end()) m_order.emplace_back(language);
        }
    }

    void add(const json& item, std::string_view where)
    {
        if (!item.is_object()) {
            problem(std::string(where), "not a JSON object (skipped)");
            return;
        }
        const auto id = string(item, "id");
        const bool channel = isChannel(item);
        const std::string what = fmt::format("{} \"{}\"", channel ? "channel" : "service", id);
        if (id.empty()) {
            problem(std::string(where), "has no id (skipped)");
            return;
        }
        // One bad item must not cost the rest of the sync.
        try {
            if (channel) addChannel(item, id, what);
            else if (isService(item)) addService(item, id, what);
            else problem(fmt::format("{} \"{}\"", where, id), "neither a service nor a service channel (skipped)");
        } catch (const json::exception& error) {
            problem(what, fmt::format("cannot be read: {} (skipped)", error.what()));
        }
    }

    ParsedFeed finish()
    {
        ParsedFeed feed;
        // Connections seen from the channels' side, by service.
        for (const auto& [channelId, serviceIds] : m_channelServices) {
            for (const auto& serviceId : serviceIds) m_channelsByService[serviceId].push_back(channelId);
        }
        for (const auto& [channelId, contact] : m_contactChannels) {
            for (const auto& serviceId : contact.serviceIds) m_channelsByService[serviceId].push_back(channelId);
        }
        std::map<std::string, std::set<ServiceCategory>, std::less<>> placeCategories;
        for (auto& [id, draft] : m_services) {
            link(draft);
            for (const auto& placeId : draft.service.placeIds) placeCategories[placeId].insert(draft.service.category);
            feed.content.services.push_back(std::move(draft.service));
        }
        for (auto& [id, place] : m_places) {
            place.kind = kindOf(place, placeCategories[id]);
            feed.content.places.push_back(std::move(place));
        }
        feed.problems = std::move(m_problems);
        return feed;
    }

private:
    struct Connection {
        std::string channelId;
        OpeningHours hours;   // this service's own hours at that channel
    };
    struct ServiceDraft {
        Service service;
        std::vector<Connection> connections;
    };
    struct ContactChannel {
        int rank = 0;   // web pages before e-services for the link
        Contact contact;
        std::vector<std::string> serviceIds;
    };

    void problem(std::string location, std::string message) { m_problems.push_back({std::move(location), std::move(message)}); }

    // Names, descriptions and notes in the wanted languages, or in any language rather than none.
    LocalizedText text(const json& list, std::string_view type = {}, std::string_view separator = "\n") const
    {
        auto wanted = localized(list, m_languages, type, separator);
        if (!wanted.empty() || m_languages.keepsAll()) return wanted;
        return localized(list, m_all, type, separator);
    }

    template <class Pick>
    std::string preferred(const json& list, Pick pick) const
    {
        for (const auto& language : m_order) {
            for (const auto& item : list) {
                if (string(item, "language") == language) {
                    if (auto value = pick(item); !value.empty()) return value;
                }
            }
        }
        for (const auto& item : list) {
            if (auto value = pick(item); !value.empty()) return value;
        }
        return {};
    }

    std::string phoneOf(const json& list) const
    {
        return preferred(list, [](const json& item) -> std::string {
            const auto type = string(item, "type");
            if (!type.empty() && type != "Phone") return {};
            std::string number;
            for (char c : string(item, "number")) {
                if (!std::isspace(static_cast<unsigned char>(c)) && c != '-') number += c;
            }
            if (number.empty() || flag(item, "isFinnishServiceNumber")) return number;
            auto prefix = string(item, "prefixNumber");
            if (prefix.empty()) return number;
            if (number.starts_with('0')) number.erase(0, 1);
            return prefix + number;
        });
    }

    Contact contactOf(const json& channel) const
    {
        Contact contact;
        contact.phone = phoneOf(array(channel, "phoneNumbers"));
        if (contact.phone.empty()) contact.phone = phoneOf(array(channel, "supportPhones"));
        const auto email = [](const json& item) { return string(item, "value"); };
        contact.email = preferred(array(channel, "emails"), email);
        if (contact.email.empty()) contact.email = preferred(array(channel, "supportEmails"), email);
        contact.url = preferred(array(channel, "webPages"), [](const json& item) { return string(item, "url"); });
        if (contact.url.empty()) contact.url = preferred(array(channel, "webPage"), email);
        if (contact.url.empty()) contact.url = preferred(array(channel, "urls"), email);
        return contact;
    }

    LocalizedText nameOf(const json& item, std::string_view key)
    {
        LocalizedText name = text(array(item, key), "Name", " ");
        const auto alternative = text(array(item, key), "AlternativeName", " ");
        for (const auto& display : array(item, "displayNameType")) {
            const auto language = string(display, "language");
            if (string(display, "type") == "AlternativeName" && !alternative.exactly(language).empty()) {
                name.set(language, std::string(alternative.exactly(language)));
            }
        }
        return name;
    }

    Address addressOf(const json& street) const
    {
        Address address;
        const auto number = string(street, "streetNumber");
        const auto streets = text(array(street, "street"), {}, " ");
        for (const auto& [language, value] : streets.all()) {
            const bool hasNumber = number.empty() || value.ends_with(fmt::format(" {}", number)) || value == number;
            address.street.set(language, hasNumber ? value : fmt::format("{} {}", value, number));
        }
        address.postalCode = string(street, "postalCode");
        const auto postOffices = text(array(street, "postOffice"), {}, " ");
        for (const auto& [language, value] : postOffices.all()) {
            address.city.set(language, titleCaseIfShouting(value));
        }
        if (address.city.empty()) address.city = text(array(member(street, "municipality"), "name"), {}, " ");
        return address;
    }

    void addPlace(const json& channel, const std::string& id, const std::string& what)
    {
        Place place;
        place.id = id;
        place.provenance = Provenance{m_sourceId, id, modifiedOf(channel)};
        place.name = nameOf(channel, "serviceChannelNames");
        place.description = text(array(channel, "serviceChannelDescriptions"), "Description");
        if (place.description.empty()) place.description = text(array(channel, "serviceChannelDescriptions"), "Summary");
        place.contact = contactOf(channel);

        // The visiting address; a postal address is not where families go.
        const json* visiting = nullptr;
        for (const auto& address : array(channel, "addresses")) {
            if (string(address, "type") == "Location" || string(address, "type").empty()) {
                visiting = &address;
                break;
            }
        }
        if (visiting) {
            const json& street = member(*visiting, "streetAddress");
            const json& other = member(*visiting, "otherAddress");
            LocalizedText where;
            if (street.is_object()) {
                place.address = addressOf(street);
                where = text(array(street, "additionalInformation"), {}, " ");
                place.location = pointOf(street);
            }
            if (!place.location && other.is_object()) {
                place.location = pointOf(other);
                if (where.empty()) where = text(array(other, "additionalInformation"), {}, " ");
                if (place.address.postalCode.empty()) place.address.postalCode = string(other, "postalCode");
            }
            for (const auto& entrance : array(*visiting, "entrances")) {
                if (!place.location && flag(entrance, "isMainEntrance")) place.location = pointOf(member(entrance, "coordinates"));
            }
            // "2. krs", "Varhaiskasvatuksen hallinto, 1 krs." – where in the building.
            ptv::appendText(place.description, where, "\n\n");
            place.accessibility = accessibilityOf(*visiting);
        }

        std::vector<std::string> hourProblems;
        place.hours = ptv::serviceHours(member(channel, "serviceHours"), m_languages, hourProblems);
        for (auto& message : hourProblems) problem(what, std::move(message));

        // The hours of one service at this place (connection-level hours, seen from the channel).
        for (const auto& connection : array(channel, "services")) {
            const auto serviceId = string(member(connection, "service"), "id");
            if (serviceId.empty()) continue;
            m_channelServices[id].push_back(serviceId);
            std::vector<std::string> problems;
            auto hours = ptv::serviceHours(member(connection, "serviceHours"), m_languages, problems);
            for (auto& message : problems) problem(fmt::format("{} service \"{}\"", what, serviceId), std::move(message));
            if (!hours.empty()) m_channelSideHours[{serviceId, id}] = std::move(hours);
        }
        m_places.insert_or_assign(id, std::move(place));
    }

    LocalizedText accessibilityOf(const json& address) const
    {
        LocalizedText result;
        for (const auto& entrance : array(address, "entrances")) {
            for (const auto& group : array(entrance, "accessibilitySentences")) {
                const auto heading = text(array(group, "sentenceGroup"), {}, " ");
                LocalizedText sentences;
                for (const auto& sentence : array(group, "sentences")) {
                    ptv::appendText(sentences, text(array(sentence, "sentence"), {}, " "), " ");
                }
                LocalizedText line;
                for (const auto& [language, value] : sentences.all()) {
                    const auto title = heading.exactly(language);
                    line.set(language, title.empty() ? value : fmt::format("{}: {}", title, value));
                }
                ptv::appendText(result, line);
            }
        }
        return result;
    }

    void addChannel(const json& channel, const std::string& id, const std::string& what)
    {
        const auto type = string(channel, "serviceChannelType");
        if (type == "ServiceLocation") {
            addPlace(channel, id, what);
            return;
        }
        // Phone numbers, web pages and e-services are how to reach a service, not places.
        static const std::map<std::string, int, std::less<>> kContactRanks{{"Phone", 0}, {"WebPage", 1}, {"EChannel", 2}};
        if (const auto rank = kContactRanks.find(type); rank != kContactRanks.end()) {
            ContactChannel contact{rank->second, contactOf(channel), {}};
            for (const auto& connection : array(channel, "services")) {
                if (auto serviceId = string(member(connection, "service"), "id"); !serviceId.empty()) {
                    contact.serviceIds.push_back(std::move(serviceId));
                }
            }
            m_contactChannels.insert_or_assign(id, std::move(contact));
            return;
        }
        if (type == "PrintableForm") return;
        problem(what, fmt::format("unknown serviceChannelType \"{}\" (skipped)", type));
    }

    void addService(const json& item, const std::string& id, const std::string& what)
    {
        if (!isFamily(item, m_options)) return;
        ServiceDraft draft;
        Service& service = draft.service;
        service.id = id;
        service.provenance = Provenance{m_sourceId, id, modifiedOf(item)};
        service.name = nameOf(item, "serviceNames");
        service.summary = text(array(item, "serviceDescriptions"), "Summary");
        service.description = text(array(item, "serviceDescriptions"), "Description");
        const auto classes = codes(item, "serviceClasses");
        service.category = categoryOf(classes);
        const auto groups = codes(item, "targetGroups");
        // Young people only (KR1.3 without KR1.2): an age range the youth filter can use.
        if (codeMatches("KR1.3", groups) && !std::any_of(groups.begin(), groups.end(), [](const std::string& code) {
                return codeMatches(code, {"KR1.2"});
            })) {
            service.audience = Audience{.minAge = 13, .maxAge = 29};
        }
        for (const auto& language : array(item, "languages")) {
            if (language.is_string() && ptv::isLanguageCode(language.get<std::string>())) {
                service.languages.push_back(language.get<std::string>());
            }
        }
        const auto charge = string(item, "serviceChargeType");
        if (charge == "FreeOfCharge" || charge == "Free") service.cost.isFree = true;
        else if (charge == "Chargeable" || charge == "Charged") service.cost.isFree = false;
        for (const auto& organisation : array(item, "organizations")) {
            if (string(organisation, "roleType") != "Responsible") continue;
            const auto name = string(member(organisation, "organization"), "name");
            // The name comes in the organisation's first language, which the service's list starts with.
            const auto language = service.languages.empty() ? std::string("fi") : service.languages.front();
            if (!name.empty()) service.organisationName.set(language, name);
            break;
        }
        for (const auto& connection : array(item, "serviceChannels")) {
            const auto channelId = string(member(connection, "serviceChannel"), "id");
            if (channelId.empty()) continue;
            std::vector<std::string> problems;
            auto hours = ptv::serviceHours(member(connection, "serviceHours"), m_languages, problems);
            for (auto& message : problems) problem(fmt::format("{} channel \"{}\"", what, channelId), std::move(message));
            draft.connections.push_back(Connection{channelId, std::move(hours)});
        }
        m_services.insert_or_assign(id, std::move(draft));
    }

    // Places, contacts and connection hours, from both sides of each service–channel connection.
    void link(ServiceDraft& draft)
    {
        Service& service = draft.service;
        std::vector<std::string> channelIds;
        for (const auto& connection : draft.connections) channelIds.push_back(connection.channelId);
        if (auto it = m_channelsByService.find(service.id); it != m_channelsByService.end()) {
            channelIds.insert(channelIds.end(), it->second.begin(), it->second.end());
        }
        std::vector<const ContactChannel*> contacts;
        std::set<std::string> seen;
        for (const auto& channelId : channelIds) {
            if (!seen.insert(channelId).second) continue;
            if (m_places.contains(channelId)) {
                service.placeIds.push_back(channelId);
                const auto own = std::find_if(draft.connections.begin(), draft.connections.end(),
                                              [&](const Connection& c) { return c.channelId == channelId; });
                OpeningHours hours = own != draft.connections.end() ? own->hours : OpeningHours{};
                if (hours.empty()) {
                    if (auto it = m_channelSideHours.find({service.id, channelId}); it != m_channelSideHours.end()) hours = it->second;
                }
                if (!hours.empty()) service.hoursAtPlaces.push_back(ServiceHoursAtPlace{channelId, std::move(hours)});
            } else if (auto it = m_contactChannels.find(channelId); it != m_contactChannels.end()) {
                contacts.push_back(&it->second);
            }
        }
        std::stable_sort(contacts.begin(), contacts.end(), [](auto* a, auto* b) { return a->rank < b->rank; });
        for (const auto* channel : contacts) {
            if (service.contact.phone.empty()) service.contact.phone = channel->contact.phone;
            if (service.contact.email.empty()) service.contact.email = channel->contact.email;
            if (service.contact.url.empty()) service.contact.url = channel->contact.url;
        }
    }

    static bool nameHas(const Place& place, std::initializer_list<std::string_view> words)
    {
        for (const auto& [language, name] : place.name.all()) {
            std::string lower(name);
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            for (auto word : words) {
                if (lower.find(word) != std::string::npos) return true;
            }
        }
        return false;
    }

    // PTV has no kind of place; its name and what is offered there tell it well enough for icons.
    static PlaceKind kindOf(const Place& place, const std::set<ServiceCategory>& categories)
    {
        if (nameHas(place, {"perhekesku", "familjecent", "family centre", "family center"})) return PlaceKind::FamilyCentre;
        if (nameHas(place, {"kohtaamispaik", "perhekahvil", "mötesplats", "familjecafé", "meeting place"})) {
            return PlaceKind::MeetingPlace;
        }
        if (nameHas(place, {"kirjasto", "bibliotek", "library"})) return PlaceKind::Library;
        if (nameHas(place, {"seurakun", "församling", "parish"})) return PlaceKind::Parish;
        if (categories.contains(ServiceCategory::Neuvola) || nameHas(place, {"neuvola", "rådgivning"})) return PlaceKind::Clinic;
        return PlaceKind::Other;
    }

    const PtvOptions& m_options;
    LanguageFilter m_languages;
    LanguageFilter m_all;
    LanguageOrder m_order;
    std::string m_sourceId;
    std::map<std::string, Place, std::less<>> m_places;
    std::map<std::string, ServiceDraft, std::less<>> m_services;
    std::map<std::string, ContactChannel, std::less<>> m_contactChannels;
    std::map<std::string, std::vector<std::string>, std::less<>> m_channelServices;
    std::map<std::string, std::vector<std::string>, std::less<>> m_channelsByService;
    std::map<std::pair<std::string, std::string>, OpeningHours> m_channelSideHours;   // (service, channel)
    std::vector<FeedProblem> m_problems;
};

ptv::FeedBuilder::FeedBuilder(const PtvOptions& options, std::string_view sourceId)
    : m_mapper(std::make_unique<Mapper>(options, sourceId))
{
}

ptv::FeedBuilder::~FeedBuilder() = default;

void ptv::FeedBuilder::add(const json& item, std::string_view where) { m_mapper->add(item, where); }

ParsedFeed ptv::FeedBuilder::finish()
{
    ParsedFeed feed = m_mapper->finish();
    conformToStore(feed);
    return feed;
}

// ---- Public ----------------------------------------------------------------------------------

Result<PtvOptions> ptvOptions(const SourceConfig& source)
{
    const Settings settings(source);
    PtvOptions options;
    if (!source.url.starts_with("https://") && !source.url.starts_with("http://")) {
        return fail(ErrorCode::InvalidInput, fmt::format("source \"{}\": url = \"{}\": a PTV source needs the API's "
                                                         "http(s) address, e.g. {}", source.id, source.url, options.apiBase));
    }
    options.apiBase = trimmedBase(source.url);
    if (const auto* version = settings.text("api_version")) {
        options.apiVersion = *version;
    } else if (auto fromUrl = versionOf(options.apiBase); !fromUrl.empty()) {
        options.apiVersion = std::move(fromUrl);
    }

    const auto list = [&](std::string_view key, std::vector<std::string>& out, auto valid, std::string_view expected)
        -> Result<void> {
        const auto* value = settings.text(key);
        if (!value) return {};
        out = splitList(*value);
        for (const auto& item : out) {
            if (!valid(item)) return std::unexpected(settings.bad(key, *value, expected));
        }
        return {};
    };
    const auto anything = [](const std::string&) { return true; };
    if (auto r = list("municipalities", options.municipalities, [](const std::string& c) { return allDigits(c, 3); },
                      R"(3-digit municipality codes, e.g. ["905", "499"])"); !r) return std::unexpected(r.error());
    for (const char* key : {"wellbeing_counties", "wellbeing_county"}) {
        if (auto r = list(key, options.wellbeingCounties, [](const std::string& c) { return allDigits(c, 2); },
                          R"(2-digit wellbeing services county codes, e.g. ["15"])"); !r) return std::unexpected(r.error());
    }
    if (options.municipalities.empty() && options.wellbeingCounties.empty()) {
        return fail(ErrorCode::InvalidInput, fmt::format("source \"{}\": a PTV source needs its area: municipalities = "
                                                         "[\"905\", …] or wellbeing_counties = [\"15\"]", source.id));
    }
    if (const auto* areaType = settings.text("county_area_type")) {
        if (*areaType != "WellbeingServiceCounties" && *areaType != "WellbeingServicesCounties") {
            return std::unexpected(settings.bad("county_area_type", *areaType,
                                                "WellbeingServiceCounties or WellbeingServicesCounties"));
        }
        options.countyAreaType = *areaType;
    }
    if (auto r = list("target_groups", options.targetGroups, anything, ""); !r) return std::unexpected(r.error());
    if (auto r = list("service_classes", options.serviceClasses, anything, ""); !r) return std::unexpected(r.error());
    if (auto r = list("languages", options.languages, [](const std::string& c) { return ptv::isLanguageCode(c); },
                      R"(language codes, e.g. ["fi", "sv", "en", "se"])"); !r) return std::unexpected(r.error());
    if (const auto* nationwide = settings.text("include_nationwide")) {
        if (*nationwide != "true" && *nationwide != "false") {
            return std::unexpected(settings.bad("include_nationwide", *nationwide, "true or false"));
        }
        options.includeNationwide = *nationwide == "true";
    }
    auto concurrency = settings.integer("concurrency", 1, 4);
    if (!concurrency) return std::unexpected(concurrency.error());
    if (*concurrency) options.concurrency = static_cast<int>(**concurrency);
    auto days = settings.integer("full_resync_days", 1, 60);
    if (!days) return std::unexpected(days.error());
    if (*days) options.fullResyncEvery = std::chrono::days{**days};
    auto overlap = settings.integer("overlap_minutes", 0, 24 * 60);
    if (!overlap) return std::unexpected(overlap.error());
    if (*overlap) options.overlap = std::chrono::minutes{**overlap};
    return options;
}

bool isFamilyService(std::string_view serviceJson, const PtvOptions& options)
{
    const json item = json::parse(serviceJson, nullptr, false);
    return !item.is_discarded() && item.is_object() && isService(item) && isFamily(item, options);
}

Result<ParsedFeed> parsePtv(const std::vector<std::string_view>& documents, const PtvOptions& options, std::string_view sourceId)
{
    ptv::FeedBuilder builder(options, sourceId);
    for (std::size_t d = 0; d < documents.size(); ++d) {
        // Each document is parsed, mapped and let go, so a large region never sits in memory as JSON.
        const json document = json::parse(documents[d], nullptr, false);
        const std::string where = documents.size() > 1 ? fmt::format("document {}", d + 1) : std::string("document");
        if (document.is_discarded()) {
            return fail(ErrorCode::InvalidInput, fmt::format("PTV source \"{}\": {} is not JSON", sourceId, where));
        }
        const json* items = &document;
        if (document.is_object() && document.contains("itemList")) items = &document["itemList"];
        if (items->is_null()) continue;   // an empty or out-of-range page
        if (items->is_array()) {
            for (std::size_t i = 0; i < items->size(); ++i) builder.add((*items)[i], fmt::format("{} item {}", where, i + 1));
        } else {
            builder.add(*items, where);
        }
    }
    return builder.finish();
}

} // namespace kohtaamo
