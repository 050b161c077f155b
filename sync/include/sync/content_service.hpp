#pragma once
// The kiosk's background worker: it owns its own connection to the cache, builds snapshots off the
// UI thread (after content changes and when the day turns), and answers searches. The UI thread
// only ever takes the latest published snapshot or answer, without waiting.

#include "content/content_store.hpp"
#include "content/snapshot.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace kohtaamo {

using Clock = std::function<Instant()>;

/// Whether start() waits for the first snapshot. A kiosk shows its first frame at once (with an
/// empty "loading" snapshot) and the content a moment later; screenshots and benchmarks wait.
enum class FirstSnapshot { BeforeStartReturns, InBackground };

struct SearchAnswer {
    std::string query;
    std::vector<SearchHit> hits;
};

/// The long texts of one record, read from the cache for a detail page. Empty texts when the
/// record has none or is gone (lastError() then says why).
struct DetailTextsAnswer {
    RecordKey key;
    DetailTexts texts;
};

/// Thread-safe: every public method may be called from any thread. Stops (and joins) in stop() or
/// the destructor, within the time of one snapshot build.
class ContentService {
public:
    /// Opens a second connection to `cacheFile` for the worker. With BeforeStartReturns the first
    /// real snapshot is published before returning (and its failure is start()'s); with
    /// InBackground an empty snapshot (generation 0) is published at once and the real one follows.
    /// Snapshots hold the texts `texts` selects; requestDetailTexts() reads the rest.
    /// The worker looks at the clock at least every `clockCheck`: when the local day has changed
    /// (midnight, or the wall clock stepped either way) the snapshot is rebuilt for the new day.
    [[nodiscard]] static Result<std::unique_ptr<ContentService>> start(
        const std::filesystem::path& cacheFile, Clock clock, FirstSnapshot first = FirstSnapshot::BeforeStartReturns,
        TextSelection texts = {}, std::chrono::milliseconds clockCheck = std::chrono::minutes{1});
    ~ContentService();
    ContentService(const ContentService&) = delete;
    ContentService& operator=(const ContentService&) = delete;

    /// The latest snapshot; never null after start().
    [[nodiscard]] std::shared_ptr<const Snapshot> snapshot() const;
    /// Increases by one with every published snapshot; 0 while only the empty start-up one is there.
    [[nodiscard]] std::uint64_t generation() const { return m_generation.load(); }

    /// Rebuild the snapshot from the cache (after a sync applied new content).
    void requestRebuild();
    /// Asks for the sources' states to be read again (a sync that found nothing new still has a new
    /// last success): a snapshot with the same content and the new states, at next to no cost.
    /// A pending full rebuild covers it.
    void requestStatusRefresh();
    /// Search in the background; only the latest request is answered.
    void requestSearch(std::string query);
    /// The answer to the latest search, once, when it is ready.
    [[nodiscard]] std::optional<SearchAnswer> takeSearchAnswer();
    /// Read a record's long texts in the background (a detail page opened); only the latest
    /// request is answered. One indexed read: milliseconds, unless a snapshot build is under way.
    void requestDetailTexts(RecordKey key);
    /// The answer to the latest detail texts request, once, when it is ready.
    [[nodiscard]] std::optional<DetailTextsAnswer> takeDetailTexts();
    /// The last error of a rebuild or search (the previous snapshot stays published).
    [[nodiscard]] std::string lastError() const;
    /// Called on the worker thread after a new snapshot or any answer is ready, so an idle UI
    /// can wake up (the kiosk posts an SDL event). Set it once, right after start().
    void setOnReady(std::function<void()> onReady);
    void stop();

private:
    ContentService(ContentStore store, Clock clock, TextSelection texts, std::chrono::milliseconds clockCheck);
    void run();
    void rebuild();
    void refreshStatus();
    void loadDetailTexts(RecordKey key);
    static void returnFreedMemory();
    ContentStore m_store;
    Clock m_clock;
    const TextSelection m_texts;
    const std::chrono::milliseconds m_clockCheck;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::shared_ptr<const Snapshot> m_snapshot;
    std::atomic<std::uint64_t> m_generation{0};
    bool m_rebuildRequested = false;
    bool m_statusRefreshRequested = false;
    std::optional<std::string> m_searchRequest;
    std::optional<SearchAnswer> m_searchAnswer;
    std::optional<RecordKey> m_detailRequest;
    std::optional<DetailTextsAnswer> m_detailAnswer;
    std::string m_lastError;
    std::function<void()> m_onReady;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace kohtaamo
