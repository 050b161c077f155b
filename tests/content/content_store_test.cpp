#include "content/content_store.hpp"

#include "content/bundle.hpp"
#include "schema.hpp"
#include "test_support.hpp"

#include <sqlite3.h>

#include <fstream>
#include <set>

using namespace kohtaamo;
using namespace kohtaamo::test;

namespace {

Place place(std::string id, std::string fi, std::string sv = {})
{
    Place result;
    result.id = std::move(id);
    result.kind = PlaceKind::MeetingPlace;
    result.name.set("fi", std::move(fi));
    result.name.set("sv", std::move(sv));
    result.hours.weekly.push_back(WeeklyHours{.weekdays = days({2}), .open = hm(9), .close = hm(12),
                                              .kind = HoursKind::DropIn});
    return result;
}

SourceContent sampleContent(std::string_view sourceId)
{
    SourceContent content;
    content.places.push_back(place("majakka", "Kohtaamispaikka Majakka", "Mötesplatsen Fyren"));
    content.places.push_back(place("kirjasto", "Kirjaston perhenurkka", "Bibliotekets familjehörna"));
    Event cafe = weeklyEvent("kahvila", "2026-03-03T09:30", 120, "FREQ=WEEKLY;BYDAY=TU");
    cafe.title = LocalizedText{{"fi", "Perhekahvila"}, {"sv", "Familjecafé"}, {"en", "Family café"}};
    cafe.description = LocalizedText{{"fi", "Avoin kaikille lapsiperheille, myös isovanhemmille."}};
    cafe.placeId = "majakka";
    content.events.push_back(cafe);
    Event club = weeklyEvent("kerho", "2026-03-04T10:00", 90, "FREQ=WEEKLY;BYDAY=WE");
    club.title = LocalizedText{{"fi", "Päiväkerho"}, {"sv", "Dagklubb"}};
    club.description = LocalizedText{{"fi", "Leikkiä ja laulua perheen pienimmille."}};
    content.events.push_back(club);
    Event evening = weeklyEvent("isat", "2026-03-05T17:30", 120, "FREQ=WEEKLY;BYDAY=TH");
    evening.title = LocalizedText{{"fi", "Isä–lapsi-ilta"}, {"en", "Dads and kids evening"}};
    evening.description = LocalizedText{{"fi", "Illan aikana leikitään ja syödään iltapalaa perhekahvilan tapaan."}};
    content.events.push_back(evening);
    Service neuvola;
    neuvola.id = "neuvola";
    neuvola.category = ServiceCategory::Neuvola;
    neuvola.name = LocalizedText{{"fi", "Lastenneuvola"}, {"sv", "Barnrådgivning"}};
    neuvola.placeIds = {"majakka"};
    content.services.push_back(neuvola);
    Announcement notice;
    notice.id = "joulu";
    notice.title = LocalizedText{{"fi", "Jouluaukiolo"}};
    notice.validFrom = at("2026-12-01");
    notice.validUntil = at("2027-01-07");
    content.announcements.push_back(notice);
    for (auto& record : content.places) record.provenance = {std::string(sourceId), record.id, {}};
    for (auto& record : content.events) record.provenance = {std::string(sourceId), record.id, {}};
    for (auto& record : content.services) record.provenance = {std::string(sourceId), record.id, {}};
    for (auto& record : content.announcements) record.provenance = {std::string(sourceId), record.id, {}};
    return content;
}

// The store returns records ordered by id; compare content regardless of the order it was given in.
SourceContent byId(SourceContent content)
{
    auto sort = [](auto& records) {
        std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    };
    sort(content.places);
    sort(content.services);
    sort(content.events);
    sort(content.announcements);
    return content;
}

SourceState source(std::string id) { return SourceState{.id = std::move(id), .kind = "bundle", .url = "file:///x"}; }

int pragmaInt(const std::filesystem::path& file, const char* sql)
{
    sqlite3* db = nullptr;
    sqlite3_open(file.string().c_str(), &db);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
    const int value = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

void runSql(const std::filesystem::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

std::vector<std::string> hitIds(const ContentStore& store, std::string_view query)
{
    auto hits = store.search(query);
    REQUIRE_MESSAGE(hits.has_value(), (hits ? "" : hits.error().message));
    std::vector<std::string> ids;
    for (const auto& hit : *hits) ids.push_back(hit.id);
    return ids;
}

} // namespace

TEST_CASE("a new cache file gets the current schema, WAL and foreign keys")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    {
        auto store = ContentStore::open(file);
        REQUIRE(store);
        CHECK(store->schemaVersion() == schema::currentVersion());
        CHECK(store->isEmpty().value());
    }
    CHECK(pragmaInt(file, "PRAGMA user_version") == schema::currentVersion());
    CHECK(pragmaInt(file, "SELECT count(*) FROM sqlite_master WHERE name = 'search'") == 1);
    std::ifstream header(file, std::ios::binary);
    char bytes[20] = {};
    header.read(bytes, sizeof bytes);
    CHECK(bytes[18] == 2);   // file format write version 2 = WAL
}

TEST_CASE("a cache from the previous schema is upgraded in place and keeps its content")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    runSql(file, std::string(schema::migrations()[0]) +
                     "PRAGMA user_version = 1;"
                     "INSERT INTO sources (id, kind, url, applied_at, item_count) VALUES ('demo', 'bundle', '', 1, 1);"
                     "INSERT INTO places (source_id, id, upstream_id, kind, doc) VALUES ('demo', 'majakka', "
                     "'majakka', 'meeting_place', '{\"id\":\"majakka\",\"kind\":\"meeting_place\",\"name\":{\"fi\":"
                     "\"Majakka\"}}');");
    auto store = ContentStore::open(file);
    REQUIRE_MESSAGE(store, (store ? "" : store.error().message));
    CHECK(store->schemaVersion() == 2);
    auto sources = store->sources();
    REQUIRE(sources->size() == 1);
    CHECK(sources->front().etag.empty());
    auto content = store->loadContent();
    REQUIRE_MESSAGE(content, (content ? "" : content.error().message));
    REQUIRE(content->places.size() == 1);
    CHECK(content->places[0].name.in("fi") == "Majakka");
    CHECK(content->places[0].provenance.sourceId == "demo");
}

TEST_CASE("a cache written by a newer Kohtaamo is refused and left untouched")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    runSql(file, "CREATE TABLE future (x); PRAGMA user_version = 99;");
    auto store = ContentStore::open(file);
    REQUIRE_FALSE(store);
    CHECK(store.error().code == ErrorCode::SchemaTooNew);
    CHECK(store.error().message.find("99") != std::string::npos);
    CHECK(pragmaInt(file, "PRAGMA user_version") == 99);
}

TEST_CASE("a garbage cache file is a clear database error, not a crash")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    std::ofstream(file) << std::string(4096, 'x');
    auto store = ContentStore::open(file);
    REQUIRE_FALSE(store);
    CHECK(store.error().code == ErrorCode::Database);
    CHECK(store.error().message.find(file.string()) != std::string::npos);
}

TEST_CASE("replacing one source's content leaves the other sources untouched")
{
    TempDir dir;
    auto store = ContentStore::open(dir.path() / "cache.sqlite");
    REQUIRE(store);
    const auto a = sampleContent("a");
    const auto b = sampleContent("b");
    REQUIRE(store->replaceSource(source("a"), a));
    REQUIRE(store->replaceSource(source("b"), b));
    CHECK(store->loadContent("a").value() == byId(a));

    SourceContent smaller;
    smaller.places.push_back(place("uusi", "Uusi paikka"));
    smaller.places[0].provenance = {"a", "uusi", at("2026-03-01T12:00Z")};
    REQUIRE(store->replaceSource(source("a"), smaller));
    CHECK(store->loadContent("a").value() == byId(smaller));
    CHECK(store->loadContent("b").value() == byId(b));
    auto sources = store->sources().value();
    REQUIRE(sources.size() == 2);
    CHECK(sources[0].itemCount == 1);
    CHECK(sources[1].itemCount == b.itemCount());
    // Search rows were replaced too: the old source-a titles no longer match from a.
    auto hits = store->search("Majakka").value();
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].sourceId == "b");
}

TEST_CASE("a failed apply rolls back: the source keeps exactly its previous content")
{
    TempDir dir;
    auto store = ContentStore::open(dir.path() / "cache.sqlite");
    REQUIRE(store);
    const auto before = sampleContent("a");
    REQUIRE(store->replaceSource(source("a"), before));
    REQUIRE(store->replaceSource(source("b"), sampleContent("b")));

    SourceContent broken = sampleContent("a");
    broken.places.push_back(broken.places.front());   // duplicate primary key half-way through
    broken.events.clear();
    auto applied = store->replaceSource(source("a"), broken);
    REQUIRE_FALSE(applied);
    CHECK(applied.error().message.find("\"a\"") != std::string::npos);
    CHECK(store->loadContent("a").value() == byId(before));
    CHECK(store->loadContent("b").value() == byId(sampleContent("b")));
    CHECK(store->search("Päiväkerho").value().size() == 2);
    CHECK(store->sources().value()[0].itemCount == before.itemCount());
}

TEST_CASE("removing a source removes its records and search rows")
{
    auto store = ContentStore::openInMemory();
    REQUIRE(store);
    REQUIRE(store->replaceSource(source("a"), sampleContent("a")));
    REQUIRE(store->replaceSource(source("b"), sampleContent("b")));
    REQUIRE(store->removeSource("a"));
    CHECK(store->loadContent("a").value().itemCount() == 0);
    CHECK(store->sources().value().size() == 1);
    const auto hits = store->search("perhe").value();
    CHECK_FALSE(hits.empty());
    for (const auto& hit : hits) CHECK(hit.sourceId == "b");
}

TEST_CASE("search: prefixes, any case, å/ä/ö distinct from a/o, title hits first")
{
    auto store = ContentStore::openInMemory();
    REQUIRE(store);
    REQUIRE(store->replaceSource(source("a"), sampleContent("a")));

    // "perhe" starts the titles Perhekahvila and Kirjaston perhenurkka, and is only in the text of
    // the club and the dads' evening: title hits come first.
    const auto perhe = hitIds(*store, "perhe");
    REQUIRE(perhe.size() == 4);
    CHECK(std::set<std::string>(perhe.begin(), perhe.begin() + 2) == std::set<std::string>{"kahvila", "kirjasto"});
    CHECK(std::set<std::string>(perhe.begin() + 2, perhe.end()) == std::set<std::string>{"kerho", "isat"});
    CHECK(hitIds(*store, "PÄIVÄ") == std::vector<std::string>{"kerho"});
    CHECK(hitIds(*store, "päiväkerho") == std::vector<std::string>{"kerho"});
    CHECK(hitIds(*store, "paiva").empty());
    CHECK(hitIds(*store, "MÖTESPLATS") == std::vector<std::string>{"majakka"});
    CHECK(hitIds(*store, "familjeh") == std::vector<std::string>{"kirjasto"});
    CHECK(hitIds(*store, "family caf") == std::vector<std::string>{"kahvila"});
    CHECK(hitIds(*store, "barnråd") == std::vector<std::string>{"neuvola"});
    // Nothing typed can break the query syntax.
    for (const char* hostile : {"\"", "perhe\"*", "NEAR(a b)", "a OR", "*", "kahvila AND NOT", "{title}:x", "'"}) {
        CHECK(store->search(hostile).has_value());
    }
    CHECK(hitIds(*store, "   ").empty());
}

TEST_CASE("sync status survives a reopen")
{
    TempDir dir;
    const auto file = dir.path() / "cache.sqlite";
    SourceState status = source("kalenteri");
    status.kind = "ical";
    status.etag = "\"abc\"";
    status.lastModified = "Wed, 25 Nov 2026 08:00:00 GMT";
    status.lastAttempt = at("2026-11-25T10:05");
    status.lastSuccess = at("2026-11-25T10:00");
    status.httpStatus = 503;
    status.bytes = 1234;
    status.durationMs = 87;
    status.error = "HTTP 503 from https://example.org/cal.ics";
    {
        auto store = ContentStore::open(file);
        REQUIRE(store);
        REQUIRE(store->recordSyncStatus(status));
    }
    auto store = ContentStore::open(file);
    auto sources = store->sources().value();
    REQUIRE(sources.size() == 1);
    CHECK(sources[0] == status);
}

TEST_CASE("a snapshot from the store sees one committed state and expands occurrences")
{
    TempDir dir;
    auto store = ContentStore::open(dir.path() / "cache.sqlite");
    REQUIRE(store);
    REQUIRE(store->replaceSource(source("a"), sampleContent("a")));
    auto snapshot = store->buildSnapshot(SnapshotWindow::around(at("2026-03-10T10:00")));
    REQUIRE(snapshot);
    CHECK((*snapshot)->places().size() == 2);
    CHECK((*snapshot)->event("kahvila") != nullptr);
    CHECK_FALSE((*snapshot)->occurrences().empty());
    CHECK((*snapshot)->problems().empty());
    CHECK((*snapshot)->sources().size() == 1);
}

TEST_CASE("a kiosk's snapshot leaves long texts and other languages in the cache, loaded per record")
{
    TempDir dir;
    auto store = ContentStore::open(dir.path() / "cache.sqlite");
    REQUIRE(store);
    SourceContent content = sampleContent("a");
    content.places[0].description = LocalizedText{{"fi", "Avoin kohtaamispaikka."}, {"se", "Rabas deaivvadanbáiki."}};
    content.places[0].accessibility = LocalizedText{{"fi", "Esteetön sisäänkäynti."}};
    content.places[0].name.set("se", "Deaivvadanbáiki Majakka");
    content.services[0].description = LocalizedText{{"fi", "Terveydenhoitajan vastaanotto."}};
    REQUIRE(store->replaceSource(source("a"), content));

    const TextSelection kiosk{.languages = {"fi", "uk"}, .longTexts = LongTexts::InCache};
    auto snapshot = store->buildSnapshot(SnapshotWindow::around(at("2026-03-10T10:00")), kiosk);
    REQUIRE(snapshot);
    const Place* majakka = (*snapshot)->place("majakka");
    REQUIRE(majakka);
    CHECK(majakka->description.empty());
    CHECK(majakka->accessibility.empty());
    CHECK(majakka->name.exactly("se").empty());
    CHECK(majakka->name.exactly("sv") == "Mötesplatsen Fyren");   // fi, sv and en always stay
    CHECK((*snapshot)->event("kahvila")->description.empty());
    CHECK((*snapshot)->event("kahvila")->title.exactly("en") == "Family café");

    // Nothing was dropped from the cache: a detail page gets every language of its long texts.
    auto place = store->detailTexts(RecordKey{RecordKind::Place, "a", "majakka"});
    REQUIRE(place);
    CHECK(place->description == content.places[0].description);
    CHECK(place->accessibility == content.places[0].accessibility);
    auto service = store->detailTexts(RecordKey{RecordKind::Service, "a", "neuvola"});
    REQUIRE(service);
    CHECK(service->description.in("fi") == "Terveydenhoitajan vastaanotto.");
    auto event = store->detailTexts(RecordKey{RecordKind::Event, "a", "kahvila"});
    REQUIRE(event);
    CHECK(event->description.in("fi") == "Avoin kaikille lapsiperheille, myös isovanhemmille.");
    auto missing = store->detailTexts(RecordKey{RecordKind::Event, "b", "kahvila"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);

    // The text modes still read everything.
    auto full = store->buildSnapshot(SnapshotWindow::around(at("2026-03-10T10:00")));
    REQUIRE(full);
    CHECK((*full)->place("majakka")->description == content.places[0].description);
}

TEST_CASE("a malformed bundle is refused with its file and JSON paths, and the cache is unchanged")
{
    auto store = ContentStore::openInMemory();
    REQUIRE(store);
    const auto before = sampleContent("kuraattori");
    REQUIRE(store->replaceSource(source("kuraattori"), before));
    const std::string broken = R"({"format": "kohtaamo-bundle", "version": 1,
        "places": [{"id": "x", "kind": "castle", "name": {"fi": "Linna"}}],
        "events": [{"id": "e", "category": "peer_group", "title": {"fi": "Ryhmä"},
                    "schedule": {"start": "2026-03-10T25:00"}}]})";
    auto content = readBundle(broken, "kuraattori");
    REQUIRE_FALSE(content);
    const Error error = bundleError("kuraattori.json", content.error());
    CHECK(error.code == ErrorCode::InvalidInput);
    CHECK(error.message.find("kuraattori.json: $.places[0].kind") != std::string::npos);
    CHECK(error.message.find("kuraattori.json: $.events[0].schedule.start") != std::string::npos);
    // Nothing was applied: the source shows exactly what it had.
    CHECK(store->loadContent("kuraattori").value() == byId(before));
}
