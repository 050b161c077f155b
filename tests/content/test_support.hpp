#pragma once
// Small builders shared by the content tests.

#include "content/model.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

namespace kohtaamo::test {

inline Instant at(std::string_view iso)
{
    auto instant = parseInstant(iso, TimeZone::helsinki());
    REQUIRE_MESSAGE(instant.has_value(), "bad test time " << iso);
    return *instant;
}

inline LocalDateTime local(std::string_view iso)
{
    auto value = parseLocalDateTime(iso);
    REQUIRE_MESSAGE(value.has_value(), "bad test local time " << iso);
    return *value;
}

inline LocalDate day(std::string_view iso)
{
    auto value = parseDate(iso);
    REQUIRE_MESSAGE(value.has_value(), "bad test date " << iso);
    return *value;
}

inline TimeOfDay hm(int hours, int minutes = 0) { return TimeOfDay{hours * 60 + minutes}; }

inline WeekdaySet days(std::initializer_list<int> isoWeekdays)
{
    WeekdaySet set = 0;
    for (int d : isoWeekdays) set |= static_cast<WeekdaySet>(1u << (d - 1));
    return set;
}

inline std::string iso(Instant t) { return formatIso(t, TimeZone::helsinki()); }

inline Event weeklyEvent(std::string id, std::string_view start, int minutes, std::string rrule)
{
    Event event;
    event.id = std::move(id);
    event.title = LocalizedText{{"fi", "Vauvaryhmä"}, {"sv", "Babygrupp"}, {"en", "Baby group"}};
    event.category = EventCategory::PeerGroup;
    event.schedule.start = local(start);
    event.schedule.duration = Minutes{minutes};
    event.schedule.rrule = std::move(rrule);
    return event;
}

/// A fresh directory under the system temp dir, removed with the object.
class TempDir {
public:
    TempDir()
    {
        std::random_device random;
        m_path = std::filesystem::temp_directory_path() / ("kohtaamo-test-" + std::to_string(random()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace kohtaamo::test
