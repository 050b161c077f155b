// The PTV v11 client: service-first selection, full and incremental (ptv.md §2, §2.4, §4.2).

#include "sync/ptv_adapter.hpp"

#include "polite_fetch.hpp"
#include "ptv_json.hpp"
#include "ptv_records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <mutex>
#include <set>

namespace kohtaamo {
namespace {

using ptv::array;
using ptv::json;
using ptv::member;
using ptv::string;

constexpr std::size_t kBatchSize = 100;     // list?guids= takes at most 100 ids
constexpr std::size_t kMaxIds = 100'000;    // a whole-country listing by mistake stops here
constexpr std::string_view kService = "service";
constexpr std::string_view kChannel = "channel";
constexpr std::string_view kStateKind = "ptv";
// A linked channel PTV does not publish (removed, or never published) is remembered as JSON null,
// so a sync does not ask for it again until it shows up among the changed channels.
constexpr std::string_view kTombstone = "null";

// `date=` wants UTC as yyyy-MM-ddTHH:mm:ss exactly: no Z, no fraction (ptv.md §2.4).
std::string ptvDate(Instant instant)
{
    auto text = formatUtc(instant);
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    return text;
}

std::string percentEncoded(std::string_view text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ',';
        out += item;
    }
    return out;
}

// What selects the records kept; the language filter only shapes the mapping, so it is not here.
std::string selectionOf(const PtvOptions& options)
{
    return fmt::format("v1|{}|{}|m={}|c={}|{}|tg={}|sc={}|nw={}", options.apiBase, options.apiVersion,
                       joined(options.municipalities), joined(options.wellbeingCounties), options.countyAreaType,
                       joined(options.targetGroups), joined(options.serviceClasses), options.includeNationwide);
}

// Sets a record; true when that changed it.
bool store(std::map<std::string, std::string, std::less<>>& records, const std::string& id, std::string text)
{
    auto [it, inserted] = records.try_emplace(id, text);
    if (inserted) return true;
    if (it->second == text) return false;
    it->second = std::move(text);
    return true;
}

bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

// Whether a service reached through the nationwide change list still serves the kiosk's area. Only
// a clear "no" counts: counties cannot be matched to municipalities without a code list.
bool servesArea(const json& service, const PtvOptions& options)
{
    const auto areaType = string(service, "areaType");
    if (areaType == "Nationwide" || areaType == "NationwideExceptAlandIslands") return options.includeNationwide;
    const json& areas = array(service, "areas");
    if (areas.empty() || !options.wellbeingCounties.empty()) return true;
    for (const auto& area : areas) {
        if (string(area, "type") == "Municipality" && contains(options.municipalities, string(area, "code"))) return true;
        for (const auto& municipality : array(area, "municipalities")) {
            if (contains(options.municipalities, string(municipality, "code"))) return true;
        }
    }
    return false;
}

// Items of a list?guids= answer (an array) or of a page ({"itemList": …}).
const json& itemsOf(const json& document)
{
    static const json empty = json::array();
    // Every caller passes a parsed page that outlives its use of the items.
    // NOLINTNEXTLINE(bugprone-return-const-ref-from-parameter)
    if (document.is_array()) return document;
    const json& list = member(document, "itemList");
    return list.is_array() ? list : empty;
}

class V11Session {
public:
    V11Session(PoliteFetcher& fetcher, const PtvOptions& options, std::size_t maxPages)
        : m_fetcher(fetcher), m_options(options), m_maxPages(maxPages) {}

    // The ids of every page of a guid-page listing (1000 a page, itemList possibly null).
    FetchResult<std::vector<std::string>> listIds(const std::string& url)
    {
        const auto pageUrl = [&](std::size_t page) {
            return fmt::format("{}{}page={}", url, url.find('?') == std::string::npos ? '?' : '&', page);
        };
        auto first = m_fetcher.get(pageUrl(1));
        if (!first) return std::unexpected(first.error());
        std::vector<std::string> ids;
        std::size_t pageCount = 0;
        if (auto read = readPage(**first, pageUrl(1), ids, &pageCount); !read) return std::unexpected(read.error());
        if (pageCount > m_maxPages) {
            return std::unexpected(m_fetcher.failure(ErrorCode::LimitExceeded,
                                                     fmt::format("{}: {} pages (more than {})", url, pageCount, m_maxPages)));
        }
        std::vector<std::string> urls;
        for (std::size_t page = 2; page <= pageCount; ++page) urls.push_back(pageUrl(page));
        std::vector<std::vector<std::string>> pages(urls.size());
        std::mutex mutex;
        std::optional<FetchFailure> bad;
        auto fetched = m_fetcher.getEach(urls, NotFound::Fails, [&](std::size_t index, const std::optional<std::string>& body) {
            std::vector<std::string> pageIds;
            auto read = readPage(body.value_or(""), urls[index], pageIds, nullptr);
            std::lock_guard lock(mutex);
            if (!read) return std::optional<FetchFailure>(read.error());
            pages[index] = std::move(pageIds);
            return std::optional<FetchFailure>();
        });
        if (!fetched) return std::unexpected(fetched.error());
        for (auto& page : pages) ids.insert(ids.end(), page.begin(), page.end());
        if (ids.size() > kMaxIds) {
            return std::unexpected(m_fetcher.failure(ErrorCode::LimitExceeded,
                                                     fmt::format("{}: more than {} ids; is the area right?", url, kMaxIds)));
        }
        return ids;
    }

    // Details in batches of at most 100, each item read into what the state keeps (ptv_records.hpp).
    // Each returned item whose id was asked for goes through `prepare` on the fetch's workers, in
    // parallel, then its result through `take`, one item at a time under a lock. Ids PTV does not
    // return (unpublished, removed) are silently missing, as in PTV itself.
    template <class Prepare, class Take>
    FetchResult<void> details(std::string_view resource, const std::vector<std::string>& ids, const Prepare& prepare,
                              const Take& take)
    {
        std::vector<std::string> urls;
        std::vector<std::set<std::string, std::less<>>> asked;
        for (std::size_t start = 0; start < ids.size(); start += kBatchSize) {
            const auto end = std::min(ids.size(), start + kBatchSize);
            std::string list;
            std::set<std::string, std::less<>> batch;
            for (std::size_t i = start; i < end; ++i) {
                if (!list.empty()) list += ',';
                list += percentEncoded(ids[i]);
                batch.insert(ids[i]);
            }
            urls.push_back(fmt::format("{}/{}/list?guids={}", m_options.apiBase, resource, list));
            asked.push_back(std::move(batch));
        }
        std::mutex mutex;
        return m_fetcher.getEach(urls, NotFound::IsEmpty, [&](std::size_t index, std::optional<std::string> body) {
            if (!body) return std::optional<FetchFailure>();   // 404: none of them exists any more
            auto items = resource == "Service" ? ptv::keptServices(*body, m_options) : ptv::keptChannels(*body);
            body.reset();
            if (!items) {
                return std::optional<FetchFailure>(m_fetcher.failure(
                    ErrorCode::InvalidInput, fmt::format("{}: the answer is not a JSON list of {} objects", urls[index], resource)));
            }
            std::vector<std::pair<std::string, decltype(prepare(items->front().record))>> prepared;
            for (auto& item : *items) {
                if (asked[index].contains(item.id)) prepared.emplace_back(std::move(item.id), prepare(item.record));
            }
            std::lock_guard lock(mutex);
            for (auto& [id, result] : prepared) take(id, std::move(result));
            return std::optional<FetchFailure>();
        });
    }

private:
    FetchResult<void> readPage(std::string_view body, const std::string& url, std::vector<std::string>& ids,
                               std::size_t* pageCount) const
    {
        const json page = json::parse(body, nullptr, false);
        if (page.is_discarded() || !page.is_object()) {
            return std::unexpected(m_fetcher.failure(ErrorCode::InvalidInput, fmt::format("{}: not a PTV id page (JSON object "
                                                                                          "with pageCount and itemList)", url)));
        }
        if (pageCount) {
            const json& count = member(page, "pageCount");
            *pageCount = count.is_number_unsigned() || count.is_number_integer() ? count.get<std::size_t>() : 0;
        }
        for (const auto& item : itemsOf(page)) {
            // A null name marks an id whose details would 404 (ptv.md pitfall 2).
            if (item.contains("name") && member(item, "name").is_null()) continue;
            if (auto id = string(item, "id"); !id.empty()) ids.push_back(std::move(id));
        }
        return {};
    }

    PoliteFetcher& m_fetcher;
    const PtvOptions& m_options;
    std::size_t m_maxPages;
};

class V11Api final : public PtvApi {
public:
    std::string_view version() const override { return "v11"; }

    FetchResult<PtvFetch> fetch(HttpClient& http, const SourceConfig& source, const PtvOptions& options,
                                const FetchState& previous, Instant now, const FetchPolicy& policy) const override
    {
        FetchPolicy polite = policy;
        polite.concurrency = options.concurrency;
        PoliteFetcher fetcher(http, polite, fmt::format("PTV source \"{}\"", source.id), "application/json");
        V11Session session(fetcher, options, polite.maxPages);

        const auto selection = selectionOf(options);
        const bool full = previous.kind != kStateKind || previous.selection != selection || !previous.records ||
                          !previous.lastSync || !previous.lastFullSync ||
                          now - *previous.lastFullSync >= options.fullResyncEvery;
        PtvFetch result;
        result.full = full;
        std::shared_ptr<const MirroredRecords> records;
        bool changed = true;
        if (full) {
            auto fresh = std::make_shared<MirroredRecords>();
            ptv::FeedBuilder builder(options, source.id);
            if (auto done = fetchAll(session, options, *fresh, builder); !done) return std::unexpected(done.error());
            records = std::move(fresh);
            result.feed = builder.finish();
        } else {
            const Instant since = *previous.lastSync - options.overlap;
            auto merged = fetchChanges(session, options, ptvDate(since), *previous.records);
            if (!merged) return std::unexpected(merged.error());
            changed = merged->has_value();
            records = changed ? std::make_shared<const MirroredRecords>(std::move(**merged)) : previous.records;
        }
        result.state = FetchState{.kind = std::string(kStateKind), .selection = selection, .lastSync = now,
                                  .lastFullSync = full ? std::optional(now) : previous.lastFullSync, .records = records};
        result.stats = fetcher.stats();
        if (!changed || full) return result;

        // Whatever changed, the source's whole content is mapped again from the records kept.
        std::vector<std::string_view> documents;
        for (const auto& kind : {kService, kChannel}) {
            if (auto it = records->byKind.find(kind); it != records->byKind.end()) {
                for (const auto& [id, record] : it->second) documents.push_back(record);
            }
        }
        auto feed = parsePtv(documents, options, source.id);
        if (!feed) return std::unexpected(fetcher.failure(feed.error().code, feed.error().message));
        result.feed = std::move(*feed);
        return result;
    }

private:
    static std::vector<std::string> areaUrls(const PtvOptions& options, std::string_view resource, const std::string& since)
    {
        std::vector<std::string> urls;
        const auto add = [&](std::string_view area, const std::string& code) {
            auto url = fmt::format("{}/{}/area/{}/code/{}?includeWholeCountry={}", options.apiBase, resource, area, code,
                                   options.includeNationwide ? "true" : "false");
            if (!since.empty()) url += "&date=" + since;
            urls.push_back(std::move(url));
        };
        for (const auto& code : options.municipalities) add("Municipality", code);
        for (const auto& code : options.wellbeingCounties) add(options.countyAreaType, code);
        return urls;
    }

    // Ids of several listings, each once, in first-seen order.
    static FetchResult<std::vector<std::string>> idsOf(V11Session& session, const std::vector<std::string>& urls)
    {
        std::vector<std::string> ids;
        std::set<std::string, std::less<>> seen;
        for (const auto& url : urls) {
            auto listed = session.listIds(url);
            if (!listed) return std::unexpected(listed.error());
            for (auto& id : *listed) {
                if (seen.insert(id).second) ids.push_back(std::move(id));
            }
        }
        return ids;
    }

    // A record as the state keeps it: the item trimmed to what the mapping reads, and written out.
    struct Trimmed {
        json item;
        std::string text;
        std::vector<std::string> channelIds;   ///< of a service
    };

    static FetchResult<void> fetchAll(V11Session& session, const PtvOptions& options, MirroredRecords& records,
                                      ptv::FeedBuilder& builder)
    {
        auto serviceIds = idsOf(session, areaUrls(options, "Service", {}));
        if (!serviceIds) return std::unexpected(serviceIds.error());
        auto& services = records.byKind[std::string(kService)];
        std::vector<std::string> channelIds;
        std::set<std::string, std::less<>> seenChannels;
        auto fetched = session.details(
            "Service", *serviceIds,
            [](std::optional<json>& record) {
                std::optional<Trimmed> kept;
                if (!record) return kept;   // not a family service
                auto channelIds = ptv::channelIdsOf(*record);
                kept = trimmed(std::move(*record), std::move(channelIds));
                return kept;
            },
            [&](const std::string& id, std::optional<Trimmed> kept) {
                if (!kept) return;
                builder.add(kept->item, id);
                services.insert_or_assign(id, std::move(kept->text));
                for (auto& channelId : kept->channelIds) {
                    if (seenChannels.insert(channelId).second) channelIds.push_back(std::move(channelId));
                }
            });
        if (!fetched) return std::unexpected(fetched.error());
        auto& channels = records.byKind[std::string(kChannel)];
        fetched = session.details(
            "ServiceChannel", channelIds, [](std::optional<json>& record) { return trimmed(std::move(record).value_or(json())); },
            [&](const std::string& id, Trimmed kept) {
                builder.add(kept.item, id);
                channels.insert_or_assign(id, std::move(kept.text));
            });
        if (!fetched) return std::unexpected(fetched.error());
        for (const auto& id : channelIds) channels.try_emplace(id, kTombstone);
        return {};
    }

    static Trimmed trimmed(json item, std::vector<std::string> channelIds = {})
    {
        auto text = item.dump();
        return Trimmed{std::move(item), std::move(text), std::move(channelIds)};
    }

    // The records with what changed since `since` merged in, or nullopt when nothing that matters
    // changed (then the previous records are not even copied).
    static FetchResult<std::optional<MirroredRecords>> fetchChanges(V11Session& session, const PtvOptions& options,
                                                                   const std::string& since, const MirroredRecords& previous)
    {
        const auto listing = [&](std::string_view resource, std::string_view status) {
            auto url = fmt::format("{}/{}?date={}", options.apiBase, resource, since);
            if (!status.empty()) url += fmt::format("&status={}", status);
            return url;
        };
        auto inArea = idsOf(session, areaUrls(options, "Service", since));
        if (!inArea) return std::unexpected(inArea.error());
        auto changedServices = idsOf(session, {listing("Service", {})});
        if (!changedServices) return std::unexpected(changedServices.error());
        auto changedChannels = idsOf(session, {listing("ServiceChannel", {})});
        if (!changedChannels) return std::unexpected(changedChannels.error());
        auto removedServices = idsOf(session, {listing("Service", "Archived"), listing("Service", "Withdrawn")});
        if (!removedServices) return std::unexpected(removedServices.error());
        auto removedChannels = idsOf(session, {listing("ServiceChannel", "Archived"), listing("ServiceChannel", "Withdrawn")});
        if (!removedChannels) return std::unexpected(removedChannels.error());

        static const std::map<std::string, std::string, std::less<>> kNone;
        const auto kept = [&](std::string_view kind) -> const auto& {
            const auto it = previous.byKind.find(kind);
            return it == previous.byKind.end() ? kNone : it->second;
        };
        const auto anyKept = [](const std::vector<std::string>& ids, const auto& records) {
            return std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return records.contains(id); });
        };
        if (inArea->empty() && !anyKept(*changedServices, kept(kService)) && !anyKept(*removedServices, kept(kService)) &&
            !anyKept(*changedChannels, kept(kChannel)) && !anyKept(*removedChannels, kept(kChannel))) {
            return std::optional<MirroredRecords>();
        }

        MirroredRecords records = previous;
        auto& services = records.byKind[std::string(kService)];
        auto& channels = records.byKind[std::string(kChannel)];
        bool changed = false;
        for (const auto& id : *removedServices) changed = services.erase(id) > 0 || changed;
        for (const auto& id : *removedChannels) {
            if (channels.contains(id)) changed = store(channels, id, std::string(kTombstone)) || changed;
        }
        const std::set<std::string, std::less<>> removed(removedServices->begin(), removedServices->end());
        const std::set<std::string, std::less<>> areaIds(inArea->begin(), inArea->end());

        // Services new or changed in the area, and kept ones changed anywhere (their area may have shrunk).
        std::vector<std::string> candidates;
        for (const auto& id : *inArea) {
            if (!removed.contains(id)) candidates.push_back(id);
        }
        for (const auto& id : *changedServices) {
            if (services.contains(id) && !areaIds.contains(id) && !removed.contains(id)) candidates.push_back(id);
        }
        std::set<std::string, std::less<>> returned;
        auto fetched = session.details(
            "Service", candidates,
            [&](std::optional<json>& record) {
                // The record to keep, or nullopt when the service no longer counts.
                std::optional<std::string> kept;
                if (record && (areaIds.contains(string(*record, "id")) || servesArea(*record, options))) kept = record->dump();
                return kept;
            },
            [&](const std::string& id, std::optional<std::string> kept) {
                returned.insert(id);
                if (kept) changed = store(services, id, std::move(*kept)) || changed;
                else changed = services.erase(id) > 0 || changed;
            });
        if (!fetched) return std::unexpected(fetched.error());
        for (const auto& id : candidates) {
            if (!returned.contains(id)) changed = services.erase(id) > 0 || changed;   // asked for, not published
        }

        // Channels the kept services link to: new links, and linked channels that changed.
        std::set<std::string, std::less<>> linked;
        for (const auto& [id, record] : services) {
            for (auto& channelId : ptv::channelIdsOf(json::parse(record, nullptr, false))) linked.insert(std::move(channelId));
        }
        const std::set<std::string, std::less<>> gone(removedChannels->begin(), removedChannels->end());
        std::vector<std::string> wanted;
        for (const auto& id : linked) {
            if (!channels.contains(id) && !gone.contains(id)) wanted.push_back(id);
        }
        for (const auto& id : *changedChannels) {
            // Also a tombstoned channel that is published again.
            if (linked.contains(id) && channels.contains(id) && !gone.contains(id)) wanted.push_back(id);
        }
        std::set<std::string, std::less<>> returnedChannels;
        fetched = session.details(
            "ServiceChannel", wanted, [](std::optional<json>& record) { return record.value_or(json()).dump(); },
            [&](const std::string& id, std::string kept) {
                returnedChannels.insert(id);
                changed = store(channels, id, std::move(kept)) || changed;
            });
        if (!fetched) return std::unexpected(fetched.error());
        for (const auto& id : wanted) {
            if (!returnedChannels.contains(id)) changed = store(channels, id, std::string(kTombstone)) || changed;
        }
        for (const auto& id : linked) {
            if (gone.contains(id) && !channels.contains(id)) channels.emplace(id, kTombstone);
        }
        // Channels no kept service links to any more are let go.
        changed = std::erase_if(channels, [&](const auto& entry) { return !linked.contains(entry.first); }) > 0 || changed;
        if (!changed) return std::optional<MirroredRecords>();
        return std::optional<MirroredRecords>(std::move(records));
    }
};

} // namespace

Result<std::unique_ptr<PtvApi>> makePtvApi(std::string_view version)
{
    if (version == "v11") return std::make_unique<V11Api>();
    return fail(ErrorCode::InvalidInput,
                fmt::format("PTV API version \"{}\" is not supported yet (supported: v11; set url to …/api/v11)", version));
}

FetchResult<PtvFetch> fetchPtv(HttpClient& http, const SourceConfig& source, const PtvOptions& options,
                               const FetchState& previous, Instant now, const FetchPolicy& policy)
{
    auto api = makePtvApi(options.apiVersion);
    if (!api) {
        return std::unexpected(FetchFailure{Error{api.error().code, fmt::format("source \"{}\": {}", source.id, api.error().message)}});
    }
    return (*api)->fetch(http, source, options, previous, now, policy);
}

} // namespace kohtaamo
