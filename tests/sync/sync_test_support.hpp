#pragma once
// Builders shared by the sync engine tests and the crash-test child: bundles of numbered events
// whose titles carry a version letter, and a temporary directory.

#include <fmt/format.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace kohtaamo::test {

/// A valid bundle with `events` weekly events "ev-0" … titled "<version> <n>" (e.g. "A 17").
inline std::string numberedBundle(std::string_view version, int events)
{
    std::string list;
    for (int i = 0; i < events; ++i) {
        list += fmt::format(R"({}{{"id": "ev-{}", "category": "peer_group", "title": {{"fi": "{} {}"}},
    "description": {{"fi": "Versio {} tapahtuma {}, vauvaryhmä ja perhekahvila"}},
    "schedule": {{"start": "2026-03-{:02}T09:30", "duration_minutes": 90, "rrule": "FREQ=WEEKLY;COUNT=10"}}}})",
                            i == 0 ? "" : ",\n  ", i, version, i, version, i, 1 + i % 28);
    }
    return fmt::format(R"({{"format": "kohtaamo-bundle", "version": 1, "events": [
  {}
]}})",
                       list);
}

inline void writeFile(const std::filesystem::path& file, std::string_view text)
{
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

inline std::string fileUrl(const std::filesystem::path& file) { return "file://" + file.string(); }

/// A fresh directory under the system temp dir, removed with the object.
class ScratchDir {
public:
    ScratchDir()
    {
        static std::atomic<int> counter{0};
        m_path = std::filesystem::temp_directory_path() /
                 fmt::format("kohtaamo-sync-{}-{}", ::getpid(), counter++);
        std::filesystem::remove_all(m_path);
        std::filesystem::create_directories(m_path);
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

} // namespace kohtaamo::test
