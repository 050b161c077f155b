#include "content/content_store.hpp"

#include "bundle_codec.hpp"
#include "schema.hpp"
#include "sqlite.hpp"

#include <fmt/format.h>

#include <future>
#include <map>
#include <set>

namespace kohtaamo {
namespace {

using sqlite::Statement;

std::optional<std::int64_t> toSeconds(const std::optional<Instant>& instant)
{
    if (!instant) return std::nullopt;
    return instant->time_since_epoch().count();
}

std::optional<Instant> fromSeconds(std::optional<std::int64_t> seconds)
{
    if (!seconds) return std::nullopt;
    return Instant{std::chrono::seconds{*seconds}};
}

int readUserVersion(sqlite3* db)
{
    auto statement = Statement::prepare(db, "PRAGMA user_version");
    if (!statement || !statement->step()) return -1;
    return static_cast<int>(statement->integer(0));
}

Result<void> migrate(sqlite3* db, const std::string& where)
{
    const int version = readUserVersion(db);
    if (version < 0) return std::unexpected(sqlite::databaseError(db, fmt::format("reading the schema version of {}", where)));
    if (version > schema::currentVersion()) {
        return fail(ErrorCode::SchemaTooNew,
                    fmt::format("{} has schema version {}, newer than this Kohtaamo understands ({}); "
                                "upgrade Kohtaamo or point it at another data directory",
                                where, version, schema::currentVersion()));
    }
    const auto steps = schema::migrations();
    for (int next = version; next < schema::currentVersion(); ++next) {
        auto transaction = sqlite::Transaction::begin(db);
        if (!transaction) return std::unexpected(transaction.error());
        if (auto applied = sqlite::execute(db, steps[static_cast<std::size_t>(next)]); !applied) {
            return fail(ErrorCode::Database, fmt::format("migrating {} to schema version {}: {}", where, next + 1,
                                                         applied.error().message));
        }
        if (auto stamped = sqlite::execute(db, fmt::format("PRAGMA user_version = {}", next + 1)); !stamped) {
            return stamped;
        }
        if (auto committed = transaction->commit(); !committed) return committed;
    }
    return {};
}

Result<sqlite3*> openConnection(const std::string& name, int flags, const std::string& where)
{
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    sqlite::Connection db(raw);
    if (rc != SQLITE_OK) return std::unexpected(sqlite::databaseError(raw, fmt::format("opening {}", where)));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    // journal_mode is the first statement that reads the file, so a garbage file fails here.
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        if (auto set = sqlite::execute(raw, pragma); !set) {
            return fail(ErrorCode::Database, fmt::format("opening {}: {}", where, set.error().message));
        }
    }
    if (auto migrated = migrate(raw, where); !migrated) return std::unexpected(migrated.error());
    return db.release();
}

struct TextRow {
    std::string language;
    std::string title;
    std::string body;
};

// One search row per language: the title in that language and the longer texts beside it.
std::vector<TextRow> searchRows(const LocalizedText& title, std::initializer_list<const LocalizedText*> bodies)
{
    std::set<std::string, std::less<>> languages;
    for (const auto& [language, text] : title.all()) languages.insert(language);
    for (const auto* body : bodies) {
        for (const auto& [language, text] : body->all()) languages.insert(language);
    }
    std::vector<TextRow> rows;
    for (const auto& language : languages) {
        TextRow row{language, std::string(title.exactly(language)), {}};
        for (const auto* body : bodies) {
            if (auto text = body->exactly(language); !text.empty()) {
                if (!row.body.empty()) row.body += '\n';
                row.body += text;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string_view kindKey(SearchKind kind)
{
    switch (kind) {
    case SearchKind::Place: return "place";
    case SearchKind::Service: return "service";
    case SearchKind::Event: return "event";
    }
    return "";
}

std::optional<SearchKind> kindFromKey(std::string_view key)
{
    if (key == "place") return SearchKind::Place;
    if (key == "service") return SearchKind::Service;
    if (key == "event") return SearchKind::Event;
    return std::nullopt;
}

// Every word becomes a quoted prefix term, so user input can never be read as FTS5 syntax.
std::string toMatchExpression(std::string_view query)
{
    std::string expression;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!expression.empty()) expression += ' ';
        expression += '"';
        for (char c : word) expression += c == '"' ? std::string("\"\"") : std::string(1, c);
        expression += "\"*";
        word.clear();
    };
    for (char c : query) {
        const auto byte = static_cast<unsigned char>(c);
        const bool separator = byte < 0x80 && !std::isalnum(byte);
        if (separator) flush();
        else word += c;
    }
    flush();
    return expression;
}

// Invalid UTF-8 that slipped past an adapter is replaced rather than failing the whole apply.
template <class Record>
std::string document(const Record& record)
{
    return bundle_codec::encode(record).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Writes the records of one source inside an open transaction.
class SourceWriter {
public:
    static Result<SourceWriter> prepare(sqlite3* db)
    {
        auto place = Statement::prepare(db, "INSERT INTO places (source_id, id, upstream_id, upstream_modified, kind, "
                                            "parent_id, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        auto service = Statement::prepare(db, "INSERT INTO services (source_id, id, upstream_id, upstream_modified, "
                                              "category, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        auto event = Statement::prepare(db, "INSERT INTO events (source_id, id, upstream_id, upstream_modified, "
                                            "category, place_id, status, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        auto announcement = Statement::prepare(db, "INSERT INTO announcements (source_id, id, upstream_id, "
                                                   "upstream_modified, valid_from, valid_until, doc) "
                                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        auto search = Statement::prepare(db, "INSERT INTO search (title, body, kind, source_id, item_id, lang) "
                                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        for (auto* statement : {&place, &service, &event, &announcement, &search}) {
            if (!*statement) return std::unexpected(statement->error());
        }
        return SourceWriter(std::move(*place), std::move(*service), std::move(*event), std::move(*announcement),
                            std::move(*search));
    }

    Result<void> write(const std::string& sourceId, const SourceContent& content)
    {
        auto done = eachWithDocument(content.places, [&](const Place& place, const std::string& doc) -> Result<void> {
            bindCommon(m_place, sourceId, place.id, place.provenance);
            m_place.bind(5, toKey(place.kind)).bind(6, place.parentId).bind(7, doc);
            if (auto run = m_place.run(); !run) return run;
            return index(SearchKind::Place, sourceId, place.id, place.name, {&place.description});
        });
        if (!done) return done;
        done = eachWithDocument(content.services, [&](const Service& service, const std::string& doc) -> Result<void> {
            bindCommon(m_service, sourceId, service.id, service.provenance);
            m_service.bind(5, toKey(service.category)).bind(6, doc);
            if (auto run = m_service.run(); !run) return run;
            return index(SearchKind::Service, sourceId, service.id, service.name, {&service.summary, &service.description});
        });
        if (!done) return done;
        done = eachWithDocument(content.events, [&](const Event& event, const std::string& doc) -> Result<void> {
            bindCommon(m_event, sourceId, event.id, event.provenance);
            m_event.bind(5, toKey(event.category)).bind(6, event.placeId).bind(7, toKey(event.status)).bind(8, doc);
            if (auto run = m_event.run(); !run) return run;
            return index(SearchKind::Event, sourceId, event.id, event.title, {&event.description});
        });
        if (!done) return done;
        return eachWithDocument(content.announcements, [&](const Announcement& announcement, const std::string& doc) {
            bindCommon(m_announcement, sourceId, announcement.id, announcement.provenance);
            m_announcement.bind(5, toSeconds(announcement.validFrom)).bind(6, toSeconds(announcement.validUntil));
            m_announcement.bind(7, doc);
            return m_announcement.run();
        });
    }

private:
    // Calls `write` with each record and its document. On a large source, writing the documents (the
    // bundle codec) costs about as much as SQLite's inserts, so the next chunk's documents are made on
    // a second thread while this chunk is inserted.
    template <class Record, class Write>
    static Result<void> eachWithDocument(const std::vector<Record>& records, const Write& write)
    {
        constexpr std::size_t kChunk = 256;
        const auto documents = [&records](std::size_t start) {
            std::vector<std::string> chunk;
            for (std::size_t i = start; i < std::min(records.size(), start + kChunk); ++i) chunk.push_back(document(records[i]));
            return chunk;
        };
        std::future<std::vector<std::string>> next;
        for (std::size_t start = 0; start < records.size(); start += kChunk) {
            auto chunk = next.valid() ? next.get() : documents(start);
            if (start + kChunk < records.size()) next = std::async(std::launch::async, documents, start + kChunk);
            for (std::size_t i = 0; i < chunk.size(); ++i) {
                if (auto done = write(records[start + i], chunk[i]); !done) return done;   // `next` waits for its thread
            }
        }
        return {};
    }

    SourceWriter(Statement place, Statement service, Statement event, Statement announcement, Statement search)
        : m_place(std::move(place)), m_service(std::move(service)), m_event(std::move(event)),
          m_announcement(std::move(announcement)), m_search(std::move(search))
    {
    }

    static void bindCommon(Statement& statement, const std::string& sourceId, const std::string& id,
                           const Provenance& provenance)
    {
        statement.bind(1, sourceId).bind(2, id);
        statement.bind(3, provenance.upstreamId.empty() ? id : provenance.upstreamId);
        statement.bind(4, toSeconds(provenance.upstreamModified));
    }

    Result<void> index(SearchKind kind, const std::string& sourceId, const std::string& id, const LocalizedText& title,
                       std::initializer_list<const LocalizedText*> bodies)
    {
        for (const TextRow& row : searchRows(title, bodies)) {
            m_search.bind(1, row.title).bind(2, row.body).bind(3, kindKey(kind)).bind(4, sourceId).bind(5, id);
            m_search.bind(6, row.language);
            if (auto done = m_search.run(); !done) return done;
        }
        return {};
    }

    Statement m_place;
    Statement m_service;
    Statement m_event;
    Statement m_announcement;
    Statement m_search;
};

template <class Record>
using Decoder = Record (*)(const nlohmann::json&, const std::string&, std::vector<BundleProblem>&);

// Decodes one stored record; a record that no longer decodes is an error rather than silently
// dropped, because the store only ever wrote valid records.
template <class Record>
Result<Record> decodeRow(const Statement& statement, std::string_view table, Decoder<Record> decode)
{
    const auto json = nlohmann::json::parse(statement.text(4), nullptr, false);
    std::vector<BundleProblem> problems;
    const std::string path = fmt::format("{}[{}/{}]", table, statement.text(0), statement.text(1));
    Record record = decode(json, path, problems);
    if (json.is_discarded() || !problems.empty()) {
        return fail(ErrorCode::Database, fmt::format("the cache holds an unreadable record {}: {}", path,
                                                     problems.empty() ? "invalid JSON" : problems.front().message));
    }
    record.provenance.sourceId = std::string(statement.text(0));
    record.provenance.upstreamId = std::string(statement.text(2));
    record.provenance.upstreamModified = fromSeconds(statement.optionalInteger(3));
    return record;
}

// Reads one table's records back through the bundle codec, keeping the texts `selection` keeps.
template <class Record>
Result<void> loadTable(sqlite3* db, std::string_view table, std::string_view onlySourceId, Decoder<Record> decode,
                       const TextSelection& selection, SharedTexts& shared, std::vector<Record>& out)
{
    // Sized up front: growing a vector of 12,000 events by doubling would hold two copies at once.
    auto count = Statement::prepare(db, fmt::format("SELECT COUNT(*) FROM {} WHERE ?1 = '' OR source_id = ?1", table));
    if (!count) return std::unexpected(count.error());
    count->bind(1, onlySourceId);
    if (count->step()) out.reserve(out.size() + static_cast<std::size_t>(count->integer(0)));
    auto statement = Statement::prepare(
        db, fmt::format("SELECT source_id, id, upstream_id, upstream_modified, doc FROM {} "
                        "WHERE ?1 = '' OR source_id = ?1 ORDER BY source_id, id",
                        table));
    if (!statement) return std::unexpected(statement.error());
    statement->bind(1, onlySourceId);
    while (statement->step()) {
        auto record = decodeRow(*statement, table, decode);
        if (!record) return std::unexpected(record.error());
        selectTexts(*record, selection, shared);
        out.push_back(std::move(*record));
    }
    if (statement->error()) return std::unexpected(*statement->error());
    return {};
}

// The long texts of one record of one table.
template <class Record>
Result<DetailTexts> loadDetailTexts(sqlite3* db, std::string_view table, const RecordKey& key, Decoder<Record> decode)
{
    auto statement = Statement::prepare(
        db, fmt::format("SELECT source_id, id, upstream_id, upstream_modified, doc FROM {} "
                        "WHERE source_id = ?1 AND id = ?2",
                        table));
    if (!statement) return std::unexpected(statement.error());
    statement->bind(1, key.sourceId).bind(2, key.id);
    if (!statement->step()) {
        if (statement->error()) return std::unexpected(*statement->error());
        return fail(ErrorCode::NotFound, fmt::format("{}[{}/{}] is not in the cache", table, key.sourceId, key.id));
    }
    auto record = decodeRow(*statement, table, decode);
    if (!record) return std::unexpected(record.error());
    return takeDetailTexts(*record);
}

} // namespace

ContentStore::ContentStore(sqlite3* db) : m_db(db) {}
ContentStore::ContentStore(ContentStore&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
ContentStore& ContentStore::operator=(ContentStore&& other) noexcept
{
    if (this != &other) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}
ContentStore::~ContentStore()
{
    if (m_db) sqlite3_close_v2(m_db);
}

Result<ContentStore> ContentStore::open(const std::filesystem::path& file)
{
    auto db = openConnection(file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             file.string());
    if (!db) return std::unexpected(db.error());
    return ContentStore(*db);
}

Result<ContentStore> ContentStore::openInMemory()
{
    auto db = openConnection(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             "the in-memory cache");
    if (!db) return std::unexpected(db.error());
    return ContentStore(*db);
}

int ContentStore::schemaVersion() const { return readUserVersion(m_db); }

Result<void> ContentStore::limitPageCache(int kibibytes)
{
    // A negative cache_size is in KiB rather than pages.
    return sqlite::execute(m_db, fmt::format("PRAGMA cache_size = -{}", kibibytes));
}

Result<void> ContentStore::replaceSource(const SourceState& source, const SourceContent& content)
{
    auto transaction = sqlite::Transaction::begin(m_db);
    if (!transaction) return std::unexpected(transaction.error());

    auto upsert = Statement::prepare(m_db, "INSERT INTO sources (id, kind, url, applied_at, item_count) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
                                           "kind = excluded.kind, url = excluded.url, "
                                           "applied_at = excluded.applied_at, item_count = excluded.item_count");
    if (!upsert) return std::unexpected(upsert.error());
    const auto appliedAt = source.appliedAt ? source.appliedAt
                                            : std::optional(std::chrono::floor<std::chrono::seconds>(
                                                  std::chrono::system_clock::now()));
    upsert->bind(1, source.id).bind(2, source.kind).bind(3, source.url).bind(4, toSeconds(appliedAt));
    upsert->bind(5, static_cast<std::int64_t>(content.itemCount()));
    if (auto done = upsert->run(); !done) return done;

    for (const char* table : {"places", "services", "events", "announcements", "search"}) {
        auto remove = Statement::prepare(m_db, fmt::format("DELETE FROM {} WHERE source_id = ?1", table));
        if (!remove) return std::unexpected(remove.error());
        remove->bind(1, source.id);
        if (auto done = remove->run(); !done) return done;
    }
    auto writer = SourceWriter::prepare(m_db);
    if (!writer) return std::unexpected(writer.error());
    if (auto written = writer->write(source.id, content); !written) {
        return fail(ErrorCode::Database,
                    fmt::format("applying source \"{}\": {}; its previous content is kept", source.id,
                                written.error().message));
    }
    return transaction->commit();
}

Result<void> ContentStore::removeSource(std::string_view sourceId)
{
    auto transaction = sqlite::Transaction::begin(m_db);
    if (!transaction) return std::unexpected(transaction.error());
    for (const char* sql : {"DELETE FROM search WHERE source_id = ?1", "DELETE FROM sources WHERE id = ?1"}) {
        auto statement = Statement::prepare(m_db, sql);
        if (!statement) return std::unexpected(statement.error());
        statement->bind(1, sourceId);
        if (auto done = statement->run(); !done) return done;
    }
    return transaction->commit();
}

Result<void> ContentStore::recordSyncStatus(const SourceState& status)
{
    auto statement = Statement::prepare(
        m_db, "INSERT INTO sources (id, kind, url, etag, last_modified, last_attempt, last_success, http_status, "
              "bytes, duration_ms, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
              "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url, etag = excluded.etag, "
              "last_modified = excluded.last_modified, last_attempt = excluded.last_attempt, "
              "last_success = excluded.last_success, http_status = excluded.http_status, bytes = excluded.bytes, "
              "duration_ms = excluded.duration_ms, error = excluded.error");
    if (!statement) return std::unexpected(statement.error());
    statement->bind(1, status.id).bind(2, status.kind).bind(3, status.url).bind(4, status.etag);
    statement->bind(5, status.lastModified).bind(6, toSeconds(status.lastAttempt)).bind(7, toSeconds(status.lastSuccess));
    statement->bind(8, std::int64_t{status.httpStatus}).bind(9, status.bytes).bind(10, status.durationMs);
    statement->bind(11, status.error);
    return statement->run();
}

Result<std::vector<SourceState>> ContentStore::sources() const
{
    auto statement = Statement::prepare(m_db, "SELECT id, kind, url, applied_at, item_count, etag, last_modified, "
                                              "last_attempt, last_success, http_status, bytes, duration_ms, error "
                                              "FROM sources ORDER BY id");
    if (!statement) return std::unexpected(statement.error());
    std::vector<SourceState> result;
    while (statement->step()) {
        SourceState state;
        state.id = statement->text(0);
        state.kind = statement->text(1);
        state.url = statement->text(2);
        state.appliedAt = fromSeconds(statement->optionalInteger(3));
        state.itemCount = static_cast<std::size_t>(statement->integer(4));
        state.etag = statement->text(5);
        state.lastModified = statement->text(6);
        state.lastAttempt = fromSeconds(statement->optionalInteger(7));
        state.lastSuccess = fromSeconds(statement->optionalInteger(8));
        state.httpStatus = static_cast<int>(statement->integer(9));
        state.bytes = statement->integer(10);
        state.durationMs = statement->integer(11);
        state.error = statement->text(12);
        result.push_back(std::move(state));
    }
    if (statement->error()) return std::unexpected(*statement->error());
    return result;
}

Result<SourceContent> ContentStore::loadContent(std::string_view onlySourceId, const TextSelection& selection) const
{
    SourceContent content;
    SharedTexts shared;
    if (auto done = loadTable<Place>(m_db, "places", onlySourceId, &bundle_codec::decodePlace, selection, shared,
                                     content.places);
        !done) {
        return std::unexpected(done.error());
    }
    if (auto done = loadTable<Service>(m_db, "services", onlySourceId, &bundle_codec::decodeService, selection, shared,
                                       content.services);
        !done) {
        return std::unexpected(done.error());
    }
    if (auto done = loadTable<Event>(m_db, "events", onlySourceId, &bundle_codec::decodeEvent, selection, shared,
                                     content.events);
        !done) {
        return std::unexpected(done.error());
    }
    if (auto done = loadTable<Announcement>(m_db, "announcements", onlySourceId, &bundle_codec::decodeAnnouncement,
                                            selection, shared, content.announcements);
        !done) {
        return std::unexpected(done.error());
    }
    return content;
}

Result<bool> ContentStore::isEmpty() const
{
    auto statement = Statement::prepare(m_db, "SELECT NOT EXISTS (SELECT 1 FROM sources)");
    if (!statement) return std::unexpected(statement.error());
    if (!statement->step()) return std::unexpected(statement->error().value_or(Error{ErrorCode::Database, "no row"}));
    return statement->integer(0) != 0;
}

Result<std::shared_ptr<const Snapshot>> ContentStore::buildSnapshot(const SnapshotWindow& window,
                                                                   const TextSelection& selection) const
{
    // One read transaction, so the sources and the records come from the same committed state.
    if (auto begun = sqlite::execute(m_db, "BEGIN"); !begun) return std::unexpected(begun.error());
    auto content = loadContent({}, selection);
    auto states = content ? sources() : Result<std::vector<SourceState>>{};
    (void)sqlite::execute(m_db, "COMMIT");
    if (!content) return std::unexpected(content.error());
    if (!states) return std::unexpected(states.error());
    return Snapshot::build(std::move(*content), std::move(*states), window);
}

Result<DetailTexts> ContentStore::detailTexts(const RecordKey& key) const
{
    switch (key.kind) {
    case RecordKind::Place: return loadDetailTexts<Place>(m_db, "places", key, &bundle_codec::decodePlace);
    case RecordKind::Service: return loadDetailTexts<Service>(m_db, "services", key, &bundle_codec::decodeService);
    case RecordKind::Event: return loadDetailTexts<Event>(m_db, "events", key, &bundle_codec::decodeEvent);
    }
    return fail(ErrorCode::InvalidInput, "an unknown kind of record");
}

Result<std::vector<SearchHit>> ContentStore::search(std::string_view query, std::size_t limit) const
{
    const std::string expression = toMatchExpression(query);
    if (expression.empty()) return std::vector<SearchHit>{};
    // Tier 0: the words are in the title; tier 1: anywhere. Within a tier, bm25 with titles weighted.
    auto statement = Statement::prepare(
        m_db, "SELECT kind, source_id, item_id, MIN(tier) FROM ("
              "  SELECT kind, source_id, item_id, 0 AS tier, bm25(search, 10.0, 1.0) AS score FROM search "
              "    WHERE search MATCH '{title} : (' || ?1 || ')' "
              "  UNION ALL "
              "  SELECT kind, source_id, item_id, 1 AS tier, bm25(search, 10.0, 1.0) AS score FROM search "
              "    WHERE search MATCH ?1"
              ") GROUP BY kind, source_id, item_id ORDER BY MIN(tier), MIN(score), item_id LIMIT ?2");
    if (!statement) return std::unexpected(statement.error());
    statement->bind(1, expression).bind(2, static_cast<std::int64_t>(limit));
    std::vector<SearchHit> hits;
    while (statement->step()) {
        auto kind = kindFromKey(statement->text(0));
        if (!kind) continue;
        hits.push_back(SearchHit{*kind, std::string(statement->text(1)), std::string(statement->text(2)),
                                 statement->integer(3) == 0});
    }
    if (statement->error()) return std::unexpected(*statement->error());
    return hits;
}

} // namespace kohtaamo
