#include "linkedevents_generator.hpp"

#include "seeded_random.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace kohtaamo::bench {
namespace {

using json = nlohmann::json;

constexpr std::string_view kApi = "https://api.hel.fi/linkedevents/v1";

struct Title {
    std::string fi;
    std::string sv;
    std::string en;
    int minAge;
    int maxAge;
};
const std::vector<Title> kTitles{
    {"Vauvaryhmä", "Babygrupp", "Baby group", 0, 1},
    {"Perhekahvila", "Familjecafé", "Family café", 0, 6},
    {"Taaperoiden leikkihetki", "Lekstund för småbarn", "Toddler playtime", 1, 3},
    {"Satutuokio", "Sagostund", "Story time", 3, 6},
    {"Isä–lapsi-ilta", "Pappa–barn-kväll", "Dad and child evening", 0, 6},
    {"Muskari", "Musiklek", "Music play", 1, 6},
    {"Lasten teatteriesitys", "Barnteater", "Children's theatre", 3, 8},
    {"Perheiden liikuntatapahtuma", "Idrottsevenemang för familjer", "Family sports day", 0, 12},
};
const std::vector<std::string> kParagraphs{
    "<p>Tervetuloa mukaan! Tapaamisissa leikitään, lauletaan ja jutellaan muiden vanhempien kanssa.</p>",
    "<p>Toiminta on maksutonta eikä vaadi ilmoittautumista. Paikalle voi tulla myös kesken kauden.</p>",
    "<p>Ohjaajina toimivat perhetyöntekijät ja vapaaehtoiset. Tilassa on vaunuparkki ja vaipanvaihtopiste.<br>Kahvia ja mehua on tarjolla.</p>",
    "<p>Lisätietoja saat <a href=\"https://www.hel.fi/perheet\">kaupungin sivuilta</a> tai ohjaajilta paikan päällä.</p>",
    "<p>Välkommen! Vi leker, sjunger och pratar med andra föräldrar. Ingen föranmälan.</p>",
};
const std::vector<std::string> kKeywords{"yso:p4354", "yso:p13050", "yso:p1235", "yso:p2445", "yso:p6062", "yso:p916"};
const std::vector<std::string> kPlaceNames{"Malmin kirjasto", "Leikkipuisto Pukinmäki", "Kalliolan setlementti",
                                           "Vuotalo",         "Stoa",                   "Perhekeskus Itä",
                                           "Kannelmäen kirjasto", "Caisa"};

std::string ref(std::string_view kind, const std::string& id) { return fmt::format("{}/{}/{}/", kApi, kind, id); }

class Generator {
public:
    explicit Generator(const LinkedEventsSpec& spec) : m_spec(spec), m_random(spec.seed) {}

    std::vector<json> events(LinkedEventsList& list)
    {
        for (int i = 0; i < m_spec.places; ++i) m_places.push_back(place(i));
        std::vector<json> items;
        for (int i = 0; i < m_spec.oneOffs; ++i) items.push_back(event(fmt::format("helsinki:agg{:05}", i), day(), nullptr, list));
        for (int s = 0; s < m_spec.series; ++s) {
            const auto containerId = fmt::format("helsinki:srs{:05}", s);
            // Weekly sessions, all inside the 30-day window the fetch asks for.
            const int first = m_random.below(std::max(1, 30 - 7 * (m_spec.sessions - 1)));
            const int hour = m_random.between(6, 15);
            json subRefs = json::array();
            for (int n = 0; n < m_spec.sessions; ++n) {
                const auto id = fmt::format("helsinki:srs{:05}s{:02}", s, n);
                subRefs.push_back({{"@id", ref("event", id)}});
                items.push_back(event(id, first + 7 * n, &containerId, list, hour));
                ++list.subEvents;
            }
            json container = event(containerId, first, nullptr, list, hour);
            container["super_event_type"] = "recurring";
            container["end_time"] = timeOf(first + 7 * (m_spec.sessions - 1), hour + 2);
            container["sub_events"] = std::move(subRefs);
            items.push_back(std::move(container));
        }
        list.places = m_spec.places;
        return items;
    }

private:
    // Days after the bench's today (2026-03-10); the window is 30 days.
    int day() { return m_random.below(29); }

    static std::string timeOf(int dayOffset, int hourUtc)
    {
        using namespace std::chrono;
        const year_month_day date{sys_days{2026y / March / 10} + days{dayOffset}};
        return fmt::format("{}-{:02}-{:02}T{:02}:00:00Z", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                           static_cast<unsigned>(date.day()), hourUtc);
    }

    json place(int index)
    {
        const auto id = fmt::format("tprek:{}", 8000 + index);
        const auto& name = kPlaceNames[static_cast<std::size_t>(index) % kPlaceNames.size()];
        const auto shown = index < static_cast<int>(kPlaceNames.size()) ? name : fmt::format("{} {}", name, index);
        return {{"id", id},
                {"@id", ref("place", id)},
                {"@context", "http://schema.org"},
                {"@type", "Place"},
                {"data_source", "tprek"},
                {"publisher", "ahjo:u021600"},
                {"name", {{"fi", shown}, {"sv", shown}, {"en", shown}}},
                {"street_address", {{"fi", fmt::format("Testikatu {}", index + 1)}, {"sv", fmt::format("Testgatan {}", index + 1)}}},
                {"address_locality", {{"fi", "Helsinki"}, {"sv", "Helsingfors"}}},
                {"postal_code", fmt::format("00{:03}", 100 + index % 900)},
                {"position", {{"type", "Point"}, {"coordinates", {24.9 + m_random.below(2000) / 10000.0, 60.15 + m_random.below(1500) / 10000.0}}}},
                {"telephone", {{"fi", "+358 9 310 12345"}}},
                {"email", "info@hel.example"},
                {"info_url", {{"fi", "https://www.hel.fi/paikka"}}},
                {"description", nullptr},
                {"divisions", json::array({{{"type", "muni"}, {"ocd_id", "ocd-division/country:fi/kunta:helsinki"},
                                            {"municipality", nullptr}, {"name", {{"fi", "Helsinki"}, {"sv", "Helsingfors"}}}}})},
                {"n_events", m_random.below(300)},
                {"has_upcoming_events", true},
                {"deleted", false},
                {"replaced_by", nullptr},
                {"parent", nullptr},
                {"created_time", "2019-05-13T10:00:00.000000Z"},
                {"last_modified_time", "2025-11-02T08:00:00.000000Z"}};
    }

    json event(const std::string& id, int dayOffset, const std::string* superId, LinkedEventsList& list, int hour = -1)
    {
        const Title& title = m_random.pick(kTitles);
        if (hour < 0) hour = m_random.between(6, 15);
        std::string description;
        for (int i = m_random.between(2, 4); i > 0; --i) description += m_random.pick(kParagraphs);
        const bool cancelled = m_random.chance(3);
        list.cancelled += cancelled;
        json keywords = json::array();
        for (int i = m_random.between(2, 5); i > 0; --i) keywords.push_back({{"@id", ref("keyword", m_random.pick(kKeywords))}});
        const bool free = m_random.chance(80);
        return {{"id", id},
                {"@id", ref("event", id)},
                {"@context", "http://schema.org"},
                {"@type", "Event/LinkedEvent"},
                {"data_source", "helsinki"},
                {"publisher", "ahjo:u4804001010"},
                {"name", {{"fi", title.fi}, {"sv", title.sv}, {"en", title.en}}},
                {"short_description", {{"fi", "Leikkiä, laulua ja vertaistukea vauvaperheille."}, {"sv", "Lek, sång och kamratstöd."}}},
                {"description", {{"fi", description}, {"sv", kParagraphs.back()}}},
                {"start_time", timeOf(dayOffset, hour)},
                {"end_time", timeOf(dayOffset, hour + 2)},
                {"event_status", cancelled ? "EventCancelled" : "EventScheduled"},
                {"location", m_places.empty() ? json(nullptr) : m_random.pick(m_places)},
                {"location_extra_info", m_random.chance(30) ? json({{"fi", "2. krs, ryhmätila"}}) : json(nullptr)},
                {"keywords", std::move(keywords)},
                {"audience", json::array({{{"@id", ref("keyword", "yso:p13050")}}})},
                {"in_language", json::array({{{"@id", ref("language", "fi")}}, {{"@id", ref("language", "sv")}}})},
                {"audience_min_age", title.minAge},
                {"audience_max_age", title.maxAge},
                {"offers", json::array({{{"is_free", free},
                                         {"price", free ? json(nullptr) : json({{"fi", "5 €"}})},
                                         {"info_url", nullptr},
                                         {"description", free ? json(nullptr) : json({{"fi", "<p>Maksu paikan päällä.</p>"}})}}})},
                {"info_url", {{"fi", "https://www.hel.fi/tapahtumat"}, {"sv", "https://www.hel.fi/sv/evenemang"}}},
                {"provider", {{"fi", "Helsingin kaupunki"}}},
                {"provider_contact_info", nullptr},
                {"super_event", superId ? json({{"@id", ref("event", *superId)}}) : json(nullptr)},
                {"super_event_type", nullptr},
                {"sub_events", json::array()},
                {"images", json::array({{{"id", 100000 + m_random.below(900000)},
                                         {"url", "https://api.hel.fi/linkedevents/media/images/perhe.jpg"},
                                         {"alt_text", "Vanhempia ja lapsia leikkimässä"},
                                         {"name", "perhe.jpg"},
                                         {"license", "event_only"},
                                         {"photographer_name", "Kuvaaja"},
                                         {"cropping", "0,0,800,600"},
                                         {"@id", ref("image", "12345")},
                                         {"@type", "ImageObject"}}})},
                {"videos", json::array()},
                {"external_links", json::array()},
                {"custom_data", nullptr},
                {"type_id", "General"},
                {"enrolment_start_time", nullptr},
                {"enrolment_end_time", nullptr},
                {"maximum_attendee_capacity", nullptr},
                {"minimum_attendee_capacity", nullptr},
                {"deleted", false},
                {"replaced_by", nullptr},
                {"created_time", "2026-01-15T09:00:00.000000Z"},
                {"date_published", "2026-01-15T09:00:00.000000Z"},
                {"last_modified_time", fmt::format("2026-02-{:02}T{:02}:{:02}:00.{:06}Z", m_random.between(1, 28),
                                                   m_random.between(6, 17), m_random.below(60), m_random.below(1'000'000))}};
    }

    const LinkedEventsSpec& m_spec;
    SeededRandom m_random;
    std::vector<json> m_places;
};

json pageOf(json data, std::size_t count, json next)
{
    return json{{"meta", {{"count", count}, {"next", std::move(next)}, {"previous", nullptr}}}, {"data", std::move(data)}};
}

}   // namespace

LinkedEventsList generateLinkedEvents(const LinkedEventsSpec& spec, const std::function<std::string(int page)>& pageUrl)
{
    LinkedEventsList list;
    const std::vector<json> items = Generator(spec).events(list);
    list.events = static_cast<int>(items.size());
    const auto size = static_cast<std::size_t>(std::max(1, spec.pageSize));
    std::size_t bytes = 0;
    for (std::size_t start = 0; start < items.size() || start == 0; start += size) {
        json data = json::array();
        for (std::size_t i = start; i < std::min(items.size(), start + size); ++i) data.push_back(items[i]);
        const bool last = start + size >= items.size();
        const int number = static_cast<int>(start / size) + 1;
        list.pages.push_back(pageOf(std::move(data), items.size(), last ? json(nullptr) : json(pageUrl(number + 1))).dump());
        bytes += list.pages.back().size();
    }
    list.megabytes = static_cast<double>(bytes) / 1e6;
    return list;
}

std::string emptyLinkedEventsPage() { return pageOf(json::array(), 0, nullptr).dump(); }

}   // namespace kohtaamo::bench
