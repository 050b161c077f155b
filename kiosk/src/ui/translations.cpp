#include "translations.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

namespace kohtaamo {
namespace {

void flatten(const toml::table& table, const std::string& prefix, std::map<std::string, std::string, std::less<>>& out)
{
    for (const auto& [key, node] : table) {
        const std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* child = node.as_table()) flatten(*child, path, out);
        else if (auto value = node.value<std::string>()) out.emplace(path, *value);
    }
}

} // namespace

Result<Translations> Translations::load(const std::filesystem::path& dir, const std::vector<std::string>& languages)
{
    Translations result;
    for (const auto& language : languages) {
        const auto file = dir / (language + ".toml");
        try {
            auto table = toml::parse_file(file.string());
            Table flat;
            flatten(table, "", flat);
            result.m_tables.emplace(language, std::move(flat));
            result.m_languages.push_back(language);
        } catch (const toml::parse_error& error) {
            const auto message = fmt::format("{}:{}: {}", file.string(), error.source().begin.line, error.description());
            if (language == "fi") return fail(ErrorCode::InvalidInput, message);
            result.m_problems.push_back(message);
        }
    }
    if (!result.m_tables.contains("fi")) {
        return fail(ErrorCode::NotFound, fmt::format("{}: the Finnish UI strings (fi.toml) are required", dir.string()));
    }
    for (const auto& language : result.m_languages) {
        for (const auto& key : result.missingKeys(language)) {
            result.m_problems.push_back(fmt::format("{}.toml lacks \"{}\"; Finnish is shown", language, key));
        }
    }
    return result;
}

std::string_view Translations::text(std::string_view language, std::string_view key) const
{
    for (std::string_view candidate : {language, std::string_view("fi")}) {
        if (auto table = m_tables.find(candidate); table != m_tables.end()) {
            if (auto entry = table->second.find(key); entry != table->second.end()) return entry->second;
        }
    }
    return key;
}

std::string Translations::format(std::string_view language, std::string_view key,
                                 std::initializer_list<std::pair<std::string_view, std::string>> values) const
{
    std::string text(this->text(language, key));
    for (const auto& [name, value] : values) {
        const std::string placeholder = fmt::format("{{{}}}", name);
        for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size())) {
            text.replace(at, placeholder.size(), value);
        }
    }
    return text;
}

std::string_view Translations::languageName(std::string_view language) const
{
    return text(language, "language_name");
}

std::vector<std::string> Translations::missingKeys(std::string_view language) const
{
    std::vector<std::string> missing;
    const auto reference = m_tables.find("fi");
    const auto table = m_tables.find(language);
    if (reference == m_tables.end()) return missing;
    for (const auto& [key, text] : reference->second) {
        if (table == m_tables.end() || !table->second.contains(key)) missing.push_back(key);
    }
    return missing;
}

} // namespace kohtaamo
