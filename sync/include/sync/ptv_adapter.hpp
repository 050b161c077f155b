#pragma once
// PTV (Palvelutietovaranto), Finland's national service catalogue → places and services.
//
// Service-first, as ../shared/domain/ptv.md §4.2 describes: the ids of the services in the kiosk's
// area, their details in batches of at most 100, the family services among them (by target group
// and service class), then the channels they link to: ServiceLocation channels become places
// (address, contacts, coordinates, opening hours); phone and web channels become the service's
// contact. Hours tied to one service at one place become that service's hoursAtPlaces.
//
// The fetch (network) and the mapping (pure JSON → model) are separate, so the mapping is tested on
// real payloads and the fetch against a local server. The API version sits behind PtvApi, so the
// announced v12 API (api key, languageVersions, new hours model) can come beside v11.

#include "sync/catalogue_fetch.hpp"
#include "sync/feed.hpp"
#include "sync/http_client.hpp"
#include "sync/kiosk_config.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// A PTV source's settings, from its `[[source]]` table.
///
///     [[source]]
///     id = "ptv-vaasa"
///     kind = "ptv"
///     url = "https://api.palvelutietovaranto.suomi.fi/api/v11"   # the default; a mirror or test instance works too
///     municipalities = ["905", "499"]        # and/or wellbeing_counties = ["15"]
///     target_groups = ["KR1.2", "KR1.3"]     # the defaults; [] = any target group
///     service_classes = ["P3", "P5.2", "P28"]  # the defaults, each with its subclasses
///     include_nationwide = false
///     languages = ["fi", "sv", "en"]         # texts kept; absent = every published language
///     concurrency = 2                        # parallel requests, 1–4
///     full_resync_days = 7
struct PtvOptions {
    std::string apiBase{kPtvProductionApi};            ///< without a trailing slash
    std::string apiVersion = "v11";                    ///< from api_version, else the base's last path segment
    std::vector<std::string> municipalities;           ///< 3-digit codes
    std::vector<std::string> wellbeingCounties;        ///< 2-digit codes
    /// The v11 area token for counties; live doc strings spell it two ways (ptv.md pitfall 13).
    std::string countyAreaType = "WellbeingServiceCounties";
    std::vector<std::string> targetGroups{"KR1.2", "KR1.3"};
    std::vector<std::string> serviceClasses{"P3", "P5.2", "P28"};
    bool includeNationwide = false;
    std::vector<std::string> languages;                ///< empty: keep every language (Sámi too)
    int concurrency = 2;
    std::chrono::minutes overlap{5};                   ///< subtracted from the last sync for `date=`
    std::chrono::days fullResyncEvery{7};              ///< connection changes do not always bump `modified`
};

/// Reads and checks a `ptv` source's settings; a bad value fails naming the key.
[[nodiscard]] Result<PtvOptions> ptvOptions(const SourceConfig& source);

/// Whether a PTV service counts as a family service under `options` (target group or service
/// class, each matching its subcodes too: "P3" matches "P3.6" but not "P30"). Takes the service's
/// JSON text; false for anything that is not a service object.
[[nodiscard]] bool isFamilyService(std::string_view serviceJson, const PtvOptions& options);

/// Pure mapping, no network: PTV v11 JSON → content. Each document may be one service or channel
/// (GET /{id}), an array of them (list?guids=), or a page ({"itemList": …}, null accepted), in any
/// mix; v7–v10 names of the hour types are understood too. Services that are not family services
/// (see isFamilyService) are left out without a problem. ServiceLocation channels become places;
/// phone, web page and e-service channels fill in the contact of the services that link to them.
/// A service's places are its ServiceLocation channels present here. A bad item is skipped and
/// listed in problems with its id; the records returned pass the store's rules (conformToStore).
/// Fails only when a document is not JSON at all.
[[nodiscard]] Result<ParsedFeed> parsePtv(const std::vector<std::string_view>& documents, const PtvOptions& options,
                                          std::string_view sourceId);

/// EPSG:3067 (ETRS-TM35FIN) → WGS84, the inverse transverse Mercator on GRS80 (central meridian
/// 27° E, scale 0.9996, false easting 500 000 m), accurate to millimetres. nullopt for a point
/// clearly outside Finland's grid (northing 6.5–7.9 M, easting 0–1 M) or a non-finite value.
[[nodiscard]] std::optional<GeoPoint> etrsTm35finToWgs84(double northing, double easting);

/// The result of one fetch of a PTV source.
struct PtvFetch {
    /// The source's whole content after this fetch, ready for ContentStore::replaceSource; nullopt
    /// when an incremental fetch found nothing that changes it (then write nothing).
    std::optional<ParsedFeed> feed;
    /// Keep this for the next fetch, and save it (saveFetchState) once the feed has been applied;
    /// with no feed it may be kept in memory only.
    FetchState state;
    FetchStats stats;
    bool full = false;   ///< everything was fetched (first sync, new settings, or the weekly resync)
};

/// One version of the PTV API. Implementations keep no state between calls (it is all in
/// FetchState), so one instance serves any number of sources.
class PtvApi {
public:
    virtual ~PtvApi() = default;
    [[nodiscard]] virtual std::string_view version() const = 0;
    /// See fetchPtv.
    [[nodiscard]] virtual FetchResult<PtvFetch> fetch(HttpClient& http, const SourceConfig& source, const PtvOptions& options,
                                                      const FetchState& previous, Instant now,
                                                      const FetchPolicy& policy) const = 0;
};

/// The client for an API version ("v11"). "v12" and others fail with InvalidInput for now.
[[nodiscard]] Result<std::unique_ptr<PtvApi>> makePtvApi(std::string_view version);

/// Fetches a PTV source with the API version its options name: everything when `previous` is fresh,
/// for another selection, or older than options.fullResyncEvery; otherwise only what changed since
/// previous.lastSync (less options.overlap): changed services in the area and changed linked
/// channels (`date=`), removals (`status=Archived`, `status=Withdrawn`), merged into the records
/// kept in the state. Requests are anonymous GETs with the policy's timeouts and retries, at most
/// options.concurrency at a time (the source's setting, not policy.concurrency). Any request that
/// finally fails fails the whole fetch, so nothing half-fetched is ever applied. `now` is the UTC
/// time the fetch starts (the engine's clock). Runs on the caller's thread (plus its own workers,
/// joined before it returns); `previous` is only read.
[[nodiscard]] FetchResult<PtvFetch> fetchPtv(HttpClient& http, const SourceConfig& source, const PtvOptions& options,
                                             const FetchState& previous, Instant now, const FetchPolicy& policy = {});

} // namespace kohtaamo
