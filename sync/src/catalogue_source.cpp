#include "sync/catalogue_source.hpp"

#include "sync/linkedevents_adapter.hpp"
#include "sync/ptv_adapter.hpp"

#include <fmt/format.h>

namespace kohtaamo {
namespace {

// Both catalogue kinds fetch the same way: (client, source, options, state, now, policy) → a fetch
// carrying the next state; only their options and results differ.
template <class Options, class Fetched>
class StatefulSource final : public CatalogueSource {
public:
    using FetchFunction = FetchResult<Fetched> (*)(HttpClient&, const SourceConfig&, const Options&, const FetchState&,
                                                   Instant, const FetchPolicy&);

    StatefulSource(SourceConfig source, Options options, std::filesystem::path stateFile, FetchFunction fetch)
        : m_source(std::move(source)), m_options(std::move(options)), m_stateFile(std::move(stateFile)), m_fetch(fetch)
    {
    }

    FetchResult<CatalogueFetch> fetch(HttpClient& http, Instant now, std::optional<Instant> cacheAppliedAt,
                                      const FetchPolicy& policy) override
    {
        m_pending.reset();
        if (!cacheAppliedAt) {
            // Nothing of this source is in the cache (first sync, a new URL, a rebuilt cache): whatever
            // the state says was fetched must be fetched again.
            m_state = {};
            m_loaded = true;
        } else if (!m_loaded) {
            m_loaded = true;
            // An unreadable state file only costs a full fetch. A state newer than the cache's content
            // belongs to content the cache no longer has (a cache restored or rebuilt): start over.
            auto saved = loadFetchState(m_stateFile);
            if (saved && saved->lastSync && *saved->lastSync <= *cacheAppliedAt) m_state = std::move(*saved);
        }
        auto fetched = m_fetch(http, m_source, m_options, m_state, now, policy);
        if (!fetched) return std::unexpected(std::move(fetched.error()));
        m_pending = std::move(fetched->state);
        return CatalogueFetch{std::move(fetched->feed), fetched->stats, fetched->full};
    }

    Result<void> keep(bool applied) override
    {
        if (!m_pending) return {};
        m_state = std::move(*m_pending);
        m_pending.reset();
        if (!applied) return {};
        if (auto saved = saveFetchState(m_stateFile, m_state); !saved) {
            return fail(saved.error().code, fmt::format("source \"{}\": the sync state could not be saved (the next sync "
                                                        "asks for more than it needs): {}",
                                                        m_source.id, saved.error().message));
        }
        return {};
    }

private:
    SourceConfig m_source;
    Options m_options;
    std::filesystem::path m_stateFile;
    FetchFunction m_fetch;
    FetchState m_state;                    // what the cache's content was fetched from
    std::optional<FetchState> m_pending;   // the last fetch's, until its content is kept
    bool m_loaded = false;
};

template <class Options, class Fetched>
Result<std::unique_ptr<CatalogueSource>> makeStateful(const SourceConfig& source, Result<Options> options,
                                                      std::filesystem::path stateFile,
                                                      typename StatefulSource<Options, Fetched>::FetchFunction fetch)
{
    if (!options) return std::unexpected(std::move(options.error()));
    return std::make_unique<StatefulSource<Options, Fetched>>(source, std::move(*options), std::move(stateFile), fetch);
}

} // namespace

bool isCatalogueKind(std::string_view kind) { return kind == "ptv" || kind == "linkedevents"; }

Result<std::unique_ptr<CatalogueSource>> makeCatalogueSource(const SourceConfig& source, std::filesystem::path stateFile)
{
    if (source.kind == "ptv") {
        return makeStateful<PtvOptions, PtvFetch>(source, ptvOptions(source), std::move(stateFile), &fetchPtv);
    }
    if (source.kind == "linkedevents") {
        return makeStateful<LinkedEventsOptions, LinkedEventsFetch>(source, linkedEventsOptions(source),
                                                                    std::move(stateFile), &fetchLinkedEvents);
    }
    return fail(ErrorCode::InvalidInput, fmt::format("source \"{}\": kind \"{}\" is not a catalogue source", source.id,
                                                     source.kind));
}

} // namespace kohtaamo
