#pragma once
// Adapters turn one downloaded feed into content, one adapter per source kind behind one interface,
// so the sync engine treats our bundles and staff calendars alike. PTV and Linked Events need many
// requests and state between syncs: they are catalogue sources (catalogue_source.hpp) instead.

#include "sync/feed.hpp"
#include "sync/ical_adapter.hpp"
#include "sync/kiosk_config.hpp"

#include <memory>
#include <string_view>

namespace kohtaamo {

/// Parses and validates one kind of feed. Implementations keep no state between calls, so one
/// instance may parse any number of feeds, from any thread.
class SourceAdapter {
public:
    virtual ~SourceAdapter() = default;

    /// The whole feed, parsed and validated, or an Error whose message names the source and every
    /// problem with its location. Every record returned passes the bundle codec's rules (the cache
    /// reads records back through it), so applying it can never leave an unreadable cache.
    [[nodiscard]] virtual Result<ParsedFeed> parse(std::string_view bytes, const SourceConfig& source) const = 0;
    /// The Accept header for downloads of this kind.
    [[nodiscard]] virtual std::string_view accept() const = 0;
};

/// The adapter for `kind` ("bundle", "ical"). Other kinds fail with InvalidInput naming the kind.
[[nodiscard]] Result<std::unique_ptr<SourceAdapter>> makeAdapter(std::string_view kind);

/// An `ical` source's settings from its `[[source]]` table: place, category (peer_group, dropin, club,
/// info, other), min_age, max_age, parents, languages ("fi, sv" or a TOML list), registration (none,
/// required), free, language (of the texts, default fi). A bad value fails naming the key.
[[nodiscard]] Result<ICalSettings> icalSettings(const SourceConfig& source);

/// Makes records from a foreign format fit what the cache stores: over-long ids (and references to
/// them) are shortened with a hash of the whole id; a tel:/mailto: contact URL moves to the phone or
/// e-mail field and any other non-http(s) URL is dropped; a record whose id is taken or whose parent
/// chain loops is left out; then every record is held to the bundle codec's own rules and
/// sanitising (conformRecord), and a record that breaks one is left out. Each change is listed in
/// `feed.problems`. References to places not in the feed stay: they may belong to another source.
void conformToStore(ParsedFeed& feed);

/// An id of at most 128 characters: `id` itself when short enough, else its first 100 characters,
/// "~" and 16 hex digits of a hash of the whole id (the same id always gives the same result).
[[nodiscard]] std::string shortenedId(std::string_view id);

} // namespace kohtaamo
