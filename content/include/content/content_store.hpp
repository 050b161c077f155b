#pragma once
// The offline cache: one SQLite file (WAL, foreign keys on) holding every source's records.

#include "content/error.hpp"
#include "content/model.hpp"
#include "content/snapshot.hpp"
#include "content/source_state.hpp"
#include "content/text_selection.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace kohtaamo {

enum class RecordKind { Place, Service, Event };
/// Search hits are places, services and events.
using SearchKind = RecordKind;

/// One record in the cache: ids are unique per source, not globally.
struct RecordKey {
    RecordKind kind = RecordKind::Place;
    std::string sourceId;
    std::string id;
    bool operator==(const RecordKey&) const = default;
};

struct SearchHit {
    SearchKind kind;
    std::string sourceId;
    std::string id;
    bool titleMatch = false;   ///< title hits are ranked before text-only hits
    bool operator==(const SearchHit&) const = default;
};

/// Owns one SQLite connection. Not thread-safe: give each thread its own ContentStore on the same
/// file (WAL lets one writer and many readers work at once). Movable, not copyable.
class ContentStore {
public:
    /// Opens or creates the cache file, running missing migrations. Fails with SchemaTooNew for a
    /// file written by a newer Kohtaamo (the file is left untouched), with Database for an
    /// unreadable or corrupt file.
    [[nodiscard]] static Result<ContentStore> open(const std::filesystem::path& file);
    /// A private in-memory cache (tests, --check-feed).
    [[nodiscard]] static Result<ContentStore> openInMemory();

    ContentStore(ContentStore&&) noexcept;
    ContentStore& operator=(ContentStore&&) noexcept;
    ~ContentStore();

    [[nodiscard]] int schemaVersion() const;
    /// Caps this connection's page cache (SQLite's default is 2 MB). For a long-lived reader that
    /// reads everything once per snapshot: the operating system caches the file anyway.
    [[nodiscard]] Result<void> limitPageCache(int kibibytes);

    /// Replaces exactly this source's records with `content` in one transaction: afterwards either
    /// all of it is visible or, on failure, the previous content is, untouched. Other sources are
    /// never touched. Records' provenance.sourceId is set to `source.id`.
    [[nodiscard]] Result<void> replaceSource(const SourceState& source, const SourceContent& content);
    /// Removes a source and all its records (a source dropped from the config).
    [[nodiscard]] Result<void> removeSource(std::string_view sourceId);
    /// Writes the sync status columns of a source (creating the source row if needed).
    [[nodiscard]] Result<void> recordSyncStatus(const SourceState& status);

    [[nodiscard]] Result<std::vector<SourceState>> sources() const;
    /// Every record of every source (or of one source), decoded, with the texts `selection` keeps.
    [[nodiscard]] Result<SourceContent> loadContent(std::string_view onlySourceId = {},
                                                    const TextSelection& selection = {}) const;
    [[nodiscard]] Result<bool> isEmpty() const;

    /// Builds an immutable snapshot of everything, with occurrences expanded for `window` and the
    /// texts `selection` keeps in memory.
    [[nodiscard]] Result<std::shared_ptr<const Snapshot>> buildSnapshot(const SnapshotWindow& window,
                                                                        const TextSelection& selection = {}) const;

    /// The long texts of one record (what a snapshot with LongTexts::InCache leaves out), in every
    /// language; one indexed read. Fails with NotFound when the record is not in the cache.
    [[nodiscard]] Result<DetailTexts> detailTexts(const RecordKey& key) const;

    /// Full-text search across titles and texts in every language: each word is a prefix,
    /// case-insensitive, å/ä/ö kept distinct from a/o. Title hits first, then by relevance.
    [[nodiscard]] Result<std::vector<SearchHit>> search(std::string_view query, std::size_t limit = 50) const;

private:
    explicit ContentStore(sqlite3* db);
    sqlite3* m_db = nullptr;
};

} // namespace kohtaamo
