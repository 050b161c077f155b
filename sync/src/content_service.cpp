#include "sync/content_service.hpp"

namespace kohtaamo {

Result<std::unique_ptr<ContentService>> ContentService::start(const std::filesystem::path& cacheFile, Clock clock,
                                                             FirstSnapshot first, std::chrono::milliseconds clockCheck)
{
    auto store = ContentStore::open(cacheFile);
    if (!store) return std::unexpected(store.error());
    std::unique_ptr<ContentService> service(new ContentService(std::move(*store), std::move(clock), clockCheck));
    if (first == FirstSnapshot::BeforeStartReturns) {
        service->rebuild();
        if (!service->m_snapshot) return fail(ErrorCode::Database, service->lastError());
    } else {
        service->m_snapshot = Snapshot::build({}, {}, SnapshotWindow::around(service->m_clock()));
        service->m_rebuildRequested = true;
    }
    service->m_thread = std::thread([raw = service.get()] { raw->run(); });
    return service;
}

ContentService::ContentService(ContentStore store, Clock clock, std::chrono::milliseconds clockCheck)
    : m_store(std::move(store)), m_clock(std::move(clock)), m_clockCheck(clockCheck)
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
    auto snapshot = m_store.buildSnapshot(SnapshotWindow::around(m_clock()));
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

void ContentService::run()
{
    while (true) {
        std::optional<std::string> search;
        bool rebuildNow = false;
        {
            std::unique_lock lock(m_mutex);
            // Wake at the next local midnight, or sooner to look at the clock: "today" and the
            // two-week window move on at midnight, and also when NTP steps the clock either way.
            const Instant now = m_clock();
            const LocalDate today = TimeZone::helsinki().localDate(now);
            const Instant midnight = TimeZone::helsinki().toInstant(LocalDateTime{today + date::days{1}});
            const auto untilMidnight = std::max<std::chrono::milliseconds>(std::chrono::seconds{1}, midnight - now);
            const bool woken = m_wake.wait_for(lock, std::min(untilMidnight, m_clockCheck), [&] {
                return m_stopping || m_rebuildRequested || m_searchRequest.has_value();
            });
            if (m_stopping) return;
            search = std::exchange(m_searchRequest, std::nullopt);
            rebuildNow = std::exchange(m_rebuildRequested, false) ||
                         (!woken && m_snapshot && m_snapshot->window().from != SnapshotWindow::around(m_clock()).from);
        }
        if (rebuildNow) rebuild();
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
        if ((rebuildNow || search) && onReady) onReady();
    }
}

} // namespace kohtaamo
