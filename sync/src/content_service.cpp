#include "sync/content_service.hpp"

#include <malloc.h>

namespace kohtaamo {
namespace {

constexpr int kPageCacheKib = 512;

} // namespace

Result<std::unique_ptr<ContentService>> ContentService::start(const std::filesystem::path& cacheFile, Clock clock,
                                                             FirstSnapshot first, TextSelection texts,
                                                             std::chrono::milliseconds clockCheck)
{
    auto store = ContentStore::open(cacheFile);
    if (!store) return std::unexpected(store.error());
    // The kiosk lives in 60 MB: a quarter of SQLite's default page cache costs searches little.
    if (auto limited = store->limitPageCache(kPageCacheKib); !limited) return std::unexpected(limited.error());
    std::unique_ptr<ContentService> service(
        new ContentService(std::move(*store), std::move(clock), std::move(texts), clockCheck));
    if (first == FirstSnapshot::BeforeStartReturns) {
        service->rebuild();
        returnFreedMemory();
        if (!service->m_snapshot) return fail(ErrorCode::Database, service->lastError());
    } else {
        service->m_snapshot = Snapshot::build({}, {}, SnapshotWindow::around(service->m_clock()));
        service->m_rebuildRequested = true;
    }
    service->m_thread = std::thread([raw = service.get()] { raw->run(); });
    return service;
}

ContentService::ContentService(ContentStore store, Clock clock, TextSelection texts, std::chrono::milliseconds clockCheck)
    : m_store(std::move(store)), m_clock(std::move(clock)), m_texts(std::move(texts)), m_clockCheck(clockCheck)
{
}

ContentService::~ContentService() { stop(); }

std::shared_ptr<const Snapshot> ContentService::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

void ContentService::requestRebuild()
{
    {
        std::lock_guard lock(m_mutex);
        m_rebuildRequested = true;
    }
    m_wake.notify_one();
}

void ContentService::requestStatusRefresh()
{
    {
        std::lock_guard lock(m_mutex);
        m_statusRefreshRequested = true;
    }
    m_wake.notify_one();
}

void ContentService::requestSearch(std::string query)
{
    {
        std::lock_guard lock(m_mutex);
        m_searchRequest = std::move(query);
    }
    m_wake.notify_one();
}

std::optional<SearchAnswer> ContentService::takeSearchAnswer()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_searchAnswer, std::nullopt);
}

void ContentService::requestDetailTexts(RecordKey key)
{
    {
        std::lock_guard lock(m_mutex);
        m_detailRequest = std::move(key);
    }
    m_wake.notify_one();
}

std::optional<DetailTextsAnswer> ContentService::takeDetailTexts()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_detailAnswer, std::nullopt);
}

std::string ContentService::lastError() const
{
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void ContentService::setOnReady(std::function<void()> onReady)
{
    std::lock_guard lock(m_mutex);
    m_onReady = std::move(onReady);
}

void ContentService::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

void ContentService::rebuild()
{
    auto snapshot = m_store.buildSnapshot(SnapshotWindow::around(m_clock()), m_texts);
    std::lock_guard lock(m_mutex);
    if (!snapshot) {
        // The last good snapshot stays on screen; the error is shown to staff.
        m_lastError = snapshot.error().message;
        return;
    }
    m_snapshot = std::move(*snapshot);
    m_lastError.clear();
    ++m_generation;
}

void ContentService::refreshStatus()
{
    auto sources = m_store.sources();
    std::lock_guard lock(m_mutex);
    if (!sources) {
        m_lastError = sources.error().message;
        return;
    }
    m_snapshot = m_snapshot->withSources(std::move(*sources));
    ++m_generation;
}

void ContentService::returnFreedMemory()
{
    // Reading a large region parses 60 MB of JSON a record at a time; glibc keeps the freed pieces
    // in the heap, where they count as the kiosk's memory until something reuses them.
    ::malloc_trim(0);
}

void ContentService::loadDetailTexts(RecordKey key)
{
    auto texts = m_store.detailTexts(key);
    std::lock_guard lock(m_mutex);
    // Answered even when it failed, so the page stops waiting and shows what the snapshot has.
    if (!texts) m_lastError = texts.error().message;
    m_detailAnswer = DetailTextsAnswer{std::move(key), texts ? std::move(*texts) : DetailTexts{}};
}

void ContentService::run()
{
    while (true) {
        std::optional<std::string> search;
        std::optional<RecordKey> detail;
        bool rebuildNow = false;
        bool refreshNow = false;
        {
            std::unique_lock lock(m_mutex);
            // Wake at the next local midnight, or sooner to look at the clock: "today" and the
            // two-week window move on at midnight, and also when NTP steps the clock either way.
            const Instant now = m_clock();
            const LocalDate today = TimeZone::helsinki().localDate(now);
            const Instant midnight = TimeZone::helsinki().toInstant(LocalDateTime{today + date::days{1}});
            const auto untilMidnight = std::max<std::chrono::milliseconds>(std::chrono::seconds{1}, midnight - now);
            const bool woken = m_wake.wait_for(lock, std::min(untilMidnight, m_clockCheck), [&] {
                return m_stopping || m_rebuildRequested || m_statusRefreshRequested || m_searchRequest.has_value() ||
                       m_detailRequest.has_value();
            });
            if (m_stopping) return;
            search = std::exchange(m_searchRequest, std::nullopt);
            detail = std::exchange(m_detailRequest, std::nullopt);
            // New states on the empty start-up snapshot would pass for content: that takes a build.
            const bool statusChanged = std::exchange(m_statusRefreshRequested, false);
            rebuildNow = std::exchange(m_rebuildRequested, false) || (statusChanged && m_generation == 0) ||
                         (!woken && m_snapshot && m_snapshot->window().from != SnapshotWindow::around(m_clock()).from);
            refreshNow = statusChanged && !rebuildNow;
        }
        // A family is looking at the detail page: its texts go before a rebuild of everything.
        if (detail) loadDetailTexts(std::move(*detail));
        if (rebuildNow) {
            rebuild();
            returnFreedMemory();
        }
        if (refreshNow) refreshStatus();
        if (search) {
            auto hits = m_store.search(*search, 60);
            std::lock_guard lock(m_mutex);
            if (hits) m_searchAnswer = SearchAnswer{*search, std::move(*hits)};
            else m_lastError = hits.error().message;
        }
        std::function<void()> onReady;
        {
            std::lock_guard lock(m_mutex);
            onReady = m_onReady;
        }
        if ((rebuildNow || refreshNow || search || detail) && onReady) onReady();
    }
}

} // namespace kohtaamo
