#include "sync/ical_adapter.hpp"

#include "content/occurrences.hpp"
#include "windows_zones.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace kohtaamo;

namespace {

ICalSettings settings()
{
    ICalSettings result;
    result.sourceId = "majakka-kalenteri";
    result.placeId = "majakka";
    result.category = EventCategory::PeerGroup;
    result.audience.maxAge = 6;
    result.audience.parents = true;
    result.languages = {"fi"};
    result.isFree = true;
    return result;
}

std::string readCalendar(std::string_view name)
{
    const std::string path = std::string(KOHTAAMO_SOURCE_DIR "/tests/sync/data/ical/") + std::string(name);
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string problemsText(const ParsedFeed& feed)
{
    std::string text;
    for (const auto& problem : feed.problems) text += problem.location + ": " + problem.message + "\n";
    return text;
}

ParsedFeed parse(std::string_view bytes)
{
    auto feed = parseICalendar(bytes, settings());
    REQUIRE_MESSAGE(feed.has_value(), (feed ? "" : feed.error().message));
    return *feed;
}

ParsedFeed parseFile(std::string_view name) { return parse(readCalendar(name)); }

// A calendar around VEVENTs (and VTIMEZONEs) written one property per line.
std::string calendar(std::string_view body)
{
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kohtaamo//testi//FI\r\n" + std::string(body) +
           "END:VCALENDAR\r\n";
}

const Event& titled(const ParsedFeed& feed, std::string_view title)
{
    auto it = std::find_if(feed.content.events.begin(), feed.content.events.end(),
                           [&](const Event& event) { return event.title.in("fi") == title; });
    REQUIRE_MESSAGE(it != feed.content.events.end(), "no event titled " << title << "\n" << problemsText(feed));
    return *it;
}

bool hasProblem(const ParsedFeed& feed, std::string_view text)
{
    return std::any_of(feed.problems.begin(), feed.problems.end(), [&](const FeedProblem& problem) {
        return (problem.location + " " + problem.message).find(text) != std::string::npos;
    });
}

Instant at(std::string_view iso)
{
    auto instant = parseInstant(iso, TimeZone::helsinki());
    REQUIRE_MESSAGE(instant.has_value(), "bad test time " << iso);
    return *instant;
}

std::string local(Instant instant) { return formatIso(instant, TimeZone::helsinki()); }

std::vector<Occurrence> occurrences(const Event& event, std::string_view from, std::string_view to)
{
    auto result = expandOccurrences(event, at(from), at(to));
    REQUIRE_MESSAGE(result.has_value(), (result ? "" : result.error().message));
    return *result;
}

/// What the kiosk shows: each session's local start in Helsinki.
std::vector<std::string> starts(const Event& event, std::string_view from, std::string_view to)
{
    std::vector<std::string> result;
    for (const auto& occurrence : occurrences(event, from, to)) result.push_back(local(occurrence.start));
    return result;
}

using Starts = std::vector<std::string>;

} // namespace

// ---- Outlook / Exchange ----------------------------------------------------------------------

TEST_CASE("Outlook: a FLE Standard Time group stays at 09:30 Helsinki through the March DST change")
{
    const auto feed = parseFile("outlook_exchange.ics");
    const Event& group = titled(feed, "Vauvaryhmä");
    CHECK(group.schedule.timeZone == "Europe/Helsinki");
    // 7 April is an EXDATE (Easter week).
    CHECK(starts(group, "2026-03-20", "2026-04-15") ==
          Starts{"2026-03-24T09:30:00+02:00", "2026-03-31T09:30:00+03:00", "2026-04-14T09:30:00+03:00"});
    const auto sessions = occurrences(group, "2026-03-31", "2026-04-01");
    REQUIRE(sessions.size() == 1);
    CHECK(local(sessions[0].end) == "2026-03-31T11:00:00+03:00");
}

TEST_CASE("Outlook: a UTC UNTIL keeps the last session of a series that starts in winter and ends in summer")
{
    const auto feed = parseFile("outlook_exchange.ics");
    const Event& group = titled(feed, "Vauvaryhmä");
    CHECK(group.schedule.rrule.find("UNTIL=20260602T063000Z") != std::string::npos);
    CHECK(starts(group, "2026-05-25", "2026-06-30") == Starts{"2026-05-26T09:30:00+03:00", "2026-06-02T09:30:00+03:00"});
}

TEST_CASE("Outlook: a moved and retitled session of a series")
{
    const auto feed = parseFile("outlook_exchange.ics");
    const Event& group = titled(feed, "Vauvaryhmä");
    const auto week = occurrences(group, "2026-05-04", "2026-05-10");
    REQUIRE(week.size() == 1);
    CHECK(local(week[0].start) == "2026-05-06T10:00:00+03:00");
    CHECK(local(week[0].end) == "2026-05-06T11:30:00+03:00");
    REQUIRE(week[0].titleOverride != nullptr);
    CHECK(week[0].titleOverride->in("fi") == "Vauvaryhmä – poikkeuksellisesti keskiviikkona");
}

TEST_CASE("Outlook: monthly on the second Thursday in the BYSETPOS form, with a quoted TZID")
{
    const auto feed = parseFile("outlook_exchange.ics");
    const Event& evening = titled(feed, "Isien ilta");
    CHECK(evening.schedule.timeZone == "Europe/Helsinki");
    CHECK(starts(evening, "2026-01-01", "2026-12-31") ==
          Starts{"2026-02-12T17:30:00+02:00", "2026-03-12T17:30:00+02:00", "2026-04-09T17:30:00+03:00",
                 "2026-05-14T17:30:00+03:00", "2026-06-11T17:30:00+03:00", "2026-07-09T17:30:00+03:00"});
}

TEST_CASE("Outlook: an all-day series keeps the last day of its UTC UNTIL, and a DATE-TIME RECURRENCE-ID matches by date")
{
    const auto feed = parseFile("outlook_exchange.ics");
    const Event& market = titled(feed, "Kirpputori pihalla");
    CHECK(market.schedule.allDay);
    CHECK(market.schedule.duration == std::chrono::hours{24});
    const auto days = occurrences(market, "2026-04-01", "2026-06-01");
    std::vector<std::string> shown;
    for (const auto& day : days) shown.push_back(local(day.start));
    CHECK(shown == Starts{"2026-04-04T00:00:00+03:00", "2026-04-11T00:00:00+03:00", "2026-04-18T00:00:00+03:00",
                          "2026-04-25T00:00:00+03:00", "2026-05-02T00:00:00+03:00"});
    REQUIRE(days.size() == 5);
    CHECK(days[0].allDay);
    REQUIRE(days[2].titleOverride != nullptr);
    CHECK(days[2].titleOverride->in("fi") == "Kirpputori sisällä (sadepäivä)");
}

TEST_CASE("Outlook: other Windows zones, LANGUAGE parameters, settings, and private appointments")
{
    const auto feed = parseFile("outlook_exchange.ics");
    INFO(problemsText(feed));
    CHECK(feed.content.events.size() == 5);

    const Event& webinar = titled(feed, "Webinaari: perhevapaat 2026");
    CHECK(webinar.schedule.timeZone == "Europe/Berlin");
    CHECK(starts(webinar, "2026-03-18", "2026-03-19") == Starts{"2026-03-18T11:00:00+02:00"});
    CHECK(webinar.url == "https://perhekeskus.example.fi/webinaari");

    const Event& swedish = titled(feed, "Familjecafé på svenska");
    CHECK(swedish.title.exactly("sv") == "Familjecafé på svenska");
    CHECK(swedish.title.exactly("fi").empty());
    CHECK(swedish.description.exactly("sv") == "Välkommen med barnen!");

    const Event& group = titled(feed, "Vauvaryhmä");
    const std::string uid = "040000008200E00074C5B7101A82E00800000000D0B3C8E1F78BDC01000000000000000010000000E5F0C6A8B31D7A4C9B2E65F0A4C1D2E3";
    CHECK(group.id == "majakka-kalenteri:" + uid);
    CHECK(group.provenance.sourceId == "majakka-kalenteri");
    CHECK(group.provenance.upstreamId == uid);
    REQUIRE(group.provenance.upstreamModified.has_value());
    CHECK(formatUtc(*group.provenance.upstreamModified) == "2026-01-20T08:15:00Z");
    CHECK(group.title.exactly("fi") == "Vauvaryhmä");
    CHECK(group.description.in("fi") ==
          "Alle 1-vuotiaat vauvat ja heidän vanhempansa. Kahvia, teetä ja juttuseuraa.\n\nTervetuloa!");
    CHECK(group.locationText.in("fi") == "Ryhmätila Aalto, 2. krs");
    CHECK(group.placeId == "majakka");
    CHECK(group.category == EventCategory::PeerGroup);
    CHECK(group.audience.maxAge == 6);
    CHECK(group.languages == std::vector<std::string>{"fi"});
    CHECK(group.cost.isFree == true);
    CHECK(group.status == EventStatus::Scheduled);

    // The private appointment is left out, and its title is not even logged.
    CHECK(std::none_of(feed.content.events.begin(), feed.content.events.end(),
                       [](const Event& e) { return e.title.in("fi") == "Asiakastapaaminen"; }));
    CHECK(hasProblem(feed, "private"));
    CHECK_FALSE(hasProblem(feed, "Asiakastapaaminen"));
    CHECK(feed.problems.size() == 1);
}

// ---- Google Calendar -------------------------------------------------------------------------

TEST_CASE("Google: folded lines (one fold inside an ä), escaped text and UTF-8 come out right")
{
    const auto feed = parseFile("google_calendar.ics");
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    const Event& club = titled(feed, "Vauvakerho");
    CHECK(club.description.in("fi") ==
          "Vauvakerho 0-12 kk vauvoille ja heidän vanhemmilleen: leikkejä, lauluja ja kahvit 1 €; vauvat "
          "ilmaiseksi.\nOta mukaan oma alusta.\n\nTervetuloa!");
    CHECK(club.locationText.in("fi") == "Majakka, ryhmätila 2");
    CHECK(formatUtc(*club.provenance.upstreamModified) == "2026-08-20T10:10:10Z");
}

TEST_CASE("Google: an override listed before its series moves one session; a cancelled override and an EXDATE")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& club = titled(feed, "Vauvakerho");
    CHECK(club.schedule.overrides.size() == 2);
    const auto sessions = occurrences(club, "2026-04-01", "2026-05-13");
    std::vector<std::string> shown;
    for (const auto& session : sessions) shown.push_back(local(session.start));
    // 7 April: EXDATE. 14 April: moved to Wednesday 15 April 10:00. 5 May: cancelled, still listed.
    CHECK(shown == Starts{"2026-04-15T10:00:00+03:00", "2026-04-21T09:30:00+03:00", "2026-04-28T09:30:00+03:00",
                          "2026-05-05T09:30:00+03:00", "2026-05-12T09:30:00+03:00"});
    REQUIRE(sessions.size() == 5);
    REQUIRE(sessions[0].titleOverride != nullptr);
    CHECK(sessions[0].titleOverride->in("fi") == "Vauvakerho (poikkeuksellisesti keskiviikkona)");
    CHECK(local(sessions[0].end) == "2026-04-15T11:30:00+03:00");
    CHECK(sessions[3].status == EventStatus::Cancelled);
    CHECK(sessions[3].titleOverride == nullptr);
    CHECK(sessions[4].status == EventStatus::Scheduled);
}

TEST_CASE("Google: a weekly 09:30 group stays at 09:30 in the October DST week")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& club = titled(feed, "Vauvakerho");
    CHECK(starts(club, "2026-10-19", "2026-11-01") == Starts{"2026-10-20T09:30:00+03:00", "2026-10-27T09:30:00+02:00"});
    // The last session is 15 December (UNTIL 20261215T215959Z is 23:59:59 local).
    CHECK(starts(club, "2026-12-10", "2027-01-10") == Starts{"2026-12-15T09:30:00+02:00"});
}

TEST_CASE("Google: every other Wednesday")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& twins = titled(feed, "Kaksosperheiden vertaisryhmä");
    CHECK(starts(twins, "2026-09-01", "2026-11-01") ==
          Starts{"2026-09-02T17:00:00+03:00", "2026-09-16T17:00:00+03:00", "2026-09-30T17:00:00+03:00",
                 "2026-10-14T17:00:00+03:00", "2026-10-28T17:00:00+02:00"});
}

TEST_CASE("Google: monthly on the second Thursday (BYDAY=2TH)")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& breastfeeding = titled(feed, "Imetystukiryhmä");
    CHECK(starts(breastfeeding, "2026-09-01", "2027-01-01") ==
          Starts{"2026-09-10T14:00:00+03:00", "2026-10-08T14:00:00+03:00", "2026-11-12T14:00:00+02:00",
                 "2026-12-10T14:00:00+02:00"});
}

TEST_CASE("Google: COUNT=10 with one EXDATE shows nine sessions")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& course = titled(feed, "Vauvahierontakurssi");
    const auto shown = starts(course, "2026-08-01", "2027-06-01");
    CHECK(shown.size() == 9);
    CHECK(std::find(shown.begin(), shown.end(), "2026-09-18T10:00:00+03:00") == shown.end());
    CHECK(shown.front() == "2026-09-04T10:00:00+03:00");
    CHECK(shown.back() == "2026-11-06T10:00:00+02:00");
}

TEST_CASE("Google: an all-day closure over several days ends before its exclusive DTEND")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& closed = titled(feed, "Syysloma – perhekeskus suljettu");
    CHECK(closed.schedule.allDay);
    CHECK(closed.schedule.duration == std::chrono::days{5});
    const auto shown = occurrences(closed, "2026-10-01", "2026-11-01");
    REQUIRE(shown.size() == 1);
    CHECK(shown[0].allDay);
    CHECK(local(shown[0].start) == "2026-10-19T00:00:00+03:00");
    CHECK(local(shown[0].end) == "2026-10-24T00:00:00+03:00");
    CHECK(occurrences(closed, "2026-10-23T12:00", "2026-10-23T13:00").size() == 1);
    CHECK(occurrences(closed, "2026-10-24", "2026-10-25").empty());
}

TEST_CASE("Google: UTC times become Helsinki wall-clock times, so a UTC-written series keeps its local time")
{
    const auto feed = parseFile("google_calendar.ics");
    const Event& party = titled(feed, "Perhekeskuksen joulujuhla");
    CHECK(party.schedule.timeZone == "Europe/Helsinki");
    CHECK(party.schedule.start == *parseLocalDateTime("2026-12-10T16:00"));
    CHECK(starts(party, "2026-12-01", "2026-12-31") == Starts{"2026-12-10T16:00:00+02:00"});

    const Event& rhymes = titled(feed, "Lorutuokio kirjastossa");
    CHECK(rhymes.schedule.timeZone == "Europe/Helsinki");
    CHECK(starts(rhymes, "2026-03-20", "2026-04-30") ==
          Starts{"2026-03-24T10:15:00+02:00", "2026-03-31T10:15:00+03:00", "2026-04-07T10:15:00+03:00"});
}

// ---- Nextcloud / SabreDAV --------------------------------------------------------------------

TEST_CASE("Nextcloud: EXDATEs in UTC against a TZID series, comma lists, and an RDATE")
{
    const auto feed = parseFile("nextcloud_sabredav.ics");
    const Event& cafe = titled(feed, "Perhekahvila");
    CHECK(cafe.schedule.timeZone == "Europe/Helsinki");
    CHECK(cafe.schedule.exdates.size() == 3);
    CHECK(starts(cafe, "2026-03-26", "2026-04-10") == Starts{"2026-03-26T13:00:00+02:00", "2026-04-09T13:00:00+03:00"});
    CHECK(starts(cafe, "2026-12-15", "2027-01-10") == Starts{"2026-12-17T13:00:00+02:00", "2027-01-07T13:00:00+02:00"});
    CHECK(starts(cafe, "2026-06-01", "2026-06-08") == Starts{"2026-06-04T13:00:00+03:00", "2026-06-06T11:00:00+03:00"});
    REQUIRE(cafe.provenance.upstreamModified.has_value());
    CHECK(formatUtc(*cafe.provenance.upstreamModified) == "2026-03-10T09:15:00Z");
}

TEST_CASE("Nextcloud: of two copies of a changed session the higher SEQUENCE wins; its RECURRENCE-ID is in UTC")
{
    const auto feed = parseFile("nextcloud_sabredav.ics");
    const Event& cafe = titled(feed, "Perhekahvila");
    const auto week = occurrences(cafe, "2026-03-09", "2026-03-16");
    REQUIRE(week.size() == 1);
    CHECK(local(week[0].start) == "2026-03-12T12:00:00+02:00");
    REQUIRE(week[0].titleOverride != nullptr);
    CHECK(week[0].titleOverride->in("fi") == "Perhekahvila ja vauvahieronnan esittely");
    CHECK(hasProblem(feed, "SEQUENCE 2"));
}

TEST_CASE("Nextcloud: RANGE=THISANDFUTURE changes only that session and is reported")
{
    const auto feed = parseFile("nextcloud_sabredav.ics");
    const Event& cafe = titled(feed, "Perhekahvila");
    CHECK(starts(cafe, "2026-05-20", "2026-05-30") == Starts{"2026-05-21T13:30:00+03:00", "2026-05-28T13:00:00+03:00"});
    CHECK(hasProblem(feed, "THISANDFUTURE"));
}

TEST_CASE("Nextcloud: a cancelled series shows every session as cancelled")
{
    const auto feed = parseFile("nextcloud_sabredav.ics");
    const Event& music = titled(feed, "Muskari 1–3-vuotiaille");
    CHECK(music.status == EventStatus::Cancelled);
    const auto sessions = occurrences(music, "2026-09-01", "2026-09-30");
    CHECK(sessions.size() == 4);
    CHECK(std::all_of(sessions.begin(), sessions.end(),
                      [](const Occurrence& o) { return o.status == EventStatus::Cancelled; }));
}

TEST_CASE("Nextcloud: a changed instance without its series is a one-off event; VTODO and VALARM are ignored")
{
    const auto feed = parseFile("nextcloud_sabredav.ics");
    INFO(problemsText(feed));
    CHECK(feed.content.events.size() == 3);
    const Event& evening = titled(feed, "Vanhempainilta: uni ja univaikeudet");
    CHECK(evening.id == "majakka-kalenteri:kutsu-vanhempainilta-2026@neuvola.example.fi:20260910T180000");
    CHECK(evening.schedule.rrule.empty());
    CHECK(starts(evening, "2026-09-01", "2026-10-01") == Starts{"2026-09-10T18:00:00+03:00"});
    CHECK(evening.schedule.duration == std::chrono::minutes{90});
}

// ---- Small generators, old encodings, broken feeds --------------------------------------------

TEST_CASE("a small generator's feed: LF line ends, floating times, no UID, RDATE lists")
{
    const std::string bytes = readCalendar("small_generator.ics");
    REQUIRE(bytes.find('\r') == std::string::npos);
    const auto feed = parse(bytes);
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    REQUIRE(feed.content.events.size() == 2);

    const Event& club = titled(feed, "Perhekerho seurakuntakodilla");
    CHECK(club.schedule.timeZone == "Europe/Helsinki");
    // Floating 10:00 is Helsinki time on both sides of the DST change; the floating UNTIL includes 29 April.
    CHECK(starts(club, "2026-03-20", "2026-05-10") ==
          Starts{"2026-03-25T10:00:00+02:00", "2026-04-01T10:00:00+03:00", "2026-04-08T10:00:00+03:00",
                 "2026-04-15T10:00:00+03:00", "2026-04-22T10:00:00+03:00", "2026-04-29T10:00:00+03:00"});
    CHECK(club.locationText.in("fi") == "Seurakuntakoti, Kirkkotie 3");

    const Event& market = titled(feed, "Lastenvaatekirppis");
    CHECK(market.schedule.duration == std::chrono::minutes{0});
    CHECK(starts(market, "2026-03-01", "2026-06-01") ==
          Starts{"2026-03-14T11:00:00+02:00", "2026-04-11T11:00:00+03:00", "2026-05-09T11:00:00+03:00"});

    // Without UID the id is a hash of DTSTART and SUMMARY: stable between downloads, distinct per event.
    CHECK(club.id != market.id);
    CHECK(club.id.starts_with("majakka-kalenteri:nouid-"));
    const auto again = parse(bytes);
    CHECK(titled(again, "Perhekerho seurakuntakodilla").id == club.id);
    CHECK(titled(again, "Lastenvaatekirppis").id == market.id);
}

TEST_CASE("a Windows-1252 file is decoded as such and reported")
{
    const std::string bytes = readCalendar("windows1252.ics");
    REQUIRE(bytes.find('\xE4') != std::string::npos);
    const auto feed = parse(bytes);
    CHECK(hasProblem(feed, "Windows-1252"));
    const Event& group = titled(feed, "Äitien vertaisryhmä – kevään uusi ryhmä");
    CHECK(group.description.in("fi") == "Keskustelua, tukea ja teetä. Osallistumismaksu 5 € kerralta.");
    CHECK(group.locationText.in("fi") == "Yhdistyksen tila, Päivärinteentie 2");
    CHECK(starts(group, "2026-03-01", "2026-12-31").size() == 8);
}

TEST_CASE("one bad VEVENT among good ones is skipped with a problem naming it")
{
    const auto feed = parseFile("broken_events.ics");
    INFO(problemsText(feed));
    REQUIRE(feed.content.events.size() == 2);
    CHECK(titled(feed, "Avoin päiväkerho").schedule.rrule == "FREQ=WEEKLY;BYDAY=MO");
    CHECK(starts(titled(feed, "Isä-lapsi-sähly"), "2026-03-19", "2026-03-20") == Starts{"2026-03-19T17:00:00+02:00"});
    REQUIRE(feed.problems.size() == 3);
    CHECK(hasProblem(feed, "UID ei-aikaa, \"Puuttuva aika\""));
    CHECK(hasProblem(feed, "UID rikki-saanto, \"Rikkinäinen sarja\""));
    CHECK(hasProblem(feed, "FORTNIGHTLY"));
    CHECK(hasProblem(feed, "UID rikki-aika, \"Väärin kirjoitettu aika\""));
    CHECK(feed.problems[0].location.starts_with("line 11,"));
}

TEST_CASE("bytes that are not an iCalendar are an error naming what was found")
{
    auto html = parseICalendar("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n", settings());
    REQUIRE_FALSE(html.has_value());
    CHECK(html.error().code == ErrorCode::InvalidInput);
    CHECK(html.error().message.find("<!DOCTYPE html>") != std::string::npos);

    auto empty = parseICalendar("\r\n\r\n", settings());
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().message.find("empty") != std::string::npos);

    auto bare = parseICalendar("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260310T100000\r\nEND:VEVENT\r\n", settings());
    REQUIRE_FALSE(bare.has_value());
    CHECK(bare.error().message.find("BEGIN:VEVENT") != std::string::npos);

    auto cut = parseICalendar("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026031", settings());
    REQUIRE_FALSE(cut.has_value());
    CHECK(cut.error().message.find("cut short") != std::string::npos);
}

TEST_CASE("missing END lines are repaired and reported")
{
    const auto feed = parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                            "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260310T100000\r\nSUMMARY:Ensimmäinen\r\n"
                            "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260311T100000\r\nSUMMARY:Toinen\r\nEND:VEVENT\r\n");
    CHECK(feed.content.events.size() == 2);
    CHECK(hasProblem(feed, "line 3 BEGIN:VEVENT has no END:VEVENT; closed at line 7"));
    CHECK(hasProblem(feed, "no END:VCALENDAR"));
}

TEST_CASE("malformed BEGIN/END lines are dropped before libical sees them; lone CR line ends are lines")
{
    // libical would print "Encountered END before BEGIN" for these and lose the events after them.
    const auto feed = parse("BEGIN:VCALENDAR\rVERSION:2.0\rBEGIN:VEVENT\rUID:a\rDTSTART:20260310T100000\r"
                            "SUMMARY:Ensimmäinen\rEND;X-FOO=1:VEVENT\rEND\rEND  :VEVENT\r"
                            "BEGIN:VEVENT\rUID:b\rDTSTART:20260311T100000\rSUMMARY:Toinen\rEND:VEVENT\r"
                            "END:VCALENDAR\r");
    INFO(problemsText(feed));
    CHECK(feed.content.events.size() == 2);
    CHECK(hasProblem(feed, "line 7 malformed END line ignored"));
    CHECK(hasProblem(feed, "line 8 malformed END line ignored"));
    CHECK(feed.problems.size() == 2);
}

// ---- Zones -----------------------------------------------------------------------------------

TEST_CASE("an unknown TZID uses the feed's VTIMEZONE, or else reads as Helsinki time, and is reported")
{
    const auto feed = parse(calendar("BEGIN:VTIMEZONE\r\nTZID:Majakan oma aika\r\nBEGIN:STANDARD\r\n"
                                     "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\n"
                                     "END:STANDARD\r\nEND:VTIMEZONE\r\n"
                                     "BEGIN:VEVENT\r\nUID:oma\r\nSUMMARY:Oma vyöhyke\r\n"
                                     "DTSTART;TZID=Majakan oma aika:20260310T090000\r\n"
                                     "DTEND;TZID=Majakan oma aika:20260310T100000\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:olematon\r\nSUMMARY:Ei määritelmää\r\n"
                                     "DTSTART;TZID=Olematon/Vyöhyke:20260310T090000\r\nEND:VEVENT\r\n"));
    const Event& own = titled(feed, "Oma vyöhyke");
    CHECK(own.schedule.timeZone == "Europe/Helsinki");
    CHECK(starts(own, "2026-03-10", "2026-03-11") == Starts{"2026-03-10T10:00:00+02:00"});
    CHECK(own.schedule.duration == std::chrono::minutes{60});
    CHECK(hasProblem(feed, "Majakan oma aika"));

    const Event& unknown = titled(feed, "Ei määritelmää");
    CHECK(starts(unknown, "2026-03-10", "2026-03-11") == Starts{"2026-03-10T09:00:00+02:00"});
    CHECK(hasProblem(feed, "Olematon/Vyöhyke"));
    CHECK(feed.problems.size() == 2);
}

TEST_CASE("broken TZIDs: a trailing colon, a vendor prefix, a colon inside the name")
{
    const auto feed = parse(calendar("BEGIN:VTIMEZONE\r\nTZID:GMT+02:00\r\nBEGIN:STANDARD\r\n"
                                     "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0200\r\n"
                                     "END:STANDARD\r\nEND:VTIMEZONE\r\n"
                                     "BEGIN:VEVENT\r\nUID:kaksoispiste\r\nSUMMARY:Kaksoispiste\r\n"
                                     "DTSTART;TZID=FLE Standard Time::20260310T090000\r\n"
                                     "DTEND;TZID=FLE Standard Time::20260310T100000\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:etuliite\r\nSUMMARY:Etuliite\r\n"
                                     "DTSTART;TZID=/freeassociation.sourceforge.net/Europe/Helsinki:20260311T090000\r\n"
                                     "END:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:gmt\r\nSUMMARY:Google GMT\r\n"
                                     "DTSTART;TZID=GMT+02:00:20260312T090000\r\nEND:VEVENT\r\n"));
    INFO(problemsText(feed));
    const Event& colon = titled(feed, "Kaksoispiste");
    CHECK(colon.schedule.timeZone == "Europe/Helsinki");
    CHECK(colon.schedule.duration == std::chrono::minutes{60});
    CHECK(starts(colon, "2026-03-10", "2026-03-11") == Starts{"2026-03-10T09:00:00+02:00"});
    const Event& prefix = titled(feed, "Etuliite");
    CHECK(prefix.schedule.timeZone == "Europe/Helsinki");
    const Event& gmt = titled(feed, "Google GMT");
    CHECK(starts(gmt, "2026-03-12", "2026-03-13") == Starts{"2026-03-12T09:00:00+02:00"});
    CHECK(feed.problems.size() == 1);   // only GMT+02:00, which needs the feed's VTIMEZONE
}

TEST_CASE("the UTC UNTIL of an all-day series is read in the author's zone")
{
    // Tokyo: the last day's midnight is the previous afternoon in UTC, evening in Helsinki.
    const auto tokyo = parse(calendar("BEGIN:VTIMEZONE\r\nTZID:Tokyo Standard Time\r\nBEGIN:STANDARD\r\n"
                                      "DTSTART:16010101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"
                                      "END:STANDARD\r\nEND:VTIMEZONE\r\n"
                                      "BEGIN:VEVENT\r\nUID:tokio\r\nSUMMARY:Ystävyyskaupunkiviikko\r\n"
                                      "DTSTART;VALUE=DATE:20260902\r\nDTEND;VALUE=DATE:20260903\r\n"
                                      "RRULE:FREQ=WEEKLY;UNTIL=20260915T150000Z;INTERVAL=1;BYDAY=WE;WKST=MO\r\n"
                                      "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\nEND:VEVENT\r\n"));
    const Event& week = titled(tokyo, "Ystävyyskaupunkiviikko");
    CHECK(week.schedule.rrule.find("UNTIL=20260916;") != std::string::npos);
    CHECK(starts(week, "2026-09-01", "2026-10-01") ==
          Starts{"2026-09-02T00:00:00+03:00", "2026-09-09T00:00:00+03:00", "2026-09-16T00:00:00+03:00"});

    // The Exchange example: London, 2 April – 17 September 2020, one instance renamed.
    const auto london = parse(calendar("BEGIN:VTIMEZONE\r\nTZID:GMT Standard Time\r\nBEGIN:STANDARD\r\n"
                                       "DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\n"
                                       "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
                                       "BEGIN:DAYLIGHT\r\nDTSTART:16010101T010000\r\nTZOFFSETFROM:+0000\r\n"
                                       "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
                                       "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
                                       "BEGIN:VEVENT\r\nUID:lontoo\r\nSUMMARY:Etäryhmä\r\n"
                                       "DTSTART;VALUE=DATE:20200402\r\nDTEND;VALUE=DATE:20200403\r\n"
                                       "RRULE:FREQ=WEEKLY;UNTIL=20200916T230000Z;INTERVAL=1;BYDAY=TH;WKST=MO\r\n"
                                       "END:VEVENT\r\n"
                                       "BEGIN:VEVENT\r\nUID:lontoo\r\nSUMMARY:Etäryhmä: syyskauden avaus\r\n"
                                       "RECURRENCE-ID;TZID=GMT Standard Time:20200903T000000\r\n"
                                       "DTSTART;VALUE=DATE:20200903\r\nDTEND;VALUE=DATE:20200904\r\nEND:VEVENT\r\n"));
    const Event& group = titled(london, "Etäryhmä");
    const auto september = occurrences(group, "2020-09-01", "2020-10-01");
    REQUIRE(september.size() == 3);
    CHECK(local(september[0].start) == "2020-09-03T00:00:00+03:00");
    REQUIRE(september[0].titleOverride != nullptr);
    CHECK(september[0].titleOverride->in("fi") == "Etäryhmä: syyskauden avaus");
    CHECK(local(september[2].start) == "2020-09-17T00:00:00+03:00");
}

TEST_CASE("an EXDATE in another zone and a RECURRENCE-ID in UTC address the series' wall-clock instances")
{
    const auto feed = parse(calendar("BEGIN:VEVENT\r\nUID:sarja\r\nSUMMARY:Satutuokio\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20260310T100000\r\nDURATION:PT45M\r\n"
                                     "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
                                     "EXDATE;TZID=Europe/Stockholm:20260317T090000\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:sarja\r\nSUMMARY:Satutuokio ja nukketeatteri\r\n"
                                     "RECURRENCE-ID:20260324T080000Z\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20260324T100000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"));
    const Event& stories = titled(feed, "Satutuokio");
    CHECK(stories.schedule.duration == std::chrono::minutes{45});
    const auto sessions = occurrences(stories, "2026-03-01", "2026-04-30");
    std::vector<std::string> shown;
    for (const auto& s : sessions) shown.push_back(local(s.start));
    CHECK(shown == Starts{"2026-03-10T10:00:00+02:00", "2026-03-24T10:00:00+02:00", "2026-03-31T10:00:00+03:00"});
    REQUIRE(sessions.size() == 3);
    REQUIRE(sessions[1].titleOverride != nullptr);
    CHECK(local(sessions[1].end) == "2026-03-24T11:00:00+02:00");
}

TEST_CASE("DATE EXDATEs, PERIOD RDATEs and a floating UNTIL on a zoned series")
{
    const auto feed = parse(calendar("BEGIN:VEVENT\r\nUID:paiva\r\nSUMMARY:Retkipäivä\r\n"
                                     "DTSTART;VALUE=DATE:20260603\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"
                                     "EXDATE;VALUE=DATE:20260610,20260617\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:kerho\r\nSUMMARY:Kerho\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20260303T100000\r\n"
                                     "DTEND;TZID=Europe/Helsinki:20260303T110000\r\n"
                                     "RRULE:FREQ=WEEKLY;UNTIL=20260331T100000\r\n"
                                     "EXDATE;VALUE=DATE:20260310\r\n"
                                     "RDATE;VALUE=PERIOD:20260328T080000Z/PT2H\r\nEND:VEVENT\r\n"));
    INFO(problemsText(feed));
    CHECK(feed.problems.empty());
    CHECK(starts(titled(feed, "Retkipäivä"), "2026-06-01", "2026-07-01") ==
          Starts{"2026-06-03T00:00:00+03:00", "2026-06-24T00:00:00+03:00"});
    const Event& club = titled(feed, "Kerho");
    // The floating UNTIL is Helsinki time (after the DST change), so 31 March stays in the series.
    CHECK(club.schedule.rrule.find("UNTIL=20260331T070000Z") != std::string::npos);
    CHECK(starts(club, "2026-03-01", "2026-04-30") ==
          Starts{"2026-03-03T10:00:00+02:00", "2026-03-17T10:00:00+02:00", "2026-03-24T10:00:00+02:00",
                 "2026-03-28T10:00:00+02:00", "2026-03-31T10:00:00+03:00"});
}

TEST_CASE("event lengths: DTEND, DURATION, none for a timed event, none for an all-day event")
{
    const auto feed = parse(calendar("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Kesto\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20260310T100000\r\nDURATION:PT1H30M\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Ei loppua\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20260310T100000\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:Koko päivä\r\n"
                                     "DTSTART;VALUE=DATE:20260310\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Yön yli\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20261024T230000\r\n"
                                     "DTEND;TZID=Europe/Helsinki:20261025T040000\r\nEND:VEVENT\r\n"));
    CHECK(titled(feed, "Kesto").schedule.duration == std::chrono::minutes{90});
    CHECK(titled(feed, "Ei loppua").schedule.duration == std::chrono::minutes{0});
    CHECK(titled(feed, "Koko päivä").schedule.allDay);
    CHECK(titled(feed, "Koko päivä").schedule.duration == std::chrono::days{1});
    const auto night = occurrences(titled(feed, "Yön yli"), "2026-10-24", "2026-10-26");
    REQUIRE(night.size() == 1);
    CHECK(local(night[0].end) == "2026-10-25T04:00:00+02:00");
}

TEST_CASE("several RRULEs: the first is used and the rest reported")
{
    const auto feed = parse(calendar("BEGIN:VEVENT\r\nUID:kaksi\r\nSUMMARY:Kaksi sääntöä\r\n"
                                     "DTSTART;TZID=Europe/Helsinki:20260302T100000\r\n"
                                     "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2\r\nRRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2\r\n"
                                     "END:VEVENT\r\n"));
    const Event& event = titled(feed, "Kaksi sääntöä");
    CHECK(starts(event, "2026-03-01", "2026-04-01") == Starts{"2026-03-02T10:00:00+02:00", "2026-03-09T10:00:00+02:00"});
    CHECK(hasProblem(feed, "several RRULEs"));
}

TEST_CASE("texts are sanitised: control and bidi characters, length caps, only web links")
{
    std::string longTitle;
    for (int i = 0; i < 250; ++i) longTitle += "ä";
    const auto feed = parse(calendar("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:  \xE2\x80\xAE" "Perhe\x07kahvila\xE2\x80\xAC  ja\\n leikki  \r\n"
                                     "DESCRIPTION:Rivi 1\\n\\n\\n\\nRivi 2\x01\\nRivi\xE2\x81\xA6 3\r\n"
                                     "URL:javascript:alert(1)\r\n"
                                     "DTSTART:20260310T100000\r\nEND:VEVENT\r\n"
                                     "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:" + longTitle + "\r\n"
                                     "URL:HTTPS://majakka.example.fi/ohjelma\r\n"
                                     "DTSTART:20260310T100000\r\nEND:VEVENT\r\n"));
    REQUIRE(feed.content.events.size() == 2);
    const Event& cafe = feed.content.events[0];
    CHECK(cafe.title.in("fi") == "Perhekahvila ja leikki");
    CHECK(cafe.description.in("fi") == "Rivi 1\n\nRivi 2\nRivi 3");
    CHECK(cafe.url.empty());
    const Event& capped = feed.content.events[1];
    const std::string title(capped.title.in("fi"));
    CHECK(title.ends_with("…"));
    CHECK(title.size() == 199 * 2 + 3);   // 199 two-byte ä and a three-byte ellipsis: 200 code points
    CHECK(capped.url == "HTTPS://majakka.example.fi/ohjelma");
}

TEST_CASE("the Windows zone table names zones the system tz database knows")
{
    for (const auto& zone : windowsZoneTable()) {
        INFO(zone.windows);
        CHECK(TimeZone::named(zone.iana).has_value());
    }
    CHECK(ianaForWindowsZone("FLE Standard Time") == "Europe/Helsinki");
    CHECK(ianaForWindowsZone("fle standard time") == "Europe/Helsinki");
    CHECK(ianaForWindowsZone("W. Europe Standard Time") == "Europe/Berlin");
    CHECK(ianaForWindowsZone("GMT Standard Time") == "Europe/London");
    CHECK(ianaForWindowsZone("Romance Standard Time") == "Europe/Paris");
    CHECK(ianaForWindowsZone("Central European Standard Time") == "Europe/Warsaw");
    CHECK(ianaForWindowsZone("E. Europe Standard Time") == "Europe/Chisinau");
    CHECK(ianaForWindowsZone("Russian Standard Time") == "Europe/Moscow");
    CHECK(ianaForWindowsZone("Pacific Standard Time") == "America/Los_Angeles");
    CHECK(ianaForWindowsZone("Eastern Standard Time") == "America/New_York");
    CHECK(ianaForWindowsZone("UTC") == "Etc/UTC");
    CHECK_FALSE(ianaForWindowsZone("Mars Standard Time").has_value());
}
