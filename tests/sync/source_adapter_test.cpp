#include "sync/source_adapter.hpp"

#include "content/bundle.hpp"
#include "content/content_store.hpp"
#include "sync_test_support.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

SourceConfig icalSource(std::map<std::string, std::string, std::less<>> settings = {})
{
    return SourceConfig{.id = "kalenteri", .kind = "ical", .url = "https://user:secret@cal.example.fi/feed.ics",
                        .settings = std::move(settings)};
}

std::string calendar(std::string_view events)
{
    return fmt::format("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{}END:VCALENDAR\r\n", events);
}

std::string vevent(std::string_view uid, std::string_view extra = {})
{
    return fmt::format("BEGIN:VEVENT\r\nUID:{}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Helsinki:20260310T093000\r\n"
                       "DTEND;TZID=Europe/Helsinki:20260310T110000\r\nSUMMARY:Vauvaryhmä\r\n{}END:VEVENT\r\n",
                       uid, extra);
}

// What the engine guarantees: the records survive a write to and a read from the real cache.
void requireStorable(const SourceContent& content, std::string_view sourceId)
{
    auto store = ContentStore::openInMemory();
    REQUIRE(store);
    REQUIRE(store->replaceSource(SourceState{.id = std::string(sourceId), .kind = "ical"}, content));
    auto loaded = store->loadContent(sourceId);
    REQUIRE_MESSAGE(loaded, (loaded ? "" : loaded.error().message));
    CHECK(loaded->itemCount() == content.itemCount());
}

} // namespace

TEST_SUITE("source adapters") {

TEST_CASE("the bundle adapter reads our bundle format")
{
    auto adapter = makeAdapter("bundle");
    REQUIRE(adapter);
    CHECK((*adapter)->accept() == "application/json");
    const SourceConfig source{.id = "perhekeskus", .kind = "bundle", .url = "https://x.example.fi/region.json"};
    auto feed = (*adapter)->parse(numberedBundle("A", 3), source);
    REQUIRE(feed);
    CHECK(feed->content.events.size() == 3);
    CHECK(feed->content.events[0].provenance.sourceId == "perhekeskus");
    CHECK(feed->problems.empty());
}

TEST_CASE("a broken bundle is one error naming the file and every JSON path")
{
    auto adapter = makeAdapter("bundle");
    REQUIRE(adapter);
    const SourceConfig source{.id = "b", .kind = "bundle", .url = "https://user:pw@x.example.fi/region.json"};
    auto feed = (*adapter)->parse(R"({"format": "kohtaamo-bundle", "version": 1, "events": [
        {"id": "a", "category": "party", "title": {"fi": "A"}, "schedule": {"start": "2026-03-10T09:30"}},
        {"id": "b", "category": "club", "title": {"fi": "B"}, "schedule": {"start": "2026-03-10"}}]})",
                                  source);
    REQUIRE_FALSE(feed);
    CHECK(feed.error().code == ErrorCode::InvalidInput);
    const auto& message = feed.error().message;
    CHECK(contains(message, "https://x.example.fi/region.json: $.events[0].category"));
    CHECK(contains(message, "$.events[1].schedule.start"));
    CHECK_FALSE(contains(message, "pw@"));
}

TEST_CASE("catalogue kinds have no single-file adapter, and unknown kinds fail clearly")
{
    for (const char* kind : {"ptv", "linkedevents"}) {
        auto adapter = makeAdapter(kind);
        REQUIRE_FALSE(adapter);
        CHECK(contains(adapter.error().message, "catalogue source"));
        CHECK(contains(adapter.error().message, kind));
    }
    auto unknown = makeAdapter("rss");
    REQUIRE_FALSE(unknown);
    CHECK(contains(unknown.error().message, "unknown source kind \"rss\""));
}

TEST_CASE("ical settings come from the source's table")
{
    auto settings = icalSettings(icalSource({{"place", "majakka"}, {"category", "dropin"}, {"min_age", "0"},
                                             {"max_age", "3"}, {"parents", "true"}, {"languages", "fi, sv"},
                                             {"registration", "required"}, {"free", "false"}, {"language", "sv"}}));
    REQUIRE_MESSAGE(settings, (settings ? "" : settings.error().message));
    CHECK(settings->sourceId == "kalenteri");
    CHECK(settings->placeId == "majakka");
    CHECK(settings->category == EventCategory::DropIn);
    CHECK(settings->audience == Audience{.minAge = 0, .maxAge = 3, .parents = true});
    CHECK(settings->languages == std::vector<std::string>{"fi", "sv"});
    CHECK(settings->registration == Registration::Required);
    CHECK(settings->isFree == false);
    CHECK(settings->feedLanguage == "sv");

    SUBCASE("a TOML list of languages, as the config reader passes it on")
    {
        auto list = icalSettings(icalSource({{"languages", R"([ "fi", "uk" ])"}}));
        REQUIRE(list);
        CHECK(list->languages == std::vector<std::string>{"fi", "uk"});
    }
    SUBCASE("defaults")
    {
        auto defaults = icalSettings(icalSource());
        REQUIRE(defaults);
        CHECK(defaults->category == EventCategory::PeerGroup);
        CHECK(defaults->feedLanguage == "fi");
        CHECK_FALSE(defaults->isFree.has_value());
    }
}

TEST_CASE("a bad ical setting names the source, the key and what is expected")
{
    const std::pair<std::string, std::string> cases[] = {
        {"category", "party"}, {"min_age", "baby"}, {"max_age", "200"}, {"parents", "yes"},
        {"languages", "Finnish"}, {"registration", "maybe"}, {"free", "1"}, {"language", "suomi"}};
    for (const auto& [key, value] : cases) {
        CAPTURE(key);
        auto settings = icalSettings(icalSource({{key, value}}));
        REQUIRE_FALSE(settings);
        CHECK(contains(settings.error().message, fmt::format("source \"kalenteri\": {} = \"{}\": expected", key, value)));
    }
    auto reversed = icalSettings(icalSource({{"min_age", "5"}, {"max_age", "2"}}));
    REQUIRE_FALSE(reversed);
    CHECK(contains(reversed.error().message, "max_age"));
}

TEST_CASE("the ical adapter maps a calendar with the source's settings")
{
    auto adapter = makeAdapter("ical");
    REQUIRE(adapter);
    auto feed = (*adapter)->parse(calendar(vevent("abc@google.com")),
                                  icalSource({{"place", "majakka"}, {"category", "club"}}));
    REQUIRE_MESSAGE(feed, (feed ? "" : feed.error().message));
    REQUIRE(feed->content.events.size() == 1);
    const Event& event = feed->content.events[0];
    CHECK(event.placeId == "majakka");
    CHECK(event.category == EventCategory::Club);
    CHECK(event.provenance.upstreamId == "abc@google.com");
    CHECK(event.title.exactly("fi") == "Vauvaryhmä");
    requireStorable(feed->content, "kalenteri");
}

TEST_CASE("an ical feed that is not a calendar names the source's URL without credentials")
{
    auto adapter = makeAdapter("ical");
    REQUIRE(adapter);
    auto feed = (*adapter)->parse("<html>login</html>", icalSource());
    REQUIRE_FALSE(feed);
    CHECK(feed.error().message.starts_with("https://cal.example.fi/feed.ics: "));
}

TEST_CASE("a long UID (Outlook's) becomes an id of at most 128 characters, the same every time")
{
    const std::string uid = "040000008200E00074C5B7101A82E00800000000" + std::string(150, 'A') + "@outlook.com";
    auto adapter = makeAdapter("ical");
    REQUIRE(adapter);
    auto first = (*adapter)->parse(calendar(vevent(uid)), icalSource());
    auto second = (*adapter)->parse(calendar(vevent(uid)), icalSource());
    REQUIRE(first);
    REQUIRE(second);
    REQUIRE(first->content.events.size() == 1);
    const auto& id = first->content.events[0].id;
    CHECK(id.size() <= 128);
    CHECK(id == second->content.events[0].id);
    CHECK(id.starts_with("kalenteri:040000008200E"));
    CHECK(first->content.events[0].provenance.upstreamId == uid);
    REQUIRE(first->problems.size() == 1);
    CHECK(contains(first->problems[0].message, "id shortened"));
    requireStorable(first->content, "kalenteri");
}

TEST_CASE("shortenedId keeps short ids and cuts long ones on a character boundary")
{
    CHECK(shortenedId("ev-1") == "ev-1");
    const std::string exactly128(128, 'x');
    CHECK(shortenedId(exactly128) == exactly128);
    std::string finnish;
    for (int i = 0; i < 130; ++i) finnish += "ä";
    const auto cut = shortenedId(finnish);
    CHECK(cut.starts_with(finnish.substr(0, 200)));   // 100 characters of two bytes each
    CHECK(cut.size() == 200 + 1 + 16);
    CHECK(shortenedId(finnish + "x") != cut);
}

TEST_CASE("conformToStore keeps what the cache can store and reports the rest")
{
    ParsedFeed feed;
    Event good;
    good.id = "good";
    good.title = LocalizedText{{"fi", "Perhekahvila\u202E"}};   // a bidi override is stripped
    good.placeId = "place-in-another-source";
    good.schedule.start = LocalDateTime{date::local_days{date::year{2026} / 3 / 10}};
    good.url = "ftp://example.fi/x";
    good.provenance.upstreamId = "good@upstream";
    Event badAge = good;
    badAge.id = "bad-age";
    badAge.url.clear();
    badAge.audience.minAge = 500;
    Event duplicate = good;
    duplicate.url = "https://example.fi/x";
    Place place;
    place.id = "paikka";
    place.name = LocalizedText{{"fi", "Paikka"}};
    place.contact.url = "tel:+358401234567";
    Service service;
    service.id = "palvelu";
    service.name = LocalizedText{{"fi", "Palvelu"}};
    service.contact.url = "mailto:neuvola@example.fi?subject=Hei";
    feed.content.events = {good, badAge, duplicate};
    feed.content.places = {place};
    feed.content.services = {service};

    conformToStore(feed);
    REQUIRE(feed.content.events.size() == 1);
    const Event& kept = feed.content.events[0];
    CHECK(kept.id == "good");
    CHECK(kept.title.exactly("fi") == "Perhekahvila");
    CHECK(kept.url.empty());
    CHECK(kept.placeId == "place-in-another-source");
    CHECK(kept.provenance.upstreamId == "good@upstream");
    CHECK(feed.content.places[0].contact.phone == "+358401234567");
    CHECK(feed.content.places[0].contact.url.empty());
    CHECK(feed.content.services[0].contact.email == "neuvola@example.fi");

    std::string problems;
    for (const auto& problem : feed.problems) problems += problem.location + ": " + problem.message + "\n";
    CHECK(contains(problems, "event \"good\" (upstream id \"good@upstream\"): URL \"ftp://example.fi/x\" dropped"));
    CHECK(contains(problems, "event \"bad-age\""));
    CHECK(contains(problems, "min_age"));
    CHECK(contains(problems, "duplicate id"));
    requireStorable(feed.content, "src");
}

TEST_CASE("conformToStore on a large feed: refused records named by their place in the whole list")
{
    ParsedFeed feed;
    for (int i = 0; i < 1200; ++i) {
        Event event;
        event.id = "event-" + std::to_string(i);
        event.title = LocalizedText{{"fi", "Vauvaryhmä"}};
        event.placeId = "place-" + std::to_string(i % 7);
        event.schedule.start = LocalDateTime{date::local_days{date::year{2026} / 3 / 10}};
        feed.content.events.push_back(std::move(event));
    }
    feed.content.events[1100].audience.minAge = 500;
    feed.content.events[1150].id = "event-3";

    conformToStore(feed);
    CHECK(feed.content.events.size() == 1198);
    CHECK(feed.content.places.empty());   // references to other sources' places add no places
    std::string problems;
    for (const auto& problem : feed.problems) problems += problem.location + ": " + problem.message + "\n";
    CHECK(contains(problems, "event \"event-1100\": left out: $.events[1100].audience"));
    CHECK(contains(problems, "left out: $.events[1150].id: duplicate id \"event-3\" (also at $.events[3])"));
    requireStorable(feed.content, "src");
}

TEST_CASE("conformToStore leaves out the places of a parent loop and keeps the rest of the chain")
{
    ParsedFeed feed;
    const auto place = [](std::string id, std::string parent) {
        return Place{.id = std::move(id), .name = LocalizedText{{"fi", "Paikka"}}, .parentId = std::move(parent)};
    };
    feed.content.places = {place("talo", ""), place("kerros", "talo"), place("a", "b"), place("b", "a"),
                           place("huone", "kerros"), place("muualla", "toisen-lähteen-talo")};

    conformToStore(feed);

    std::vector<std::string> kept;
    for (const auto& p : feed.content.places) kept.push_back(p.id);
    CHECK(kept == std::vector<std::string>{"talo", "kerros", "huone", "muualla"});
    std::string problems;
    for (const auto& problem : feed.problems) problems += problem.location + ": " + problem.message + "\n";
    CHECK(contains(problems, "place \"a\": left out: $.places[2].parent: the parent chain loops back to \"a\" (a → b → a)"));
    CHECK(contains(problems, "place \"b\": left out: $.places[3].parent"));
    requireStorable(feed.content, "src");
}

} // TEST_SUITE
