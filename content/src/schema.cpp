#include "schema.hpp"

#include <array>

namespace kohtaamo::schema {
namespace {

// Records keep their bundle JSON in `doc` (one codec for bundle files and the cache) plus the
// columns that queries and per-source replacement need. Ids are unique per source, not globally:
// two feeds may both call something "1".
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE sources (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',
    applied_at  INTEGER,
    item_count  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE places (
    source_id         TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    upstream_id       TEXT NOT NULL,
    upstream_modified INTEGER,
    kind              TEXT NOT NULL,
    parent_id         TEXT NOT NULL DEFAULT '',
    doc               TEXT NOT NULL,
    PRIMARY KEY (source_id, id)
) WITHOUT ROWID;
CREATE TABLE services (
    source_id         TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    upstream_id       TEXT NOT NULL,
    upstream_modified INTEGER,
    category          TEXT NOT NULL,
    doc               TEXT NOT NULL,
    PRIMARY KEY (source_id, id)
) WITHOUT ROWID;
CREATE TABLE events (
    source_id         TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    upstream_id       TEXT NOT NULL,
    upstream_modified INTEGER,
    category          TEXT NOT NULL,
    place_id          TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    doc               TEXT NOT NULL,
    PRIMARY KEY (source_id, id)
) WITHOUT ROWID;
CREATE INDEX events_by_place ON events(place_id);
CREATE TABLE announcements (
    source_id         TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    upstream_id       TEXT NOT NULL,
    upstream_modified INTEGER,
    valid_from        INTEGER,
    valid_until       INTEGER,
    doc               TEXT NOT NULL,
    PRIMARY KEY (source_id, id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE search USING fts5(
    title, body,
    kind UNINDEXED, source_id UNINDEXED, item_id UNINDEXED, lang UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0'
);
)sql";

// Version 2: what the sync engine remembers per source (conditional GET, status for staff and IT).
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE sources ADD COLUMN etag TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN last_modified TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN last_attempt INTEGER;
ALTER TABLE sources ADD COLUMN last_success INTEGER;
ALTER TABLE sources ADD COLUMN http_status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN error TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array<std::string_view, 2> kMigrations{kVersion1, kVersion2};

} // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

} // namespace kohtaamo::schema
