#include "ptv_generator.hpp"

#include "seeded_random.hpp"

#include "fake_ptv.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <vector>

namespace kohtaamo::bench {
namespace {

using json = nlohmann::json;

struct Words {
    std::string fi;
    std::string sv;
    std::string en;
};

// Service names by kind, with the PTV codes that make them family services (or not).
struct ServiceKind {
    Words name;
    std::string targetGroup;
    std::string serviceClass;
    std::string className;
};
const std::vector<ServiceKind> kFamilyKinds{
    {{"Lastenneuvola", "Barnrådgivning", "Child health clinic"}, "KR1.2", "P5.2", "Neuvolapalvelut"},
    {{"Äitiysneuvola", "Mödrarådgivning", "Maternity clinic"}, "KR1.2", "P5.2", "Neuvolapalvelut"},
    {{"Perheneuvola", "Familjerådgivning", "Family counselling"}, "KR1.2", "P3.7", "Kasvatus- ja perheneuvonta"},
    {{"Lapsiperheiden kotipalvelu", "Hemservice för barnfamiljer", "Home help for families"}, "KR1.2", "P3.6",
     "Lapsiperheiden sosiaalipalvelut"},
    {{"Perhetyö", "Familjearbete", "Family work"}, "KR1.2", "P3.6", "Lapsiperheiden sosiaalipalvelut"},
    {{"Avoin varhaiskasvatus", "Öppen småbarnspedagogik", "Open early childhood education"}, "KR1.2", "P3.4",
     "Varhaiskasvatus"},
    {{"Perhekahvila", "Familjecafé", "Family café"}, "KR1.2", "P3", "Perheiden palvelut"},
    {{"Nuorisotalo", "Ungdomsgård", "Youth centre"}, "KR1.3", "P28.1", "Avoin nuorisotyö"},
    {{"Etsivä nuorisotyö", "Uppsökande ungdomsarbete", "Outreach youth work"}, "KR1.3", "P28.4", "Etsivä nuorisotyö"},
    {{"Perheoikeudelliset palvelut", "Familjerättsliga tjänster", "Family law services"}, "KR1.2", "P3.5",
     "Perheasioiden sovittelu ja perheoikeus"},
};
const std::vector<ServiceKind> kOtherKinds{
    {{"Jätehuollon neuvonta", "Avfallsrådgivning", "Waste advice"}, "KR1", "P30.1", "Jätehuolto"},
    {{"Rakennusvalvonta", "Byggnadstillsyn", "Building control"}, "KR1", "P19.2", "Rakentaminen"},
    {{"Pysäköinninvalvonta", "Parkeringsövervakning", "Parking control"}, "KR1", "P21.3", "Liikenne"},
    {{"Kotihoito", "Hemvård", "Home care"}, "KR1.5", "P4.2", "Ikääntyneiden palvelut"},
    {{"Yritysneuvonta", "Företagsrådgivning", "Business advice"}, "KR2", "P12.1", "Yritystoiminta"},
};
const std::vector<Words> kPlaceNames{
    {"Perhekeskus {}", "Familjecentret {}", "{} Family Centre"},
    {"Neuvola {}", "Rådgivningen {}", "{} Child Health Clinic"},
    {"Kohtaamispaikka {}", "Mötesplatsen {}", "{} Meeting Place"},
    {"{} kirjasto", "{} bibliotek", "{} Library"},
    {"{} seurakuntatalo", "{} församlingshem", "{} Parish Hall"},
    {"Nuorisotila {}", "Ungdomslokalen {}", "{} Youth Space"},
};
const std::vector<std::string> kAreas{"Keskusta", "Palosaari", "Vöyrinkaupunki", "Huutoniemi", "Ristinummi",
                                      "Kotiranta", "Gerby",     "Sundom",         "Melaniemi",  "Isolahti",
                                      "Suvilahti", "Purmo",     "Vanhakaupunki",  "Hietalahti", "Onkilahti"};
const std::vector<std::string> kStreets{"Kirkkopuistikko", "Hovioikeudenpuistikko", "Vaasanpuistikko", "Raastuvankatu",
                                        "Kauppapuistikko", "Koulukatu",             "Rantakatu",       "Pitkäkatu"};

const std::vector<std::string> kSentencesFi{
    "Palvelussa tuetaan lapsen kasvua ja kehitystä sekä koko perheen hyvinvointia.",
    "Terveydenhoitaja ja lääkäri tapaavat lasta ja perhettä säännöllisesti sovittuina aikoina.",
    "Voit ottaa yhteyttä myös silloin, kun arjessa on huolia tai kysymyksiä vanhemmuudesta.",
    "Palvelu on tarkoitettu alueella asuville lapsiperheille, ja se on maksuton.",
    "Tapaamiset järjestetään toimipisteessä, kotikäynteinä tai tarvittaessa etäyhteydellä.",
    "Ajan voi varata puhelimitse tai sähköisen asioinnin kautta.",
    "Perheiden kanssa laaditaan tarvittaessa yhdessä suunnitelma tuen jatkamiseksi.",
    "Toiminnassa tehdään yhteistyötä varhaiskasvatuksen, koulun ja järjestöjen kanssa.",
    "Palvelua saa suomeksi ja ruotsiksi, ja tulkin voi tilata maksutta.",
    "Tiloihin on esteetön kulku, ja lastenvaunuille on säilytyspaikka aulassa.",
};
const std::vector<std::string> kSentencesSv{
    "Tjänsten stöder barnets tillväxt och utveckling samt hela familjens välmående.",
    "Hälsovårdaren och läkaren träffar barnet och familjen regelbundet enligt överenskommelse.",
    "Du kan också ta kontakt när vardagen känns tung eller när du har frågor om föräldraskap.",
    "Tjänsten är avsedd för barnfamiljer som bor i området och den är avgiftsfri.",
    "Träffarna ordnas på verksamhetsstället, som hembesök eller vid behov på distans.",
    "Tid kan bokas per telefon eller via e-tjänsten.",
    "Tillsammans med familjen görs vid behov en plan för fortsatt stöd.",
    "Verksamheten sker i samarbete med småbarnspedagogiken, skolan och organisationer.",
};
const std::vector<std::string> kSentencesEn{
    "The service supports the child's growth and development and the wellbeing of the whole family.",
    "A public health nurse and a doctor meet the child and the family regularly at agreed times.",
    "You can also get in touch when everyday life feels hard or you have questions about parenting.",
    "The service is for families with children living in the area, and it is free of charge.",
    "Meetings take place at the office, as home visits or remotely when needed.",
    "Appointments can be booked by phone or online.",
};
const std::vector<Words> kAccessibility{
    {"Sisäänkäynnille on luiska.", "Till ingången finns en ramp.", "There is a ramp to the entrance."},
    {"Ovi aukeaa automaattisesti.", "Dörren öppnas automatiskt.", "The door opens automatically."},
    {"Rakennuksessa on hissi.", "Byggnaden har hiss.", "The building has a lift."},
    {"Esteetön wc on ensimmäisessä kerroksessa.", "Tillgänglig toalett finns på första våningen.",
     "An accessible toilet is on the ground floor."},
    {"Pysäköintipaikka liikkumisesteisille on 20 metrin päässä.", "Parkeringsplats för rörelsehindrade finns 20 meter bort.",
     "Accessible parking is 20 metres away."},
};
const std::array<const char*, 7> kDays{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
// Finnish public holidays in the spring and summer of 2026 (dates as PTV sends them: local, no offset).
const std::vector<std::pair<std::string, Words>> kHolidays{
    {"2026-04-03", {"Pitkäperjantai", "Långfredag", "Good Friday"}},
    {"2026-04-06", {"2. pääsiäispäivä", "Annandag påsk", "Easter Monday"}},
    {"2026-05-01", {"Vappu", "Första maj", "May Day"}},
    {"2026-05-14", {"Helatorstai", "Kristi himmelsfärdsdag", "Ascension Day"}},
    {"2026-06-19", {"Juhannusaatto", "Midsommarafton", "Midsummer Eve"}},
    {"2026-12-24", {"Jouluaatto", "Julafton", "Christmas Eve"}},
};

std::string replaced(const std::string& pattern, const std::string& value)
{
    std::string result = pattern;
    if (const auto at = result.find("{}"); at != std::string::npos) result.replace(at, 2, value);
    return result;
}

json localized(const Words& words, const char* type = nullptr)
{
    json list = json::array();
    for (const auto& [language, value] : {std::pair{"fi", &words.fi}, {"sv", &words.sv}, {"en", &words.en}}) {
        if (value->empty()) continue;
        json item = {{"language", language}, {"value", *value}};
        if (type) item["type"] = type;
        list.push_back(std::move(item));
    }
    return list;
}

class Generator {
public:
    Generator(const PtvRegionSpec& spec, ptvtest::FakePtv& server) : m_spec(spec), m_random(spec.seed), m_server(server) {}

    PtvRegionSummary run()
    {
        // Links first, so each channel can list the services that link to it, as PTV's channels do.
        std::vector<std::vector<std::string>> serviceLinks(static_cast<std::size_t>(m_spec.familyServices));
        for (int i = 0; i < m_spec.familyServices; ++i) {
            auto& links = serviceLinks[static_cast<std::size_t>(i)];
            const auto link = [&](std::string id) {
                if (std::find(links.begin(), links.end(), id) == links.end()) links.push_back(std::move(id));
            };
            // Every place gets at least one service; then 1–3 places a service.
            if (m_spec.places > 0) {
                link(id('c', i % m_spec.places));
                for (int extra = m_random.below(3); extra > 0; --extra) link(id('c', m_random.below(m_spec.places)));
            }
            if (m_spec.phoneChannels > 0 && m_random.chance(40)) link(id('p', m_random.below(m_spec.phoneChannels)));
            if (m_spec.webChannels > 0 && m_random.chance(40)) link(id('w', m_random.below(m_spec.webChannels)));
            for (const auto& channelId : links) m_linkedServices[channelId].push_back(i);
        }
        for (int i = 0; i < m_spec.familyServices; ++i) {
            put(service(i, kFamilyKinds[static_cast<std::size_t>(i) % kFamilyKinds.size()], serviceLinks[static_cast<std::size_t>(i)]),
                true);
        }
        for (int i = 0; i < m_spec.otherServices; ++i) {
            // Linked to channels of their own, which a family kiosk never fetches.
            put(service(m_spec.familyServices + i, kOtherKinds[static_cast<std::size_t>(i) % kOtherKinds.size()],
                        {id('e', i), id('e', i + 1)}),
                true);
        }
        for (int i = 0; i < m_spec.places; ++i) put(place(i), false);
        for (int i = 0; i < m_spec.phoneChannels; ++i) put(phone(i), false);
        for (int i = 0; i < m_spec.webChannels; ++i) put(webPage(i), false);
        m_summary.megabytes = static_cast<double>(m_bytes) / 1e6;
        return m_summary;
    }

private:
    static std::string id(char kind, int number)
    {
        return fmt::format("{}{:07x}-{:04x}-4{:03x}-8{:03x}-{:012x}", kind, number, number % 0xffff, number % 0xfff,
                           (number * 7) % 0xfff, static_cast<std::uint64_t>(number) * 2654435761u);
    }

    void put(const json& item, bool service)
    {
        m_bytes += item.dump().size();
        if (service) {
            m_server.putService(item);
            ++m_summary.services;
        } else {
            m_server.putChannel(item);
            ++m_summary.channels;
        }
    }

    std::string modified()
    {
        return fmt::format("2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}", m_random.between(1, 2), m_random.between(1, 28),
                           m_random.between(6, 17), m_random.below(60), m_random.below(60), m_random.below(1'000'000));
    }

    std::string paragraph(const std::vector<std::string>& sentences, int count)
    {
        std::string text;
        for (int i = 0; i < count; ++i) text += (text.empty() ? "" : " ") + m_random.pick(sentences);
        return text;
    }

    // A long description as PTV editors write them: paragraphs and a bullet list.
    Words description()
    {
        Words words{paragraph(kSentencesFi, m_random.between(3, 6)) + "\n\n" + paragraph(kSentencesFi, m_random.between(2, 4)) +
                        "\n\n* ajanvaraus puhelimitse\n* sähköinen asiointi\n* kotikäynnit tarvittaessa",
                    paragraph(kSentencesSv, m_random.between(3, 5)) + "\n\n* tidsbokning per telefon\n* e-tjänst",
                    m_random.chance(60) ? paragraph(kSentencesEn, m_random.between(2, 4)) : std::string()};
        return words;
    }

    Words summaryText()
    {
        return Words{m_random.pick(kSentencesFi), m_random.pick(kSentencesSv), m_random.chance(60) ? m_random.pick(kSentencesEn) : ""};
    }

    json classification(const std::string& code, const std::string& name, const char* list, const char* ontology)
    {
        return {{"name", json::array({{{"value", name}, {"language", "fi"}}})},
                {"description", json::array()},
                {"code", code},
                {"ontologyType", ontology},
                {"uri", fmt::format("http://uri.suomi.fi/codelist/ptv/{}/code/{}", list, code)},
                {"parentId", nullptr},
                {"parentUri", nullptr},
                {"newUri", fmt::format("http://uri.suomi.fi/codelist/ptv/{}/code/{}", list, code)},
                {"newParentUri", nullptr}};
    }

    // `day` null: an Exceptional entry's hours, which have no weekday.
    static json openingHour(const char* day, int fromHour, int fromMinute, int toHour, int toMinute, const char* dayTo = "")
    {
        // PTV sends hours unpadded ("8:00:00") as often as padded.
        return {{"dayFrom", day ? json(day) : json(nullptr)}, {"dayTo", day ? json(dayTo) : json(nullptr)}, {"from", fmt::format("{}:{:02}:00", fromHour, fromMinute)},
                {"to", fmt::format("{}:{:02}:00", toHour, toMinute)}};
    }

    json hourBlock(const char* type, json validFrom, json validTo, bool closed, bool now, const Words& note, json hours)
    {
        ++m_summary.hourBlocks;
        if (std::string_view(type) == "Exceptional") ++m_summary.exceptions;
        return {{"serviceHourType", type}, {"validFrom", std::move(validFrom)}, {"validTo", std::move(validTo)},
                {"isClosed", closed},      {"validForNow", now},                {"isAlwaysOpen", false},
                {"isReservation", false},  {"additionalInformation", localized(note)},
                {"openingHour", std::move(hours)}};
    }

    json placeHours()
    {
        json blocks = json::array();
        json regular = json::array();
        const int open = m_random.between(7, 9);
        for (int day = 0; day < 5; ++day) {
            if (day == 2 && m_random.chance(40)) {   // a split Wednesday
                regular.push_back(openingHour(kDays[2], open, 0, 12, 0));
                regular.push_back(openingHour(kDays[2], 13, 0, 18, 0));
            } else {
                regular.push_back(openingHour(kDays[static_cast<std::size_t>(day)], open, 0, day == 4 ? 14 : 16, 0));
            }
        }
        blocks.push_back(hourBlock("DaysOfTheWeek", nullptr, nullptr, false, true,
                                   {"Aukioloajat", "Öppettider", "Opening hours"}, std::move(regular)));
        if (m_random.chance(50)) {
            json summer = json::array();
            for (int day = 0; day < 4; ++day) summer.push_back(openingHour(kDays[static_cast<std::size_t>(day)], 9, 0, 14, 0));
            blocks.push_back(hourBlock("DaysOfTheWeek", "2026-06-01T00:00:00", "2026-08-14T00:00:00", false, false,
                                       {"Kesäaukiolo", "Sommaröppettider", "Summer hours"}, std::move(summer)));
        }
        if (m_random.chance(35)) {
            json dropIn = json::array({openingHour(kDays[1], 9, 30, 11, 30), openingHour(kDays[3], 17, 0, 19, 0)});
            blocks.push_back(hourBlock("DaysOfTheWeek", nullptr, nullptr, false, true,
                                       {"Avoin perhekahvila ilman ajanvarausta", "Öppet familjecafé utan tidsbokning",
                                        "Drop-in family café"},
                                       std::move(dropIn)));
        }
        if (m_random.chance(10)) {
            blocks.push_back(hourBlock("OverMidnight", nullptr, nullptr, false, true, {"Yöpäivystys", "Nattjour", "Night service"},
                                       json::array({openingHour(kDays[5], 22, 0, 5, 0, kDays[6])})));
        }
        for (const auto& [day, name] : kHolidays) {
            if (!m_random.chance(60)) continue;
            const bool shortDay = m_random.chance(20);
            blocks.push_back(hourBlock("Exceptional", day + "T00:00:00", nullptr, !shortDay, false, name,
                                       shortDay ? json::array({openingHour(nullptr, 8, 0, 12, 0)}) : json::array()));
        }
        if (m_random.chance(25)) {
            blocks.push_back(hourBlock("Exceptional", nullptr, nullptr, false, false,
                                       {"Juhlapyhien aattoina suljemme klo 12.", "Före helgdagar stänger vi kl. 12.", ""},
                                       json::array({openingHour(nullptr, 0, 0, 0, 0)})));
        }
        return blocks;
    }

    json organizations()
    {
        json list = json::array(
            {{{"organization", {{"id", "7fdd7f84-e52a-4c17-a59a-d7c2a3095ed5"}, {"name", "Vaasan kaupunki"}}},
              {"roleType", "Responsible"}, {"provisionType", nullptr}, {"additionalInformation", json::array()}}});
        if (m_random.chance(30)) {
            list.push_back({{"organization", {{"id", "3d1759a2-e47a-4947-9a31-cab1c1e2512b"}, {"name", "Pohjanmaan hyvinvointialue"}}},
                            {"roleType", "Producer"}, {"provisionType", "SelfProducedServices"},
                            {"additionalInformation", json::array()}});
        }
        return list;
    }

    json service(int index, const ServiceKind& kind, const std::vector<std::string>& links)
    {
        const std::string area = m_random.pick(kAreas);
        const Words name{kind.name.fi + " " + area, kind.name.sv + " " + area, kind.name.en + ", " + area};
        json descriptions = localized(summaryText(), "Summary");
        for (auto& item : localized(description(), "Description")) descriptions.push_back(std::move(item));
        descriptions.push_back({{"language", "fi"}, {"value", paragraph(kSentencesFi, 2)}, {"type", "UserInstruction"}});
        descriptions.push_back({{"language", "fi"}, {"value", nullptr}, {"type", "ChargeTypeAdditionalInfo"}});

        json connections = json::array();
        for (const auto& channelId : links) {
            ++m_summary.connections;
            json hours = json::array();
            if (channelId.front() == 'c' && m_random.chance(15)) {
                hours.push_back(hourBlock("DaysOfTheWeek", nullptr, nullptr, false, true,
                                          {"Vastaanotto", "Mottagning", "Appointments"},
                                          json::array({openingHour(kDays[static_cast<std::size_t>(m_random.below(5))], 9, 0, 11, 30)})));
            }
            connections.push_back({{"serviceChannel", {{"id", channelId}, {"name", name.fi}}},
                                   {"serviceChargeType", nullptr},
                                   {"description", json::array()},
                                   {"extraTypes", json::array()},
                                   {"serviceHours", std::move(hours)},
                                   {"contactDetails", nullptr},
                                   {"digitalAuthorizations", json::array()},
                                   {"modified", modified()}});
        }
        json ontology = json::array();
        for (int i = m_random.between(2, 4); i > 0; --i) {
            ontology.push_back(classification(fmt::format("p{}", m_random.between(1000, 39999)), "lapsiperheet", "koko", "KOKO"));
        }
        json targetGroups = json::array({classification(kind.targetGroup, "Kohderyhmä", "ptvkohderyhmat", "ptvkohderyhmat")});
        if (m_random.chance(30)) targetGroups.push_back(classification("KR1", "Kansalaiset", "ptvkohderyhmat", "ptvkohderyhmat"));
        return {{"id", id('s', index)},
                {"sourceId", nullptr},
                {"generalDescriptionId", m_random.chance(40) ? json(id('g', index % 50)) : json(nullptr)},
                {"subType", nullptr},
                {"type", "Service"},
                {"fundingType", "PubliclyFunded"},
                {"serviceNames", localized(name, "Name")},
                {"serviceChargeType", m_random.chance(85) ? "FreeOfCharge" : "Chargeable"},
                {"areaType", "LimitedType"},
                {"areas", json::array({{{"type", "Municipality"}, {"code", nullptr}, {"name", nullptr},
                                        {"municipalities", json::array({{{"code", m_spec.municipality},
                                                                         {"name", localized({"Vaasa", "Vasa", ""})}}})}}})},
                {"serviceDescriptions", std::move(descriptions)},
                {"languages", m_random.chance(50) ? json::array({"fi", "sv", "en"}) : json::array({"fi", "sv"})},
                {"serviceClasses", json::array({classification(kind.serviceClass, kind.className, "ptvserclass2", "PTVL")})},
                {"ontologyTerms", std::move(ontology)},
                {"targetGroups", std::move(targetGroups)},
                {"lifeEvents", m_random.chance(30) ? json::array({classification("KE1", "Lapsen saaminen", "ptvelti", "ptvelti")})
                                                   : json::array()},
                {"industrialClasses", json::array()},
                {"legislation", json::array()},
                {"keywords", json::array({{{"value", "perhe"}, {"language", "fi"}}, {{"value", "familj"}, {"language", "sv"}}})},
                {"requirements", json::array()},
                {"serviceChannels", std::move(connections)},
                {"organizations", organizations()},
                {"serviceVouchersInUse", false},
                {"serviceVouchers", json::array()},
                {"serviceCollections", json::array()},
                {"publishingStatus", "Published"},
                {"modified", modified()},
                {"responsibleSoteOrganization", nullptr}};
    }

    // The connections as a channel lists them.
    json servicesOf(const std::string& channelId)
    {
        json list = json::array();
        for (const int service : m_linkedServices[channelId]) {
            list.push_back({{"service", {{"id", id('s', service)}, {"name", "Palvelu"}}},
                            {"serviceChargeType", nullptr},
                            {"description", json::array()},
                            {"extraTypes", json::array()},
                            {"serviceHours", json::array()},
                            {"contactDetails", nullptr},
                            {"digitalAuthorizations", json::array()},
                            {"modified", modified()}});
        }
        return list;
    }

    json channelBase(const std::string& channelId, const char* type, const Words& name)
    {
        json descriptions = localized(summaryText(), "Summary");
        for (auto& item : localized(description(), "Description")) descriptions.push_back(std::move(item));
        return {{"id", channelId},
                {"sourceId", nullptr},
                {"oid", nullptr},
                {"serviceChannelType", type},
                {"organizationId", "7fdd7f84-e52a-4c17-a59a-d7c2a3095ed5"},
                {"serviceChannelNames", localized(name, "Name")},
                {"displayNameType", json::array({{{"type", "Name"}, {"language", "fi"}}, {{"type", "Name"}, {"language", "sv"}}})},
                {"serviceChannelDescriptions", std::move(descriptions)},
                {"areaType", "LimitedType"},
                {"areas", json::array()},
                {"languages", json::array({"fi", "sv"})},
                {"services", servicesOf(channelId)},
                {"serviceCollections", json::array()},
                {"publishingStatus", "Published"},
                {"modified", modified()},
                {"responsibleSoteOrganization", nullptr},
                {"ontologyTerms", json::array()}};
    }

    json phoneNumber()
    {
        return {{"type", "Phone"}, {"additionalInformation", "Ajanvaraus"}, {"serviceChargeType", "Chargeable"},
                {"chargeDescription", nullptr}, {"prefixNumber", "+358"}, {"isFinnishServiceNumber", false},
                {"number", fmt::format("06 {} {:04}", m_random.between(200, 399), m_random.below(10000))}, {"language", "fi"}};
    }

    json webPages(const std::string& slug)
    {
        return json::array({{{"url", fmt::format("https://www.vaasa.example/{}", slug)}, {"value", "Lisätietoja"}, {"language", "fi"}},
                            {{"url", fmt::format("https://www.vaasa.example/sv/{}", slug)}, {"value", "Mer information"},
                             {"language", "sv"}}});
    }

    json entrance(double northing, double easting)
    {
        json groups = json::array();
        for (int group = m_random.between(2, 4); group > 0; --group) {
            json sentences = json::array();
            for (int i = m_random.between(1, 3); i > 0; --i) sentences.push_back({{"sentence", localized(m_random.pick(kAccessibility))}});
            groups.push_back({{"sentenceGroup", localized({"Sisäänkäynti", "Ingång", "Entrance"})}, {"sentences", std::move(sentences)}});
        }
        return {{"name", json::array()},
                {"isMainEntrance", true},
                {"coordinates", {{"latitude", fmt::format("{:.3f}", northing + 3)}, {"longitude", fmt::format("{:.3f}", easting - 2)}}},
                {"contactInfo", nullptr},
                {"accessibilitySentences", std::move(groups)}};
    }

    json place(int index)
    {
        const std::string channelId = id('c', index);
        const std::string area = m_random.pick(kAreas);
        const Words& pattern = kPlaceNames[static_cast<std::size_t>(index) % kPlaceNames.size()];
        json channel = channelBase(channelId, "ServiceLocation",
                                   {replaced(pattern.fi, area), replaced(pattern.sv, area), replaced(pattern.en, area)});
        channel["phoneNumbers"] = json::array({phoneNumber()});
        channel["emails"] = json::array({{{"value", fmt::format("paikka{}@vaasa.example", index)}, {"language", "fi"}}});
        channel["webPages"] = webPages(fmt::format("paikat/{}", index));
        // Vaasa in ETRS-TM35FIN: latitude holds the northing, longitude the easting (ptv.md §0.3).
        const double northing = 7'000'000 + m_random.below(20'000'000) / 1000.0;
        const double easting = 220'000 + m_random.below(20'000'000) / 1000.0;
        const std::string street = m_random.pick(kStreets);
        json addresses = json::array(
            {{{"type", "Location"}, {"subType", "Single"}, {"postOfficeBoxAddress", nullptr},
              {"streetAddress",
               {{"street", localized({street, street + "n", ""})},
                {"streetNumber", std::to_string(m_random.between(1, 80))},
                {"postalCode", fmt::format("651{:02}", m_random.below(100))},
                {"postOffice", localized({"VAASA", "VASA", ""})},
                {"municipality", {{"code", m_spec.municipality}, {"name", localized({"Vaasa", "Vasa", ""})}}},
                {"additionalInformation", json::array({{{"value", "2. krs"}, {"language", "fi"}}, {{"value", nullptr}, {"language", "sv"}}})},
                {"latitude", fmt::format("{:.3f}", northing)},
                {"longitude", fmt::format("{:.3f}", easting)},
                {"coordinateState", "Ok"}}},
              {"otherAddress", nullptr}, {"locationAbroad", nullptr},
              {"entrances", json::array({entrance(northing, easting)})}, {"country", "FI"}}});
        if (m_random.chance(30)) {
            addresses.push_back({{"type", "Postal"}, {"subType", "PostOfficeBox"},
                                 {"postOfficeBoxAddress", {{"postOfficeBox", localized({"PL 3", "PB 3", ""})}, {"postalCode", "65101"},
                                                           {"postOffice", localized({"VAASA", "VASA", ""})}}},
                                 {"streetAddress", nullptr}, {"country", "FI"}});
        }
        channel["addresses"] = std::move(addresses);
        channel["serviceHours"] = placeHours();
        return channel;
    }

    json phone(int index)
    {
        json channel = channelBase(id('p', index), "Phone", {"Ajanvaraus", "Tidsbokning", "Appointments"});
        channel["phoneNumbers"] = json::array({phoneNumber()});
        channel["supportEmails"] = json::array({{{"value", "ajanvaraus@vaasa.example"}, {"language", "fi"}}});
        channel["webPages"] = json::array();
        json weekdays = json::array();
        for (int day = 0; day < 5; ++day) weekdays.push_back(openingHour(kDays[static_cast<std::size_t>(day)], 8, 0, 15, 0));
        channel["serviceHours"] = json::array({hourBlock("DaysOfTheWeek", nullptr, nullptr, false, true,
                                                         {"Puhelinaika", "Telefontid", "Phone hours"}, std::move(weekdays))});
        return channel;
    }

    json webPage(int index)
    {
        json channel = channelBase(id('w', index), "WebPage", {"Verkkosivut", "Webbsidor", "Web pages"});
        channel["webPages"] = webPages(fmt::format("palvelut/{}", index));
        channel["accessibilityClassification"] = json::array();
        return channel;
    }

    const PtvRegionSpec& m_spec;
    SeededRandom m_random;
    ptvtest::FakePtv& m_server;
    std::map<std::string, std::vector<int>> m_linkedServices;
    PtvRegionSummary m_summary;
    std::size_t m_bytes = 0;
};

}   // namespace

PtvRegionSummary servePtvRegion(const PtvRegionSpec& spec, ptvtest::FakePtv& server)
{
    return Generator(spec, server).run();
}

}   // namespace kohtaamo::bench
