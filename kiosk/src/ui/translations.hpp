#pragma once
// UI strings from assets/i18n/<lang>.toml. Loaded once at start-up; lookups never allocate unless
// a placeholder is filled. A key missing from a language falls back to Finnish, then to the key
// itself, so a gap shows up as visibly odd text rather than a blank.

#include "content/error.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kohtaamo {

class Translations {
public:
    /// Loads `<dir>/<lang>.toml` for each language; Finnish is required (it is the reference).
    /// A broken or missing non-Finnish table is reported in problems() and falls back to Finnish.
    [[nodiscard]] static Result<Translations> load(const std::filesystem::path& dir,
                                                   const std::vector<std::string>& languages);

    [[nodiscard]] std::string_view text(std::string_view language, std::string_view key) const;
    /// text() with {name} placeholders replaced.
    [[nodiscard]] std::string format(std::string_view language, std::string_view key,
                                     std::initializer_list<std::pair<std::string_view, std::string>> values) const;
    /// The language's own name for itself ("Suomi", "Svenska", "Українська").
    [[nodiscard]] std::string_view languageName(std::string_view language) const;
    [[nodiscard]] const std::vector<std::string>& languages() const { return m_languages; }
    /// Keys of the Finnish table that `language` lacks.
    [[nodiscard]] std::vector<std::string> missingKeys(std::string_view language) const;
    [[nodiscard]] const std::vector<std::string>& problems() const { return m_problems; }

private:
    using Table = std::map<std::string, std::string, std::less<>>;
    std::map<std::string, Table, std::less<>> m_tables;
    std::vector<std::string> m_languages;
    std::vector<std::string> m_problems;
};

} // namespace kohtaamo
