// Tolerant readers for PTV JSON, and which services count as family services.

#include "ptv_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace kohtaamo::ptv {

const json& member(const json& object, std::string_view key)
{
    static const json null;
    if (!object.is_object()) return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

const json& array(const json& object, std::string_view key)
{
    static const json empty = json::array();
    const json& value = member(object, key);
    return value.is_array() ? value : empty;
}

std::string string(const json& object, std::string_view key)
{
    const json& value = member(object, key);
    return value.is_string() ? value.get<std::string>() : std::string();
}

bool flag(const json& object, std::string_view key)
{
    const json& value = member(object, key);
    return value.is_boolean() && value.get<bool>();
}

bool isLanguageCode(std::string_view code)
{
    std::size_t pos = 0;
    while (pos < code.size() && code[pos] >= 'a' && code[pos] <= 'z') ++pos;
    if (pos < 2 || pos > 3) return false;
    while (pos < code.size()) {
        if (code[pos] != '-' && code[pos] != '_') return false;
        const auto subtag = ++pos;
        while (pos < code.size() && std::isalnum(static_cast<unsigned char>(code[pos]))) ++pos;
        if (pos == subtag || pos - subtag > 8) return false;
    }
    return true;
}

bool LanguageFilter::accepts(std::string_view language) const
{
    if (!isLanguageCode(language)) return false;
    return m_keep.empty() || std::find(m_keep.begin(), m_keep.end(), language) != m_keep.end();
}

namespace {
bool isBlank(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}
} // namespace

LocalizedText localized(const json& list, const LanguageFilter& languages, std::string_view type, std::string_view separator)
{
    LocalizedText text;
    if (!list.is_array()) return text;
    for (const auto& item : list) {
        if (!type.empty() && string(item, "type") != type) continue;
        const auto language = string(item, "language");
        const auto value = string(item, "value");
        if (!languages.accepts(language) || isBlank(value)) continue;
        const auto existing = text.exactly(language);
        text.set(language, existing.empty() ? value : fmt::format("{}{}{}", existing, separator, value));
    }
    return text;
}

void appendText(LocalizedText& text, const LocalizedText& more, std::string_view separator)
{
    for (const auto& [language, value] : more.all()) {
        const auto existing = text.exactly(language);
        if (existing == value) continue;
        text.set(language, existing.empty() ? value : fmt::format("{}{}{}", existing, separator, value));
    }
}

std::optional<LocalDate> localDate(const json& value)
{
    if (!value.is_string()) return std::nullopt;
    const auto text = value.get<std::string>();
    return parseDate(std::string_view(text).substr(0, 10));
}

bool codeMatches(std::string_view code, const std::vector<std::string>& wanted)
{
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& prefix) {
        return code == prefix || (code.size() > prefix.size() && code.starts_with(prefix) && code[prefix.size()] == '.');
    });
}

std::vector<std::string> codes(const json& service, std::string_view key)
{
    std::vector<std::string> result;
    for (const auto& item : array(service, key)) {
        if (auto code = string(item, "code"); !code.empty()) result.push_back(std::move(code));
    }
    return result;
}

bool isFamily(const json& service, const PtvOptions& options)
{
    if (options.targetGroups.empty() && options.serviceClasses.empty()) return true;
    const auto matchesAny = [](const std::vector<std::string>& found, const std::vector<std::string>& wanted) {
        return std::any_of(found.begin(), found.end(), [&](const std::string& code) { return codeMatches(code, wanted); });
    };
    return matchesAny(codes(service, "targetGroups"), options.targetGroups) ||
           matchesAny(codes(service, "serviceClasses"), options.serviceClasses);
}

} // namespace kohtaamo::ptv
