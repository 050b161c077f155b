#include "region_generator.hpp"
#include "seeded_random.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace kohtaamo::bench {
namespace {

using Random = SeededRandom;

struct Words {
    std::string fi;
    std::string sv;
    std::string en;
};

LocalizedText text(const std::string& fi, const std::string& sv, const std::string& en)
{
    LocalizedText result;
    result.set("fi", fi);
    result.set("sv", sv);
    result.set("en", en);
    return result;
}

const std::vector<std::string> kStems{"Kallio", "Ranta", "Koivu", "Lehto", "Niemi",  "Harju",   "Kangas", "Koski",
                                      "Lahti",  "Salo",  "Järvi", "Metsä", "Pelto",  "Rinne",   "Kumpu",  "Laakso",
                                      "Saari",  "Vuori", "Kivi",  "Haka",  "Tammi",  "Pihlaja", "Kuusi",  "Haapa",
                                      "Sorsa",  "Kurki", "Selkä", "Paju",  "Kaisla", "Aalto"};
const std::vector<std::string> kSuffixes{"la",    "mäki",  "niemi", "harju",  "koski",
                                         "lahti", "ranta", "kylä",  "puisto", "vaara"};
const std::vector<std::string> kCities{"Järvelä", "Koskela", "Harjula", "Lahdenpää", "Salmela", "Kivijärvi"};

struct PlaceTemplate {
    PlaceKind kind;
    int weight;
    Words name;   ///< "{}" is the area
};
const std::vector<PlaceTemplate> kPlaceTemplates{
    {PlaceKind::FamilyCentre, 10, {"Perhekeskus {}", "Familjecentret {}", "{} Family Centre"}},
    {PlaceKind::MeetingPlace, 40, {"Perhekahvila {}", "Familjecafé {}", "{} Family Café"}},
    {PlaceKind::Clinic, 20, {"Neuvola {}", "Rådgivningen {}", "{} Child Health Clinic"}},
    {PlaceKind::Library, 15, {"Kirjasto {}", "Biblioteket {}", "{} Library"}},
    {PlaceKind::Parish, 15, {"Seurakuntatalo {}", "Församlingshemmet {}", "{} Parish Hall"}},
};

struct ServiceTemplate {
    ServiceCategory category;
    Words name;
    OrganisationKind organisation;
};
const std::vector<ServiceTemplate> kServiceTemplates{
    {ServiceCategory::Neuvola, {"Lastenneuvola", "Barnrådgivning", "Child health clinic"}, OrganisationKind::Public},
    {ServiceCategory::Neuvola, {"Äitiysneuvola", "Mödrarådgivning", "Maternity clinic"}, OrganisationKind::Public},
    {ServiceCategory::FamilyCounselling,
     {"Perheneuvola", "Familjerådgivning", "Family counselling"},
     OrganisationKind::Public},
    {ServiceCategory::FamilyCounselling, {"Pariterapia", "Parterapi", "Couples therapy"}, OrganisationKind::Public},
    {ServiceCategory::FamilyWork, {"Perhetyö", "Familjearbete", "Family work"}, OrganisationKind::Public},
    {ServiceCategory::FamilyWork,
     {"Lapsiperheiden kotipalvelu", "Hemservice för barnfamiljer", "Home help for families"},
     OrganisationKind::Public},
    {ServiceCategory::EarlyEducation,
     {"Varhaiskasvatuksen palveluohjaus", "Servicehandledning i småbarnspedagogiken", "Early education guidance"},
     OrganisationKind::Public},
    {ServiceCategory::EarlyEducation, {"Avoin päiväkoti", "Öppet daghem", "Open day care"}, OrganisationKind::Public},
    {ServiceCategory::NgoParish,
     {"Seurakunnan perhetoiminta", "Församlingens familjeverksamhet", "Parish family activities"},
     OrganisationKind::Parish},
    {ServiceCategory::NgoParish,
     {"MLL:n perhetoiminta", "MLL:s familjeverksamhet", "MLL family activities"},
     OrganisationKind::Ngo},
    {ServiceCategory::PeerSupport,
     {"Vertaistukiryhmä", "Kamratstödsgrupp", "Peer support group"},
     OrganisationKind::Ngo},
    {ServiceCategory::PeerSupport, {"Imetystuki", "Amningsstöd", "Breastfeeding support"}, OrganisationKind::Ngo},
    {ServiceCategory::CrisisHelp, {"Kriisipuhelin", "Kristelefon", "Crisis helpline"}, OrganisationKind::Ngo},
    {ServiceCategory::CrisisHelp,
     {"Perheväkivaltatyö", "Arbete mot våld i familjen", "Family violence support"},
     OrganisationKind::Public},
    {ServiceCategory::Other,
     {"Perheoikeudelliset palvelut", "Familjerättsliga tjänster", "Family law services"},
     OrganisationKind::Public},
};

struct EventTemplate {
    EventCategory category;
    Words title;
    Audience audience;
    std::vector<std::string> languages;
    Registration registration = Registration::NotNeeded;
};
const std::vector<EventTemplate> kEventTemplates{
    {EventCategory::PeerGroup, {"Vauvaryhmä", "Babygrupp", "Baby group"}, {0, 1, true}, {"fi"}},
    {EventCategory::DropIn, {"Perhekahvila", "Familjecafé", "Family café"}, {0, 6, true}, {"fi", "sv"}},
    {EventCategory::Club,
     {"Taaperoiden leikkihetki", "Lekstund för småbarn", "Toddler playtime"},
     {1, 3, false},
     {"fi"}},
    {EventCategory::PeerGroup, {"Isä–lapsi-ilta", "Pappa–barn-kväll", "Dad and child evening"}, {0, 6, true}, {"fi"}},
    {EventCategory::Club, {"Muskari", "Musiklek", "Music play"}, {1, 6, false}, {"fi"}, Registration::Required},
    {EventCategory::Club, {"Satutuokio", "Sagostund", "Story time"}, {3, 6, false}, {"fi", "sv"}},
    {EventCategory::Club, {"Perhekerho", "Familjeklubb", "Family club"}, {0, 6, true}, {"fi"}},
    {EventCategory::PeerGroup,
     {"Imetystukiryhmä", "Amningsstödsgrupp", "Breastfeeding support group"},
     {0, 1, true},
     {"fi", "en"}},
    {EventCategory::Club,
     {"Ukrainankielinen perhekerho", "Ukrainskspråkig familjeklubb", "Ukrainian family club"},
     {0, 6, true},
     {"uk", "ru"}},
    {EventCategory::Info,
     {"Perhevalmennus", "Familjeförberedelse", "Antenatal class"},
     {{}, {}, true},
     {"fi", "sv"},
     Registration::Required},
    {EventCategory::Club, {"Koululaisten kerho", "Klubb för skolbarn", "After-school club"}, {7, 12, false}, {"fi"}},
    {EventCategory::Other, {"Nuorten ilta", "Ungdomskväll", "Youth evening"}, {13, 17, false}, {"fi", "sv"}},
};

TimeOfDay at(int hour, int minute = 0) { return TimeOfDay{hour * 60 + minute}; }

WeekdaySet daysMask(std::initializer_list<int> days)
{
    WeekdaySet mask = 0;
    for (int day : days) mask = static_cast<WeekdaySet>(mask | (1u << day));
    return mask;
}

LocalDate dateOf(int year, unsigned month, unsigned day)
{
    return LocalDate{date::year{year} / date::month{month} / date::day{day}};
}

std::string replaced(const std::string& pattern, const std::string& value)
{
    std::string result = pattern;
    if (const auto at = result.find("{}"); at != std::string::npos) result.replace(at, 2, value);
    return result;
}

class Generator {
public:
    Generator(const RegionSpec& spec) : m_spec(spec), m_random(spec.seed) {}

    GeneratedRegion run()
    {
        GeneratedRegion region;
        for (int i = 0; i < m_spec.places; ++i) region.content.places.push_back(place(i));
        for (int i = 0; i < m_spec.services; ++i) region.content.services.push_back(service(i, region.content.places));
        if (m_spec.targetOccurrences > 0) {
            for (int i = 0; region.occurrencesInWindow < m_spec.targetOccurrences; ++i) {
                region.content.events.push_back(event(i, region.content.places, region.occurrencesInWindow));
            }
        } else {
            for (int i = 0; i < m_spec.events; ++i) {
                region.content.events.push_back(event(i, region.content.places, region.occurrencesInWindow));
            }
        }
        for (int i = 0; i < m_spec.announcements; ++i) {
            region.content.announcements.push_back(announcement(i, region.content.places));
        }
        return region;
    }

private:
    std::string area() { return m_random.pick(kStems) + m_random.pick(kSuffixes); }

    OpeningHours hoursFor(PlaceKind kind)
    {
        OpeningHours hours;
        const LocalDate springStart = dateOf(2026, 1, 7);
        const LocalDate springEnd = dateOf(2026, 5, 31);
        switch (kind) {
        case PlaceKind::Library:
            hours.weekly.push_back({.weekdays = daysMask({0, 1, 2, 3, 4}), .open = at(10), .close = at(20)});
            hours.weekly.push_back({.weekdays = daysMask({5}), .open = at(10), .close = at(16)});
            break;
        case PlaceKind::MeetingPlace:
        case PlaceKind::Parish:
            hours.weekly.push_back({.weekdays = daysMask({1, 2, 3}), .open = at(9), .close = at(15)});
            break;
        default:
            hours.weekly.push_back({.weekdays = daysMask({0, 1, 2, 3}), .open = at(8), .close = at(16)});
            hours.weekly.push_back({.weekdays = daysMask({4}), .open = at(8), .close = at(15)});
            if (m_random.chance(20)) {
                hours.byAppointment = true;
                hours.notes = text("Muina aikoina ajanvarauksella.", "Övriga tider enligt tidsbokning.",
                                   "At other times by appointment.");
            }
            break;
        }
        // Drop-in blocks: most meeting places and parishes, some others.
        const bool meeting = kind == PlaceKind::MeetingPlace || kind == PlaceKind::Parish;
        if (m_random.chance(meeting ? 85 : 15)) {
            const int first = m_random.below(5);
            const int second = (first + 2 + m_random.below(2)) % 5;
            WeeklyHours dropIn{
                .weekdays = daysMask({first, second}), .open = at(9, 30), .close = at(12), .kind = HoursKind::DropIn};
            if (m_random.chance(30)) {
                dropIn.validFrom = springStart;
                dropIn.validTo = springEnd;
                dropIn.note = text("Kevätkausi", "Vårterminen", "Spring term");
            }
            hours.weekly.push_back(dropIn);
            if (m_random.chance(40)) {
                hours.weekly.push_back({.weekdays = daysMask({m_random.below(5)}),
                                        .open = at(17),
                                        .close = at(19, 30),
                                        .kind = HoursKind::DropIn,
                                        .note = text("Iltakahvila", "Kvällscafé", "Evening café")});
            }
        }
        // Public holidays of the year, then sometimes a closed day or short day inside the bench window.
        hours.exceptions.push_back(
            {.from = dateOf(2026, 1, 6),
             .to = dateOf(2026, 1, 6),
             .closed = true,
             .note = text("Loppiainen – suljettu", "Trettondagen – stängt", "Epiphany – closed")});
        hours.exceptions.push_back({.from = dateOf(2026, 4, 3),
                                    .to = dateOf(2026, 4, 6),
                                    .closed = true,
                                    .note = text("Pääsiäinen – suljettu", "Påsk – stängt", "Easter – closed")});
        hours.exceptions.push_back({.from = dateOf(2026, 5, 1),
                                    .to = dateOf(2026, 5, 1),
                                    .closed = true,
                                    .note = text("Vappu – suljettu", "Första maj – stängt", "May Day – closed")});
        hours.exceptions.push_back({.from = dateOf(2026, 6, 19),
                                    .to = dateOf(2026, 6, 20),
                                    .closed = true,
                                    .note = text("Juhannus – suljettu", "Midsommar – stängt", "Midsummer – closed")});
        if (m_random.chance(25)) {
            const LocalDate day = m_spec.windowStart + date::days{m_random.below(14)};
            if (m_random.chance(50)) {
                hours.exceptions.push_back(
                    {.from = day,
                     .to = day,
                     .closed = true,
                     .note = text("Henkilökunnan koulutuspäivä – suljettu", "Personalens utbildningsdag – stängt",
                                  "Staff training day – closed")});
            } else {
                hours.exceptions.push_back(
                    {.from = day,
                     .to = day,
                     .blocks = {{at(9), at(12), HoursKind::DropIn}},
                     .note = text("Lyhennetty aukioloaika", "Förkortad öppettid", "Shorter opening hours")});
            }
        }
        return hours;
    }

    const PlaceTemplate& placeTemplate()
    {
        int roll = m_random.below(100);
        for (const auto& candidate : kPlaceTemplates) {
            if (roll < candidate.weight) return candidate;
            roll -= candidate.weight;
        }
        return kPlaceTemplates.back();
    }

    Place place(int index)
    {
        const PlaceTemplate& shape = placeTemplate();
        const std::string name = area();
        const std::string city = m_random.pick(kCities);
        Place place;
        place.id = fmt::format("pl-{:04}", index);
        place.kind = shape.kind;
        place.name = text(replaced(shape.name.fi, name), replaced(shape.name.sv, name), replaced(shape.name.en, name));
        place.description = text(
            fmt::format("{} palvelee alueen lapsiperheitä. Tule tutustumaan, kysy neuvoa tai tapaa muita perheitä. "
                        "Tiloissa on leikkinurkkaus, vaunuparkki ja vauvanhoitohuone.",
                        place.name.exactly("fi")),
            fmt::format("{} betjänar barnfamiljerna i området. Kom och bekanta dig, fråga om råd eller träffa "
                        "andra familjer. Det finns en lekhörna, barnvagnsparkering och ett skötrum.",
                        place.name.exactly("sv")),
            fmt::format("{} serves families with children in the area. Come and visit, ask for advice or meet other "
                        "families. There is a play corner, pram parking and a baby changing room.",
                        place.name.exactly("en")));
        place.address = Address{text(fmt::format("{}ntie {}", name, 1 + m_random.below(80)),
                                     fmt::format("{}vägen {}", name, 1 + m_random.below(80)),
                                     fmt::format("{}ntie {}", name, 1 + m_random.below(80))),
                                fmt::format("{:05}", 10000 + m_random.below(89999)), text(city, city, city)};
        place.location = GeoPoint{60.0 + m_random.below(50000) / 10000.0, 22.0 + m_random.below(70000) / 10000.0};
        place.contact =
            Contact{fmt::format("+358 40 {:03} {:04}", m_random.below(1000), m_random.below(10000)),
                    fmt::format("{}@example.fi", place.id), fmt::format("https://www.example.fi/paikat/{}", place.id)};
        place.accessibility =
            text("Esteetön sisäänkäynti, hissi ja esteetön WC.", "Tillgänglig ingång, hiss och tillgänglig toalett.",
                 "Step-free entrance, lift and accessible toilet.");
        place.hours = hoursFor(shape.kind);
        if (shape.kind == PlaceKind::FamilyCentre)
            m_familyCentres.push_back(place.id);
        else if (shape.kind == PlaceKind::MeetingPlace && !m_familyCentres.empty())
            place.parentId = m_random.pick(m_familyCentres);
        m_areas.push_back(name);
        return place;
    }

    Service service(int index, const std::vector<Place>& places)
    {
        const ServiceTemplate& shape = m_random.pick(kServiceTemplates);
        const std::string name = m_areas.empty() ? area() : m_random.pick(m_areas);
        Service service;
        service.id = fmt::format("srv-{:04}", index);
        service.category = shape.category;
        service.name = text(fmt::format("{} {}", shape.name.fi, name), fmt::format("{} {}", shape.name.sv, name),
                            fmt::format("{} {}", shape.name.en, name));
        service.summary = text("Tukea ja neuvontaa perheille arjen kysymyksissä.",
                               "Stöd och rådgivning för familjer i vardagens frågor.",
                               "Support and advice for families with everyday questions.");
        service.description = text(
            "Palvelu on tarkoitettu alueen lapsiperheille. Työntekijät auttavat kasvatukseen, parisuhteeseen ja "
            "jaksamiseen liittyvissä asioissa. Ota yhteyttä puhelimitse tai tule paikan päälle.",
            "Tjänsten är avsedd för barnfamiljer i området. Personalen hjälper med frågor om fostran, parrelationen "
            "och ork. Kontakta oss per telefon eller kom på plats.",
            "The service is for families with children in the area. Staff help with parenting, relationships and "
            "coping. Call us or come by in person.");
        service.audience = Audience{0, 6 + m_random.below(12), m_random.chance(60)};
        service.languages =
            m_random.chance(30) ? std::vector<std::string>{"fi", "sv", "en"} : std::vector<std::string>{"fi"};
        service.cost.isFree = m_random.chance(85);
        service.organisationKind = shape.organisation;
        service.organisationName =
            text("Järvelän hyvinvointialue", "Järvelä välfärdsområde", "Järvelä wellbeing county");
        const int placeCount = 1 + m_random.below(3);
        for (int i = 0; i < placeCount && !places.empty(); ++i) {
            const std::string& id =
                places[static_cast<std::size_t>(m_random.below(static_cast<int>(places.size())))].id;
            if (std::find(service.placeIds.begin(), service.placeIds.end(), id) == service.placeIds.end()) {
                service.placeIds.push_back(id);
            }
        }
        service.contact = Contact{fmt::format("+358 40 {:03} {:04}", m_random.below(1000), m_random.below(10000)), "",
                                  fmt::format("https://www.example.fi/palvelut/{}", service.id)};
        if (!service.placeIds.empty() && m_random.chance(15)) {
            OpeningHours hours;
            hours.weekly.push_back({.weekdays = daysMask({0, 2, 4}), .open = at(8), .close = at(15)});
            service.hoursAtPlaces.push_back({service.placeIds.front(), std::move(hours)});
        }
        return service;
    }

    /// The local date of the first `weekday` (Monday = 0) on or after the window start, plus `week` weeks.
    LocalDate inWindow(int weekday, int week) const
    {
        const int startIndex = weekdayIndex(m_spec.windowStart);
        return m_spec.windowStart + date::days{(weekday - startIndex + 7) % 7 + 7 * week};
    }

    Event event(int index, const std::vector<Place>& places, int& occurrences)
    {
        const EventTemplate& shape = m_random.pick(kEventTemplates);
        Event event;
        event.id = fmt::format("ev-{:05}", index);
        event.category = shape.category;
        event.title = text(shape.title.fi, shape.title.sv, shape.title.en);
        std::string where = "alueella";
        if (!places.empty() && !m_random.chance(5)) {
            const Place& place = places[static_cast<std::size_t>(m_random.below(static_cast<int>(places.size())))];
            event.placeId = place.id;
            where = std::string(place.name.exactly("fi"));
        }
        event.description = text(fmt::format("Tervetuloa mukaan! Avoin kaikille perheille, paikkana {}.", where),
                                 fmt::format("Välkommen med! Öppen för alla familjer, platsen är {}.", where),
                                 fmt::format("Welcome! Open to all families, at {}.", where));
        event.locationText = text("Ryhmätila, 1. krs", "Grupprummet, 1 vån.", "Group room, 1st floor");
        event.audience = shape.audience;
        event.languages = shape.languages;
        event.registration = shape.registration;
        event.cost.isFree = m_random.chance(90);
        if (m_random.chance(2)) event.status = EventStatus::Cancelled;
        event.url = fmt::format("https://www.example.fi/tapahtumat/{}", event.id);

        Schedule& schedule = event.schedule;
        const TimeOfDay start = at(9 + m_random.below(10), m_random.chance(50) ? 0 : 30);
        schedule.duration = Minutes{60 + 30 * m_random.below(3)};

        if (m_random.chance(2)) {
            // A one-off session somewhere in the window.
            schedule.start =
                LocalDateTime{m_spec.windowStart + date::days{m_random.below(14)}} + Minutes{start.minutes};
            occurrences += 1;
            return event;
        }
        // 1, 2, 3 or 5 weekdays a week; now and then a Saturday.
        const int roll = m_random.below(100);
        const int dayCount = roll < 30 ? 1 : roll < 70 ? 2 : roll < 90 ? 3 : 5;
        std::vector<int> days{0, 1, 2, 3, 4};
        for (int i = 0; i < 5; ++i)
            std::swap(days[static_cast<std::size_t>(i)], days[static_cast<std::size_t>(m_random.below(5))]);
        days.resize(static_cast<std::size_t>(dayCount));
        if (dayCount < 5 && m_random.chance(10)) days.back() = 5;
        std::sort(days.begin(), days.end());
        static constexpr std::array<const char*, 7> kDayKeys{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
        std::string byDay;
        for (int day : days) {
            if (!byDay.empty()) byDay += ',';
            byDay += kDayKeys[static_cast<std::size_t>(day)];
        }

        // The series began 1–30 weeks before the window's week, on its first weekday.
        const LocalDate windowMonday = m_spec.windowStart - date::days{weekdayIndex(m_spec.windowStart)};
        const LocalDate firstDay = windowMonday - date::weeks{1 + m_random.below(30)} + date::days{days.front()};
        schedule.start = LocalDateTime{firstDay} + Minutes{start.minutes};
        const bool biweekly = m_random.chance(5);
        schedule.rrule = fmt::format("FREQ=WEEKLY;{}BYDAY={}", biweekly ? "INTERVAL=2;" : "", byDay);
        if (m_random.chance(15)) {
            // A term that ends well after the window (UNTIL in UTC, as calendars write it).
            const date::year_month_day end{windowMonday + date::weeks{12}};
            schedule.rrule += fmt::format(";UNTIL={:04}{:02}{:02}T210000Z", static_cast<int>(end.year()),
                                          static_cast<unsigned>(end.month()), static_cast<unsigned>(end.day()));
        }
        // Every weekday occurs twice in 14 days; a biweekly series meets on each once.
        occurrences += biweekly ? dayCount : 2 * dayCount;
        if (!biweekly && m_random.chance(10)) {
            const int day = days[static_cast<std::size_t>(m_random.below(dayCount))];
            schedule.exdates.push_back(LocalDateTime{inWindow(day, 0)} + Minutes{start.minutes});
            occurrences -= 1;
        }
        if (!biweekly && m_random.chance(3)) {
            const int day = days[static_cast<std::size_t>(m_random.below(dayCount))];
            OccurrenceOverride change{.recurrenceId = LocalDateTime{inWindow(day, 1)} + Minutes{start.minutes}};
            if (m_random.chance(50))
                change.status = EventStatus::Cancelled;
            else
                change.start = change.recurrenceId + Minutes{60};
            schedule.overrides.push_back(change);
        }
        return event;
    }

    Announcement announcement(int index, const std::vector<Place>& places)
    {
        Announcement announcement;
        announcement.id = fmt::format("ann-{:03}", index);
        announcement.title = text("Muuttuneet aukioloajat", "Ändrade öppettider", "Changed opening hours");
        announcement.body = text("Tarkista ajat ennen tuloa.", "Kontrollera tiderna innan du kommer.",
                                 "Please check the times before you come.");
        const Instant windowStart = TimeZone::helsinki().toInstant(LocalDateTime{m_spec.windowStart});
        announcement.validFrom = windowStart - std::chrono::days{m_random.below(10)};
        announcement.validUntil = windowStart + std::chrono::days{1 + m_random.below(20)};
        if (!places.empty() && m_random.chance(70)) {
            announcement.placeId = places[static_cast<std::size_t>(m_random.below(static_cast<int>(places.size())))].id;
        }
        return announcement;
    }

    const RegionSpec& m_spec;
    Random m_random;
    std::vector<std::string> m_areas;
    std::vector<std::string> m_familyCentres;
};

}   // namespace

GeneratedRegion generateRegion(const RegionSpec& spec) { return Generator(spec).run(); }

}   // namespace kohtaamo::bench
