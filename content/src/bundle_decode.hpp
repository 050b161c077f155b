#pragma once
// The field readers behind the bundle_codec decoders, shared by bundle_decode.cpp (records and
// their fields) and bundle_decode_schedule.cpp (opening hours, dates and schedules). Private to the
// content module.

#include "bundle_codec.hpp"
#include "text_sanitise.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::bundle_codec {

using text_sanitise::TextKind;

// Shared with the encoder (bundle_encode.cpp), which writes what the decoder reads.
/// The bundle's weekday keys, Monday first: key i is bit i of a WeekdaySet.
inline constexpr std::array<std::string_view, 7> kWeekdayKeys{"mo", "tu", "we", "th", "fr", "sa", "su"};
/// An instant as the bundle writes it (bundle_encode.cpp); the decoder quotes it in problems.
[[nodiscard]] std::string formatInstant(Instant instant);

inline constexpr std::string_view kExpectHours = R"(an hours object such as {"weekly": […]})";

enum class Need { Optional, Required };
/// Which spellings a schedule value accepts: all-day series take dates, the rest date-times.
enum class DateForm { DateTime, Date, DateOrDateTime };

/// A string as JSON shows it, shortened so one bad value cannot flood the problem list.
[[nodiscard]] std::string quote(std::string_view text);
/// `path.key`, or `path["odd key"]` for keys that are not plain names.
[[nodiscard]] std::string member(const std::string& path, std::string_view key);
/// `path[index]`.
[[nodiscard]] std::string element(const std::string& path, std::size_t index);

/// The keys of every value of `Enum`, comma-separated, for "expected one of …".
template <class Enum>
std::string keyList()
{
    std::string list;
    for (int i = 0;; ++i) {
        const auto key = toKey(static_cast<Enum>(i));
        if (key.empty()) return list;
        list += list.empty() ? "" : ", ";
        list += key;
    }
}

/// Reads JSON values into the model, appending a problem for everything that is wrong and carrying
/// on, so one pass over a bundle reports all of its problems. Holds a reference to the problem
/// list, which must outlive it.
class Decoder {
public:
    explicit Decoder(std::vector<BundleProblem>& problems) : m_problems(problems) {}

    void problem(std::string path, std::string message) { m_problems.push_back({std::move(path), std::move(message)}); }
    [[nodiscard]] std::size_t problemCount() const { return m_problems.size(); }

    void wrongType(const std::string& path, std::string_view expected, const nlohmann::json& value);
    bool isObject(const nlohmann::json& value, const std::string& path, std::string_view expected);
    /// The value at `key`, or nullptr when it is absent or null (a problem if it is required).
    const nlohmann::json* lookup(const nlohmann::json& object, std::string_view key, const std::string& path, Need need,
                                 std::string_view expected);

    template <class Fn>
    void eachItem(const nlohmann::json& object, std::string_view key, const std::string& path, Fn&& fn)
    {
        const nlohmann::json* list = lookup(object, key, path, Need::Optional, "a list");
        if (!list) return;
        const auto listPath = member(path, key);
        if (!list->is_array()) {
            wrongType(listPath, "a list", *list);
            return;
        }
        for (std::size_t i = 0; i < list->size(); ++i) fn((*list)[i], element(listPath, i));
    }

    std::optional<std::string> stringValue(const nlohmann::json& value, const std::string& path, std::string_view expected);
    void invalidUtf8(const std::string& path, std::string_view text, std::size_t offset);
    std::optional<std::string> idValue(const nlohmann::json& value, const std::string& path);
    std::optional<std::string> idField(const nlohmann::json& object, std::string_view key, const std::string& path, Need need);
    LocalizedText textValue(const nlohmann::json& value, const std::string& path, TextKind kind);
    LocalizedText textField(const nlohmann::json& object, std::string_view key, const std::string& path, TextKind kind,
                            Need need);
    /// A single-line string such as a phone number, cleaned like a title.
    std::optional<std::string> plainField(const nlohmann::json& object, std::string_view key, const std::string& path);
    std::optional<std::string> urlField(const nlohmann::json& object, std::string_view key, const std::string& path);
    std::optional<Instant> instantField(const nlohmann::json& object, std::string_view key, const std::string& path);

    template <class Enum>
    std::optional<Enum> enumField(const nlohmann::json& object, std::string_view key, const std::string& path,
                                  std::string_view what, Need need)
    {
        const auto expected = fmt::format("{} (one of {})", what, keyList<Enum>());
        const nlohmann::json* value = lookup(object, key, path, need, expected);
        if (!value) return std::nullopt;
        const auto text = stringValue(*value, member(path, key), expected);
        if (!text) return std::nullopt;
        auto result = fromKey<Enum>(*text);
        if (!result) {
            problem(member(path, key), fmt::format("{} is not {} (expected one of {})", quote(*text), what, keyList<Enum>()));
        }
        return result;
    }

    std::optional<bool> booleanField(const nlohmann::json& object, std::string_view key, const std::string& path);
    std::optional<std::int64_t> integerValue(const nlohmann::json& value, const std::string& path, std::int64_t min,
                                             std::int64_t max);
    std::optional<std::int64_t> integerField(const nlohmann::json& object, std::string_view key, const std::string& path,
                                             std::int64_t min, std::int64_t max);
    std::optional<double> coordinateField(const nlohmann::json& object, std::string_view key, const std::string& path,
                                          double limit);
    std::vector<std::string> languagesField(const nlohmann::json& object, const std::string& path);
    Address addressValue(const nlohmann::json& value, const std::string& path);
    std::optional<GeoPoint> locationValue(const nlohmann::json& value, const std::string& path);
    Contact contactValue(const nlohmann::json& value, const std::string& path);
    Audience audienceValue(const nlohmann::json& value, const std::string& path);
    Cost costValue(const nlohmann::json& value, const std::string& path);

    // Hours, dates and schedules: bundle_decode_schedule.cpp.
    std::optional<LocalDate> dateValue(const nlohmann::json& value, const std::string& path);
    std::optional<LocalDate> dateField(const nlohmann::json& object, std::string_view key, const std::string& path, Need need);
    std::optional<TimeOfDay> timeField(const nlohmann::json& object, std::string_view key, const std::string& path);
    std::optional<LocalDateTime> localDateTimeValue(const nlohmann::json& value, const std::string& path, DateForm form);
    std::optional<WeekdaySet> weekdaysField(const nlohmann::json& object, const std::string& path);
    OpeningHours hoursValue(const nlohmann::json& value, const std::string& path);
    Schedule scheduleValue(const nlohmann::json& value, const std::string& path);

private:
    std::optional<LocalDate> checkedRange(const nlohmann::json& item, const std::string& path, std::optional<LocalDate> from);
    void readDuration(const nlohmann::json& object, const std::string& path, LocalDateTime start, bool startValid, bool allDay,
                      std::optional<Minutes>& duration);

    std::vector<BundleProblem>& m_problems;
};

} // namespace kohtaamo::bundle_codec
