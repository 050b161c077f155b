#include "ical_generator.hpp"
#include "seeded_random.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace kohtaamo::bench {
namespace {

using date::days;

constexpr std::string_view kZoneId = "Europe/Helsinki";
constexpr std::size_t kMaxOctets = 75;   // RFC 5545 3.1, without the CRLF

const std::vector<std::string> kDayCodes{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
const std::vector<int> kStartMinutes{9 * 60, 9 * 60 + 30, 10 * 60, 10 * 60 + 30, 13 * 60,
                                     14 * 60, 16 * 60 + 30, 17 * 60, 18 * 60};
const std::vector<int> kDurations{45, 60, 90, 90, 120};

const std::vector<std::string> kGroups{"Vauvakerho (0–12 kk)",
                                       "Perhekahvila",
                                       "Äitien vertaisryhmä",
                                       "Isä-lapsi-ilta",
                                       "Lorupussi",
                                       "Kaksosperheiden tapaaminen",
                                       "Imetystukiryhmä",
                                       "Perheliikunta",
                                       "Satuhetki",
                                       "Sylikerho",
                                       "Taaperoiden värikylpy",
                                       "Isoäitien käsityöpiiri",
                                       "Monikulttuurinen perhekahvila",
                                       "Yksinhuoltajien vertaisryhmä",
                                       "Pienten musiikkileikki",
                                       "Äiti-vauva-jooga",
                                       "Höntsäkerho",
                                       "Perhesähly",
                                       "Leikkipuistotreffit",
                                       "Suomen kielen kahvila vanhemmille",
                                       "Ensisynnyttäjien perhevalmennus",
                                       "Sateenkaariperheiden ryhmä",
                                       "Erityislasten vanhempien vertaistuki",
                                       "Vauvahieronta"};
const std::vector<std::string> kGroupSuffixes{"– ryhmä 2", "(yläkerta)", "– iltaryhmä", "(myös ruotsiksi)",
                                              "– syksyn jatkoryhmä", "(Pöllö-huone)"};
const std::vector<std::string> kMonthly{"Kaksosperheiden kuukausitapaaminen", "Isien saunailta",
                                        "Vanhempainkahvit",                   "Lukupiiri vanhemmille",
                                        "Keskosperheiden vertaistuki",        "Kirpputori ja vaihtopiste"};
const std::vector<std::string> kOneOffs{"Vanhempainilta: lapsen uni",
                                        "Kevätjuhla",
                                        "Luento: lapsen kielen kehitys",
                                        "Perheiden liikuntapäivä",
                                        "Tutustumisilta uusille perheille",
                                        "Neuvolan infotilaisuus: rokotukset",
                                        "Ensiaputaitoja vauvaperheille",
                                        "Pääsiäisaskartelu",
                                        "Äitienpäiväkortit",
                                        "Muskarin näytöskerta",
                                        "Yhteislaulutilaisuus"};
const std::vector<std::string> kAllDay{"Perhekeskus suljettu (koulutuspäivä)",
                                       "Hiihtoloma: kerhot tauolla",
                                       "Kevätretki Nuuksioon",
                                       "Kirpputoripäivä",
                                       "Ystävänpäivän askartelut koko päivän",
                                       "Leikkipuisto: perhepäivä",
                                       "Henkilökunnan virkistyspäivä – kahvila kiinni"};
const std::vector<std::string> kPrivate{"Tiimipalaveri", "Työnohjaus", "Kehityskeskustelu: Päivi",
                                        "Asiakastapaaminen"};
const std::vector<std::string> kLocations{"Perhekeskus Majakka, ryhmätila 2",
                                          "Majakka, iso sali",
                                          "Majakka, vauvahuone Pöllö",
                                          "Kirjasto Sellö, satuhuone",
                                          "Leikkipuisto Myllypuro",
                                          "Seurakuntatalo, kerhohuone Käpy",
                                          "Liikuntahalli Hälläpyörä, sali B",
                                          "Perhekeskus Majakka, keittiö ja olohuone"};
const std::vector<std::string> kSentences{
    "Avoin vertaisryhmä vauvaperheille: leikkejä, lauluja ja yhdessäoloa.",
    "Kahvi ja pulla 1 €; lapset ilmaiseksi.",
    "Ohjaajina perheohjaaja Märta Sjöström ja vapaaehtoiset.",
    "Ryhmä kokoontuu yläkerran leikkihuoneessa, hissi löytyy pääovelta oikealle.",
    "Ei ennakkoilmoittautumista – tule silloin kun sinulle sopii!",
    "Huom! Ryhmä on tauolla koulujen lomaviikoilla.",
    "Tervetuloa myös isät, isovanhemmat ja muut läheiset.",
    "Vaunuparkki on sisäpihalla; ulkovaatteet naulakkoon eteiseen.",
    "Lisätietoja: perhetyöntekijä Päivi Hölttä, puh. 040 123 4567.",
    "Ota mukaan oma alusta ja juomapullo.",
    "Tilaan mahtuu 15 perhettä, joten ovella voi joutua odottamaan hetken.",
    "Tapaamisissa on tulkki paikalla sovittaessa (arabia, somali, ukraina).",
    "Sisältö vaihtelee: välillä vierailijana neuvolan terveydenhoitaja, välillä liikuntaleikkejä.",
    "Sään salliessa ulkoilemme lähileikkipuistossa, joten pukeudu säänmukaisesti."};
const std::vector<std::string> kChangedTitles{"vierailijana neuvolan terveydenhoitaja", "poikkeuksellisesti salissa",
                                              "teemana kevään retket", "ohjaajana sijainen"};

/// One VEVENT series (or single event) before it is written.
struct Series {
    enum class Rule { None, Weekly, Monthly };
    Rule rule = Rule::None;
    int interval = 1;
    bool allDay = false;
    bool isPrivate = false;
    bool googleOrder = false;   ///< "FREQ=WEEKLY;WKST=MO;UNTIL=…;BYDAY=TU" as Google writes it
    LocalDate start;
    int startMinutes = 0;
    int durationMinutes = 60;
    int allDayLength = 1;
    std::vector<int> weekdays;   ///< ISO, Monday = 0
    int nth = 2;                 ///< monthly: 1…3, or -1 for the last
    int monthlyWeekday = 3;
    std::optional<LocalDate> until;
    std::optional<int> count;
    std::string title;
};

/// Content lines, folded at 75 octets between characters (never inside a UTF-8 sequence).
class Writer {
public:
    void line(std::string_view text)
    {
        if (text.size() > kMaxOctets) ++m_folded;
        std::size_t limit = kMaxOctets;
        while (text.size() > limit) {
            std::size_t cut = limit;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
            m_text.append(text.substr(0, cut));
            m_text += "\r\n ";
            text.remove_prefix(cut);
            limit = kMaxOctets - 1;   // the continuation's leading space counts
        }
        m_text.append(text);
        m_text += "\r\n";
    }
    void property(std::string_view name, std::string_view value) { line(fmt::format("{}:{}", name, value)); }
    [[nodiscard]] std::string take() { return std::move(m_text); }
    [[nodiscard]] int folded() const { return m_folded; }

private:
    std::string m_text;
    int m_folded = 0;
};

std::string escaped(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case ';': out += "\\;"; break;
        case ',': out += "\\,"; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string localStamp(LocalDateTime time) { return date::format("%Y%m%dT%H%M%S", time); }
std::string utcStamp(Instant time) { return date::format("%Y%m%dT%H%M%SZ", time); }
std::string dateStamp(LocalDate day) { return date::format("%Y%m%d", day); }

LocalDateTime wallStart(const Series& series, LocalDate day)
{
    return LocalDateTime{day} + std::chrono::minutes{series.startMinutes};
}

LocalDate nthWeekday(date::year_month month, int nth, int isoWeekday)
{
    const date::weekday day{static_cast<unsigned>((isoWeekday + 1) % 7)};
    if (nth < 0) return LocalDate(date::year_month_weekday_last{month.year(), month.month(), date::weekday_last{day}});
    return LocalDate(date::year_month_weekday{month.year(), month.month(), day[static_cast<unsigned>(nth)]});
}

/// The dates of the first `limit` sessions, as the rule (with UNTIL or COUNT) makes them.
std::vector<LocalDate> sessionDates(const Series& series, std::size_t limit)
{
    std::vector<LocalDate> dates;
    const auto take = [&](LocalDate day) {
        if (series.until && day > *series.until) return false;
        if (series.count && std::cmp_greater_equal(dates.size(), *series.count)) return false;
        dates.push_back(day);
        return dates.size() < limit;
    };
    if (series.rule == Series::Rule::None) {
        dates.push_back(series.start);
    } else if (series.rule == Series::Rule::Monthly) {
        const date::year_month_day first{series.start};
        const date::year_month month{first.year(), first.month()};
        for (int k = 0; k < 48; ++k) {
            const LocalDate day = nthWeekday(month + date::months{k}, series.nth, series.monthlyWeekday);
            if (day >= series.start && !take(day)) break;
        }
    } else {
        const LocalDate weekStart = series.start - days{weekdayIndex(series.start)};
        for (LocalDate day = series.start; day < series.start + days{800}; day += days{1}) {
            const auto week = (day - weekStart).count() / 7;
            const bool listed =
                std::find(series.weekdays.begin(), series.weekdays.end(), weekdayIndex(day)) != series.weekdays.end();
            if (week % series.interval == 0 && listed && !take(day)) break;
        }
    }
    return dates;
}

std::string rruleOf(const Series& series)
{
    std::vector<std::string> parts;
    parts.push_back(series.rule == Series::Rule::Monthly ? "FREQ=MONTHLY" : "FREQ=WEEKLY");
    if (series.googleOrder) parts.push_back("WKST=MO");
    if (series.until) {
        // Timed series end at the last day's local midnight in UTC, as Google and Outlook write it.
        const Instant end = TimeZone::helsinki().toInstant(LocalDateTime{*series.until + days{1}}) -
                            std::chrono::seconds{1};
        parts.push_back("UNTIL=" + (series.allDay ? dateStamp(*series.until) : utcStamp(end)));
    }
    if (series.count) parts.push_back(fmt::format("COUNT={}", *series.count));
    if (series.interval > 1) parts.push_back(fmt::format("INTERVAL={}", series.interval));
    if (series.rule == Series::Rule::Monthly) {
        const auto& day = kDayCodes[static_cast<std::size_t>(series.monthlyWeekday)];
        parts.push_back(fmt::format("BYDAY={}{}", series.nth, day));
    } else {
        std::vector<std::string> codes;
        for (const int day : series.weekdays) codes.push_back(kDayCodes[static_cast<std::size_t>(day)]);
        parts.push_back(fmt::format("BYDAY={}", fmt::join(codes, ",")));
    }
    if (!series.googleOrder) std::rotate(parts.begin() + 1, parts.end() - 1, parts.end());   // BYDAY second
    return fmt::format("{}", fmt::join(parts, ";"));
}

/// Generates the calendar's VEVENTs, counting what it writes.
class CalendarWriter {
public:
    CalendarWriter(const CalendarSpec& spec, GeneratedCalendar& calendar)
        : m_spec(spec), m_calendar(calendar), m_random(spec.seed),
          m_stamp(Instant{spec.windowStart.time_since_epoch()} - std::chrono::hours{20})
    {
    }

    std::string write()
    {
        header();
        for (int index = 0; m_calendar.vevents < m_spec.vevents; ++index) series(index);
        m_out.line("END:VCALENDAR");
        m_calendar.foldedLines = m_out.folded();
        return m_out.take();
    }

private:
    void header()
    {
        for (const char* line :
             {"BEGIN:VCALENDAR", "PRODID:-//Kohtaamo//bench staff calendar 1.0//FI", "VERSION:2.0",
              "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Perhekeskus Majakka – ryhmät ja tapahtumat",
              "X-WR-TIMEZONE:Europe/Helsinki",
              "X-WR-CALDESC:Majakan perhekeskuksen avoimet ryhmät\\, kerhot ja tapahtumat. Muutokset päivitetään "
              "tänne viimeistään edellisenä päivänä.",
              "BEGIN:VTIMEZONE", "TZID:Europe/Helsinki", "X-LIC-LOCATION:Europe/Helsinki", "BEGIN:DAYLIGHT",
              "TZOFFSETFROM:+0200", "TZOFFSETTO:+0300", "TZNAME:EEST", "DTSTART:19700329T030000",
              "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0300",
              "TZOFFSETTO:+0200", "TZNAME:EET", "DTSTART:19701025T040000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
              "END:STANDARD", "END:VTIMEZONE"}) {
            m_out.line(line);
        }
    }

    LocalDate windowStart() const { return m_spec.windowStart; }

    // Most series began months ago and run through the window; some start after it begins.
    LocalDate seriesStart(int weekday)
    {
        const int offset = m_random.chance(82) ? -m_random.between(0, 180) : m_random.between(1, 40);
        const LocalDate day = windowStart() + days{offset};
        return day + days{(weekday - weekdayIndex(day) + 7) % 7};
    }

    void chooseEnd(Series& series, int minCount, int maxCount)
    {
        const int roll = m_random.below(100);
        if (roll < 45) {
            LocalDate until = m_random.chance(85) ? windowStart() + days{m_random.between(14, 150)}
                                                  : windowStart() - days{m_random.between(1, 60)};
            if (until < series.start) until = series.start + days{8 * 7};
            series.until = until;
            ++m_calendar.withUntil;
        } else if (roll < 70) {
            series.count = m_random.between(minCount, maxCount);
            ++m_calendar.withCount;
        }
    }

    Series makeSeries()
    {
        Series series;
        series.googleOrder = m_random.chance(50);
        series.startMinutes = m_random.pick(kStartMinutes);
        series.durationMinutes = m_random.pick(kDurations);
        const int roll = m_random.below(100);
        if (roll < 56) {
            series.rule = Series::Rule::Weekly;
            series.interval = roll < 42 ? 1 : 2;
            ++(series.interval == 1 ? m_calendar.weekly : m_calendar.biweekly);
            const int weekday = m_random.chance(4) ? 5 : m_random.below(5);
            series.weekdays = {weekday};
            if (weekday < 3 && m_random.chance(8)) series.weekdays.push_back(weekday + 2);
            series.start = seriesStart(weekday);
            chooseEnd(series, 6, 40);
            series.title = m_random.pick(kGroups);
            if (m_random.chance(30)) series.title += " " + m_random.pick(kGroupSuffixes);
        } else if (roll < 68) {
            series.rule = Series::Rule::Monthly;
            ++m_calendar.monthly;
            if (m_random.chance(60)) {
                series.nth = 2, series.monthlyWeekday = 3;   // BYDAY=2TH
            } else {
                const int variant = m_random.below(3);
                series.nth = variant == 0 ? 1 : variant == 1 ? 3 : -1;
                series.monthlyWeekday = variant == 0 ? 1 : variant == 1 ? 2 : 4;
            }
            const date::year_month_day today{windowStart()};
            const auto month = date::year_month{today.year(), today.month()} + date::months{m_random.between(-8, 1)};
            series.start = nthWeekday(month, series.nth, series.monthlyWeekday);
            chooseEnd(series, 3, 12);
            series.title = m_random.pick(kMonthly);
        } else if (roll < 82) {
            ++m_calendar.oneOffs;
            series.start = windowStart() + days{m_random.between(-30, 45)};
            series.durationMinutes = m_random.between(1, 3) * 60;
            series.title = m_random.pick(kOneOffs);
        } else if (roll < 97) {
            ++m_calendar.allDay;
            series.allDay = true;
            series.start = windowStart() + days{m_random.between(-20, 40)};
            series.allDayLength = m_random.chance(80) ? 1 : m_random.between(2, 3);
            series.title = m_random.pick(kAllDay);
            if (m_random.chance(15)) {
                series.rule = Series::Rule::Weekly;
                series.weekdays = {weekdayIndex(series.start)};
                chooseEnd(series, 4, 10);
            }
        } else {
            ++m_calendar.privateEntries;
            series.isPrivate = true;
            series.start = windowStart() + days{m_random.between(-10, 30)};
            series.title = m_random.pick(kPrivate);
            if (m_random.chance(50)) {
                series.rule = Series::Rule::Weekly;
                series.weekdays = {weekdayIndex(series.start)};
            }
        }
        return series;
    }

    // EXDATEs and changed sessions fall near the window, where the kiosk shows them.
    std::vector<LocalDate> pickDates(std::vector<LocalDate>& candidates, int wanted)
    {
        std::vector<LocalDate> near;
        for (std::size_t i = 1; i < candidates.size(); ++i) {
            if (candidates[i] >= windowStart() - days{28} && candidates[i] <= windowStart() + days{42})
                near.push_back(candidates[i]);
        }
        if (near.empty() && candidates.size() > 1) near.assign(candidates.begin() + 1, candidates.end());
        std::vector<LocalDate> picked;
        while (std::cmp_less(picked.size(), wanted) && !near.empty()) {
            const auto at = near.begin() + m_random.below(static_cast<int>(near.size()));
            picked.push_back(*at);
            std::erase(candidates, *at);
            near.erase(at);
        }
        std::sort(picked.begin(), picked.end());
        return picked;
    }

    std::string description()
    {
        std::string text;
        const int sentences = m_random.between(1, 5);
        for (int i = 0; i < sentences; ++i) {
            if (i > 0) text += m_random.chance(30) ? "\n\n" : " ";
            text += m_random.pick(kSentences);
        }
        return text;
    }

    void times(const Series& series, LocalDate day, std::string_view startName = "DTSTART")
    {
        if (series.allDay) {
            m_out.property(fmt::format("{};VALUE=DATE", startName), dateStamp(day));
            m_out.property("DTEND;VALUE=DATE", dateStamp(day + days{series.allDayLength}));
            return;
        }
        const LocalDateTime start = wallStart(series, day);
        m_out.property(fmt::format("{};TZID={}", startName, kZoneId), localStamp(start));
        m_out.property(fmt::format("DTEND;TZID={}", kZoneId),
                       localStamp(start + std::chrono::minutes{series.durationMinutes}));
    }

    void exdates(const Series& series, const std::vector<LocalDate>& dates)
    {
        if (dates.empty()) return;
        m_calendar.exdates += static_cast<int>(dates.size());
        std::vector<std::string> values;
        for (const LocalDate day : dates) {
            values.push_back(series.allDay ? dateStamp(day) : localStamp(wallStart(series, day)));
        }
        const std::string name = series.allDay ? "EXDATE;VALUE=DATE" : fmt::format("EXDATE;TZID={}", kZoneId);
        // Google writes one EXDATE per line, Outlook a comma-separated list.
        if (m_random.chance(50)) {
            for (const auto& value : values) m_out.property(name, value);
        } else {
            m_out.property(name, fmt::format("{}", fmt::join(values, ",")));
        }
    }

    void common(const Series& series, const std::string& uid, int sequence, Instant modified, std::string_view status)
    {
        m_out.property("DTSTAMP", utcStamp(m_stamp));
        m_out.property("UID", uid);
        m_out.property("CREATED", utcStamp(modified - days{m_random.between(0, 100)}));
        if (!series.isPrivate && m_random.chance(80)) m_out.property("DESCRIPTION", escaped(description()));
        m_out.property("LAST-MODIFIED", utcStamp(modified));
        if (m_random.chance(85)) m_out.property("LOCATION", escaped(m_random.pick(kLocations)));
        m_out.property("SEQUENCE", std::to_string(sequence));
        m_out.property("STATUS", status);
    }

    void changedSession(const Series& series, const std::string& uid, LocalDate day)
    {
        ++m_calendar.overrides;
        ++m_calendar.vevents;
        const LocalDateTime original = wallStart(series, day);
        const int variant = m_random.below(10);
        Series changed = series;
        LocalDate changedDay = day;
        std::string status = "CONFIRMED";
        if (variant < 4) {
            if (m_random.chance(50)) changed.startMinutes += 60;
            else changedDay += days{1};
        } else if (variant < 7) {
            status = "CANCELLED";
        } else {
            changed.title = fmt::format("{} – {}", series.title, m_random.pick(kChangedTitles));
        }
        m_out.line("BEGIN:VEVENT");
        times(changed, changedDay);
        // Exchange sometimes names the original session in UTC.
        if (m_random.chance(15)) m_out.property("RECURRENCE-ID", utcStamp(TimeZone::helsinki().toInstant(original)));
        else m_out.property(fmt::format("RECURRENCE-ID;TZID={}", kZoneId), localStamp(original));
        common(changed, uid, m_random.between(1, 2), m_stamp - days{m_random.between(0, 5)}, status);
        m_out.property("SUMMARY", escaped(changed.title));
        m_out.property("TRANSP", "OPAQUE");
        m_out.line("END:VEVENT");
    }

    void series(int index)
    {
        Series series = makeSeries();
        const std::string uid = fmt::format("{:012x}{:06x}@kohtaamo-bench.example.fi", m_random.next() >> 16, index);
        std::vector<LocalDate> sessions = sessionDates(series, 120);
        std::vector<LocalDate> excluded;
        if (series.rule != Series::Rule::None && m_random.chance(30)) {
            excluded = pickDates(sessions, m_random.between(1, 3));
        }
        std::vector<LocalDate> changed;
        const int room = m_spec.vevents - m_calendar.vevents - 1;
        const bool changeable = series.rule != Series::Rule::None && !series.allDay && !series.isPrivate;
        if (changeable && m_random.chance(18) && room > 0) {
            changed = pickDates(sessions, std::min(room, m_random.between(1, 2)));
        }
        // Google lists a series' changed sessions before it, others after.
        const bool changesFirst = m_random.chance(50);
        if (changesFirst) {
            for (const LocalDate day : changed) changedSession(series, uid, day);
        }
        ++m_calendar.vevents;
        m_out.line("BEGIN:VEVENT");
        times(series, series.start);
        if (series.rule != Series::Rule::None) m_out.property("RRULE", rruleOf(series));
        exdates(series, excluded);
        common(series, uid, 0, m_stamp - days{m_random.between(6, 200)}, "CONFIRMED");
        m_out.property("SUMMARY", escaped(series.title));
        if (series.isPrivate) m_out.property("CLASS", "PRIVATE");
        m_out.property("TRANSP", series.allDay ? "TRANSPARENT" : "OPAQUE");
        if (m_random.chance(15)) m_out.property("URL", fmt::format("https://majakka.example.fi/ryhmat/{}", index));
        m_out.line("END:VEVENT");
        if (!changesFirst) {
            for (const LocalDate day : changed) changedSession(series, uid, day);
        }
    }

    const CalendarSpec& m_spec;
    GeneratedCalendar& m_calendar;
    SeededRandom m_random;
    Instant m_stamp;
    Writer m_out;
};

}   // namespace

GeneratedCalendar generateCalendar(const CalendarSpec& spec)
{
    GeneratedCalendar calendar;
    calendar.text = CalendarWriter(spec, calendar).write();
    return calendar;
}

}   // namespace kohtaamo::bench
