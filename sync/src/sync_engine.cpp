#include "sync/sync_engine.hpp"

#include "display_url.hpp"
#include "fnv1a.hpp"
#include "sync/catalogue_source.hpp"
#include "sync/http_client.hpp"
#include "sync/source_adapter.hpp"
#include "sync/sync_status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>

namespace kohtaamo {
namespace {

using namespace std::chrono_literals;

// A status error is shown in the staff panel and the status file; a bundle with a thousand problems
// is summarised there and listed in full by --check-feed.
constexpr std::size_t kStatusErrorLines = 5;
constexpr std::size_t kStatusErrorChars = 1500;
// Servers without an ETag (and file://): the engine remembers a fingerprint of the applied bytes
// instead, so identical bytes cost no rewrite. Never sent to a server.
constexpr std::string_view kFingerprintPrefix = "kohtaamo-fnv1a:";
// The thread re-reads the clock at least this often, so a changed wall clock cannot strand it.
constexpr auto kMaxWait = 60s;

std::string fingerprint(std::string_view bytes)
{
    return fmt::format("{}{:016x}-{}", kFingerprintPrefix, fnv1a(bytes), bytes.size());
}

std::string statusError(const std::string& message)
{
    std::size_t end = 0;
    for (std::size_t lines = 0; lines < kStatusErrorLines; ++lines) {
        end = message.find('\n', end);
        if (end == std::string::npos) return message.substr(0, kStatusErrorChars);
        ++end;
    }
    if (end >= message.size()) return message.substr(0, kStatusErrorChars);
    const auto more = std::count(message.begin() + static_cast<std::ptrdiff_t>(end), message.end(), '\n') + 1;
    return message.substr(0, std::min(end, kStatusErrorChars)) +
           fmt::format("… and {} more lines (kohtaamo-kiosk --check-feed lists them all)", more);
}

struct Limits {
    double minFraction = 0.5;
    std::size_t maxItems = 0;
    std::size_t maxBytes = 0;
};

// A source's own min_fraction / max_items / max_megabytes override [sync].
Result<Limits> limitsOf(const SourceConfig& source, const SyncSettings& defaults)
{
    Limits limits{defaults.minFraction, defaults.maxItems, defaults.maxBytes};
    const auto bad = [&](std::string_view key, std::string_view value, std::string_view expected) {
        return fail(ErrorCode::InvalidInput,
                    fmt::format("source \"{}\": {} = \"{}\": expected {}", source.id, key, value, expected));
    };
    if (auto it = source.settings.find("min_fraction"); it != source.settings.end()) {
        double value = -1;
        const auto& text = it->second;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size() || value < 0 || value > 1) {
            return bad("min_fraction", text, "a number from 0 to 1");
        }
        limits.minFraction = value;
    }
    for (const auto& [key, max] : {std::pair{"max_items", 1'000'000LL}, std::pair{"max_megabytes", 1024LL}}) {
        const auto it = source.settings.find(key);
        if (it == source.settings.end()) continue;
        long long value = 0;
        const auto& text = it->second;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size() || value < 1 || value > max) {
            return bad(key, text, fmt::format("a whole number from 1 to {}", max));
        }
        if (std::string_view(key) == "max_items") limits.maxItems = static_cast<std::size_t>(value);
        else limits.maxBytes = static_cast<std::size_t>(value) << 20;
    }
    return limits;
}

std::string percent(double fraction) { return fmt::format("{:g} %", std::round(fraction * 1000) / 10); }

} // namespace

// A source is fetched either as one file parsed by an adapter (bundle, ical) or by a catalogue
// source that makes many requests and keeps state between syncs (ptv, linkedevents).
struct SyncEngine::Source {
    SourceConfig config;
    std::unique_ptr<SourceAdapter> adapter;
    std::unique_ptr<CatalogueSource> catalogue;
    Result<Limits> limits;
    Error setupError;   // why neither could be made (a bad setting, an unknown kind)
};

// What a download brought: the source's new content, or nothing new.
struct SyncEngine::Download {
    std::optional<ParsedFeed> feed;   // nullopt: not modified
    std::string etag;                 // to remember: with a feed, once it is applied; without, when not empty
    std::string lastModified;         // to remember once the feed is applied
    int httpStatus = 0;               // of the (last) response; 0 for file://
    std::int64_t bytes = 0;           // on the wire
};

struct SyncEngine::Parts {
    ContentStore store;
    HttpClient http;
    std::vector<Source> sources;
    std::mt19937_64 random;
};

std::chrono::seconds backoffDelay(int failures, std::chrono::seconds interval, const SyncEngineOptions& options)
{
    const auto cap = std::clamp(interval, options.firstBackoff, std::max(options.firstBackoff, options.maxBackoff));
    auto delay = options.firstBackoff;
    for (int i = 1; i < failures && delay < cap; ++i) delay *= 2;
    return std::min(delay, cap);
}

Result<std::unique_ptr<SyncEngine>> SyncEngine::create(SyncEngineOptions options)
{
    auto store = ContentStore::open(options.cacheFile);
    if (!store) return std::unexpected(store.error());
    auto http = HttpClient::create(options.userAgent);
    if (!http) return std::unexpected(http.error());
    if (!options.clock) options.clock = systemNow;
    const auto seed = options.seed != 0 ? options.seed : std::random_device{}();

    std::unique_ptr<SyncEngine> engine(new SyncEngine(std::move(options)));
    engine->m_parts.reset(new Parts{std::move(*store), std::move(*http), {}, std::mt19937_64(seed)});
    auto known = engine->m_parts->store.sources();
    if (!known) return std::unexpected(known.error());

    const Instant now = engine->m_options.clock();
    for (const auto& config : engine->m_options.sources) {
        Source source{config, nullptr, nullptr, limitsOf(config, engine->m_options.defaults), {}};
        if (isCatalogueKind(config.kind)) {
            auto catalogue = makeCatalogueSource(config, fetchStateFile(engine->m_options.cacheFile, config.id));
            if (catalogue) source.catalogue = std::move(*catalogue);
            else source.setupError = catalogue.error();
        } else if (auto adapter = makeAdapter(config.kind)) {
            source.adapter = std::move(*adapter);
        } else {
            source.setupError = adapter.error();
        }

        // A kiosk restarted in the middle of an interval does not fetch everything again at once.
        SourceSchedule entry{config.id, now, 0, std::nullopt};
        const auto state = std::find_if(known->begin(), known->end(), [&](const SourceState& s) { return s.id == config.id; });
        if (state != known->end() && state->error.empty() && state->lastSuccess && state->url == config.url &&
            state->kind == config.kind) {
            entry.nextAttempt = std::max(now, *state->lastSuccess + engine->jittered(config.interval));
        }
        engine->m_parts->sources.push_back(std::move(source));
        engine->m_schedule.push_back(std::move(entry));
    }
    return engine;
}

SyncEngine::SyncEngine(SyncEngineOptions options) : m_options(std::move(options)) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable() || m_stopping) return;
    m_thread = std::thread([this] { run(); });
}

void SyncEngine::syncNow()
{
    {
        std::lock_guard lock(m_mutex);
        m_syncNowRequested = true;
    }
    m_wake.notify_one();
}

void SyncEngine::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cancel = true;
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

std::vector<SourceSchedule> SyncEngine::schedule() const
{
    std::lock_guard lock(m_mutex);
    return m_schedule;
}

void SyncEngine::run()
{
    // Nothing may escape a thread; an unexpected exception (out of memory) ends the sync, never the kiosk.
    try {
        while (true) {
            Instant now;
            {
                std::unique_lock lock(m_mutex);
                now = m_options.clock();
                const auto next = std::min_element(m_schedule.begin(), m_schedule.end(), [](const auto& a, const auto& b) {
                    return a.nextAttempt < b.nextAttempt;
                });
                const bool due = next != m_schedule.end() && next->nextAttempt <= now;
                if (!due && !m_syncNowRequested && !m_stopping) {
                    const auto wait = next == m_schedule.end() ? kMaxWait
                                                               : std::min<std::chrono::seconds>(kMaxWait, next->nextAttempt - now);
                    m_wake.wait_for(lock, wait, [&] { return m_stopping || m_syncNowRequested; });
                    now = m_options.clock();
                }
                if (m_stopping) return;
                if (std::exchange(m_syncNowRequested, false)) {
                    for (auto& entry : m_schedule) {
                        if (!entry.notBefore || *entry.notBefore <= now) entry.nextAttempt = std::min(entry.nextAttempt, now);
                    }
                }
            }
            (void)runDue(now);
        }
    } catch (const std::exception&) {
        return;
    }
}

std::vector<SyncOutcome> SyncEngine::runDue(Instant now)
{
    std::vector<std::size_t> due;
    {
        std::lock_guard lock(m_mutex);
        for (std::size_t i = 0; i < m_schedule.size(); ++i) {
            if (m_schedule[i].nextAttempt <= now) due.push_back(i);
        }
    }
    std::vector<SyncOutcome> outcomes;
    for (const std::size_t index : due) {
        if (m_cancel) break;
        outcomes.push_back(attempt(index, now));
        reschedule(index, outcomes.back(), now);
        writeStatus(now);
    }
    return outcomes;
}

std::vector<SyncOutcome> SyncEngine::syncAll(Instant now)
{
    {
        std::lock_guard lock(m_mutex);
        for (auto& entry : m_schedule) entry.nextAttempt = std::min(entry.nextAttempt, now);
    }
    return runDue(now);
}

std::chrono::seconds SyncEngine::jittered(std::chrono::seconds delay)
{
    std::uniform_real_distribution<double> factor(1.0 - m_options.jitter, 1.0 + m_options.jitter);
    return std::chrono::seconds(std::llround(static_cast<double>(delay.count()) * factor(m_parts->random)));
}

void SyncEngine::reschedule(std::size_t index, const SyncOutcome& outcome, Instant now)
{
    const auto interval = m_parts->sources[index].config.interval;
    std::lock_guard lock(m_mutex);
    SourceSchedule& entry = m_schedule[index];
    entry.notBefore.reset();
    if (outcome.result != SyncResult::Failed) {
        // A held-back feed is not retried sooner: it is a content problem for people to look at.
        entry.failures = 0;
        entry.nextAttempt = now + jittered(interval);
        return;
    }
    ++entry.failures;
    entry.nextAttempt = now + jittered(backoffDelay(entry.failures, interval, m_options));
    if (outcome.retryAfter) {
        const Instant notBefore = now + std::min(*outcome.retryAfter, m_options.maxRetryAfter);
        entry.notBefore = notBefore;
        entry.nextAttempt = std::max(entry.nextAttempt, notBefore);
    }
}

SyncOutcome SyncEngine::attempt(std::size_t index, Instant now)
{
    Source& source = m_parts->sources[index];
    const SourceConfig& config = source.config;
    ContentStore& store = m_parts->store;
    const auto started = std::chrono::steady_clock::now();
    SyncOutcome outcome{.sourceId = config.id};

    // The status row carries over what an attempt does not change (etag, items, last success).
    SourceState status;
    auto known = store.sources();
    if (known) {
        const auto it = std::find_if(known->begin(), known->end(), [&](const SourceState& s) { return s.id == config.id; });
        if (it != known->end()) status = *it;
    }
    // Validators and the shrink rail compare with what this URL gave before, not another feed's.
    const bool sameFeed = status.url == config.url && status.kind == config.kind && status.appliedAt.has_value();
    const std::size_t previousItems = sameFeed ? status.itemCount : 0;
    if (!sameFeed) {
        status.etag.clear();
        status.lastModified.clear();
    }
    status.id = config.id;
    status.kind = config.kind;
    status.url = config.url;
    status.lastAttempt = now;

    const auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    };
    // Records the status (and on success the validators), then tells the UI.
    const auto finish = [&](SyncResult result, std::string error) -> SyncOutcome {
        outcome.result = result;
        outcome.error = std::move(error);
        outcome.duration = elapsed();
        // An attempt cut short by stop() did not really happen; the status keeps the last real one.
        if (result == SyncResult::Failed && m_cancel) return outcome;
        status.httpStatus = outcome.httpStatus;
        status.bytes = outcome.bytes;
        status.durationMs = outcome.duration.count();
        status.error = statusError(outcome.error);
        if (outcome.ok()) status.lastSuccess = now;
        if (auto recorded = store.recordSyncStatus(status); !recorded) {
            outcome.error += (outcome.error.empty() ? "" : "; ") +
                             fmt::format("the sync status could not be saved: {}", recorded.error().message);
        }
        if (m_options.onApplied) m_options.onApplied(result == SyncResult::Applied ? CacheWrite::Content : CacheWrite::Status);
        return outcome;
    };

    if (!known) return finish(SyncResult::Failed, known.error().message);
    if (!source.adapter && !source.catalogue) {
        return finish(SyncResult::Failed, fmt::format("source \"{}\": {}", config.id, source.setupError.message));
    }
    if (!source.limits) return finish(SyncResult::Failed, source.limits.error().message);
    const Limits& limits = *source.limits;

    // 1. Download completely (and for a single file, parse and validate it completely).
    auto download = source.catalogue ? downloadCatalogue(source, status, sameFeed, limits.maxBytes, now)
                                     : downloadFile(source, status, limits.maxBytes);
    if (!download) {
        outcome.httpStatus = download.error().httpStatus;
        outcome.bytes = download.error().stats.bytes;
        outcome.retryAfter = download.error().retryAfter;
        return finish(SyncResult::Failed, download.error().error.message);
    }
    outcome.httpStatus = download->httpStatus;
    outcome.bytes = download->bytes;
    outcome.items = status.itemCount;
    if (!download->feed) {
        if (!download->etag.empty()) status.etag = download->etag;
        if (source.catalogue) (void)source.catalogue->keep(false);   // kept in memory only: nothing new was written
        return finish(SyncResult::NotModified, {});
    }
    ParsedFeed& feed = *download->feed;
    outcome.problems = std::move(feed.problems);
    const std::size_t items = feed.content.itemCount();
    outcome.items = items;
    const std::string where = displayUrl(config.url);
    if (items > limits.maxItems) {
        return finish(SyncResult::Failed, fmt::format("{}: the feed has {} items; the limit is {} (max_items)", where,
                                                      items, limits.maxItems));
    }

    // 2. Safety rails: a feed that suddenly shrinks to nothing or to a fraction is more likely broken
    //    upstream than true, and a blank kiosk is worse than yesterday's content.
    if (previousItems > 0 && limits.minFraction > 0 &&
        (items == 0 || static_cast<double>(items) < limits.minFraction * static_cast<double>(previousItems))) {
        return finish(SyncResult::HeldBack,
                      fmt::format("held back: {} items instead of {} (below {} of the previous content; "
                                  "min_fraction = {}); the previous content is kept",
                                  items, previousItems, percent(limits.minFraction), limits.minFraction));
    }

    // 3. Replace the source's records in one transaction.
    SourceState applied{.id = config.id, .kind = config.kind, .url = config.url, .appliedAt = now};
    if (auto replaced = store.replaceSource(applied, feed.content); !replaced) {
        return finish(SyncResult::Failed, replaced.error().message);
    }
    status.appliedAt = now;
    status.itemCount = items;
    status.etag = download->etag;
    status.lastModified = download->lastModified;
    // A state that cannot be saved costs the next kiosk start a full fetch, nothing more; say so.
    std::string warning;
    if (source.catalogue) {
        if (auto kept = source.catalogue->keep(true); !kept) warning = kept.error().message;
    }
    return finish(SyncResult::Applied, std::move(warning));
}

FetchResult<SyncEngine::Download> SyncEngine::downloadFile(Source& source, const SourceState& status, std::size_t maxBytes)
{
    const SourceConfig& config = source.config;
    const auto failure = [](std::string message, int httpStatus = 0) {
        return std::unexpected(FetchFailure{.error = Error{ErrorCode::InvalidInput, std::move(message)}, .httpStatus = httpStatus});
    };
    HttpRequest request{.url = config.url,
                        .connectTimeout = m_options.connectTimeout,
                        .totalTimeout = m_options.totalTimeout,
                        .lowSpeedTime = m_options.lowSpeedTime,
                        .maxBytes = maxBytes,
                        .caBundle = m_options.defaults.caBundle,
                        .accept = std::string(source.adapter->accept()),
                        .cancel = &m_cancel};
    if (!status.etag.starts_with(kFingerprintPrefix)) request.etag = status.etag;
    request.lastModified = status.lastModified;
    auto response = m_parts->http.get(request);
    if (!response) {
        return std::unexpected(FetchFailure{.error = std::move(response.error().error),
                                            .httpStatus = response.error().status,
                                            .retryAfter = response.error().retryAfter});
    }
    const int httpStatus = response->status;
    const std::string where = displayUrl(config.url);
    if (response->notModified) {
        if (request.etag.empty() && request.lastModified.empty()) {
            return failure(fmt::format("{}: HTTP 304 Not Modified to a request that had nothing to compare with", where),
                           httpStatus);
        }
        return Download{.etag = response->etag, .httpStatus = httpStatus, .bytes = response->bytes};
    }
    // Servers without validators (and file://): identical bytes are not parsed or written again.
    std::string print = fingerprint(response->body);
    if (status.appliedAt && response->etag.empty() && status.etag == print) {
        return Download{.httpStatus = httpStatus, .bytes = response->bytes};
    }

    if (response->body.empty()) {
        return failure(fmt::format("{}: the server sent an empty response (HTTP {}); the previous content is kept", where,
                                   httpStatus), httpStatus);
    }
    if (response->contentType.starts_with("text/html")) {
        return failure(fmt::format("{}: the server sent a web page (text/html), not a {} feed (a login page or an "
                                   "error page?)", where, config.kind), httpStatus);
    }
    auto feed = source.adapter->parse(response->body, config);
    if (!feed) return failure(std::move(feed.error().message), httpStatus);
    return Download{.feed = std::move(*feed),
                    .etag = response->etag.empty() ? std::move(print) : response->etag,
                    .lastModified = response->lastModified,
                    .httpStatus = httpStatus,
                    .bytes = response->bytes};
}

FetchResult<SyncEngine::Download> SyncEngine::downloadCatalogue(Source& source, const SourceState& status, bool sameFeed,
                                                               std::size_t maxBytes, Instant now)
{
    const FetchPolicy policy{.firstRetryDelay = m_options.retryDelay,
                             .userAgent = m_options.userAgent,
                             .caBundle = m_options.defaults.caBundle,
                             .connectTimeout = m_options.connectTimeout,
                             .totalTimeout = m_options.totalTimeout,
                             .lowSpeedTime = m_options.lowSpeedTime,
                             .maxBytes = maxBytes,
                             .stop = &m_cancel};
    auto fetched = source.catalogue->fetch(m_parts->http, now, sameFeed ? status.appliedAt : std::nullopt, policy);
    if (!fetched) return std::unexpected(std::move(fetched.error()));
    return Download{.feed = std::move(fetched->feed), .httpStatus = fetched->stats.httpStatus, .bytes = fetched->stats.bytes};
}

void SyncEngine::writeStatus(Instant now)
{
    if (m_options.statusFile.empty()) return;
    auto states = m_parts->store.sources();
    if (!states) return;
    std::vector<SourceStatus> rows;
    const auto schedule = this->schedule();
    for (const auto& entry : schedule) {
        SourceStatus row;
        const auto it = std::find_if(states->begin(), states->end(), [&](const SourceState& s) { return s.id == entry.sourceId; });
        if (it != states->end()) row.state = *it;
        row.state.id = entry.sourceId;
        row.nextAttempt = entry.nextAttempt;
        row.failures = entry.failures;
        rows.push_back(std::move(row));
    }
    // A failed status write must not stop the sync; the cache holds the same status.
    (void)writeFileAtomically(m_options.statusFile, statusJson(rows, now, m_options.cacheStatus));
}

} // namespace kohtaamo
