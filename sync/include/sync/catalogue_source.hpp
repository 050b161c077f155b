#pragma once
// The sync engine's view of a source that needs many requests per sync and remembers what it
// fetched (PTV, Linked Events): one call fetches the source's whole content, or says that nothing
// changed, and the state behind incremental fetches moves on only once that content is in the cache.

#include "sync/catalogue_fetch.hpp"
#include "sync/feed.hpp"
#include "sync/http_client.hpp"
#include "sync/kiosk_config.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace kohtaamo {

/// What one fetch of a catalogue source brought.
struct CatalogueFetch {
    /// The source's whole content, ready for ContentStore::replaceSource; nullopt when nothing changed.
    std::optional<ParsedFeed> feed;
    FetchStats stats;
    bool full = false;   ///< everything was fetched, not only the changes
};

/// One configured catalogue source with its fetch state. Not thread-safe: the engine's thread owns it.
class CatalogueSource {
public:
    virtual ~CatalogueSource() = default;

    /// Fetches the source's content at `now` (UTC). `cacheAppliedAt` is when the cache's content of
    /// this source was applied (nullopt: the cache has none): a saved state that the cache does not
    /// reflect (a lost or replaced cache) is dropped, and the fetch is a full one.
    [[nodiscard]] virtual FetchResult<CatalogueFetch> fetch(HttpClient& http, Instant now,
                                                            std::optional<Instant> cacheAppliedAt,
                                                            const FetchPolicy& policy) = 0;

    /// The last fetch's content is in the cache, or it had no changes: its state becomes the base of
    /// the next fetch. The state file is written only after new content was applied (`applied`), so a
    /// saved state never runs ahead of the cache. A failed write is returned; the state is kept in
    /// memory anyway.
    [[nodiscard]] virtual Result<void> keep(bool applied) = 0;
};

/// Whether `kind` is fetched through a CatalogueSource ("ptv", "linkedevents") rather than as one file.
[[nodiscard]] bool isCatalogueKind(std::string_view kind);

/// The source for a `ptv` or `linkedevents` `[[source]]`, its settings checked (a bad one fails naming
/// the key); its state lives in `stateFile` (see fetchStateFile).
[[nodiscard]] Result<std::unique_ptr<CatalogueSource>> makeCatalogueSource(const SourceConfig& source,
                                                                           std::filesystem::path stateFile);

} // namespace kohtaamo
