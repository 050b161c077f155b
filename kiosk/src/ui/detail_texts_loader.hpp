#pragma once
// The long texts of the open detail page. Snapshots leave descriptions and accessibility notes in
// the cache (they are most of a large region's text, and only an open page shows them), so the page
// asks the content service's worker for them and shows everything else until they arrive, a few
// milliseconds later. The frame never waits for the disk.

#include "kiosk_state.hpp"
#include "sync/content_service.hpp"

#include <cstdint>
#include <optional>

namespace kohtaamo {

/// Which record of the snapshot a detail page shows, or nothing when the snapshot lacks it.
[[nodiscard]] std::optional<RecordKey> recordKeyOf(const DetailTarget& target, const Snapshot& snapshot);

/// Asks for the open page's texts when the page or the content changes, and takes the answer
/// when it comes. Main thread only; the service must outlive it.
class DetailTextsLoader {
public:
    explicit DetailTextsLoader(ContentService& content) : m_content(content) {}

    /// Called at the start of every frame with what the detail screen shows (nothing: no detail
    /// page) and the snapshot the frame draws.
    void update(const std::optional<DetailTarget>& target, const Snapshot& snapshot, std::uint64_t generation);

    /// The open page's long texts: empty while they are read, or when the record has none. After
    /// new content they stay until the new ones arrive, so the page does not flicker.
    [[nodiscard]] const DetailTexts& texts() const { return m_texts; }
    /// True while an answer is awaited.
    [[nodiscard]] bool pending() const { return m_pending; }

private:
    ContentService& m_content;
    std::optional<RecordKey> m_key;
    std::uint64_t m_generation = 0;
    DetailTexts m_texts;
    bool m_pending = false;
};

} // namespace kohtaamo
