#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// Language codes in the order to try them; e.g. {"sv", "fi", "en"} for a Swedish reader.
using LanguageOrder = std::vector<std::string>;

/// One user-facing text in several languages (fi, sv, en and any other BCP 47 code).
/// Reading never yields a blank while any language has text: see in().
class LocalizedText {
public:
    LocalizedText() = default;
    LocalizedText(std::initializer_list<std::pair<const std::string, std::string>> texts);

    /// Sets the text for `language`; an empty text removes that language.
    void set(std::string_view language, std::string text);
    /// The text in exactly `language`, or empty.
    [[nodiscard]] std::string_view exactly(std::string_view language) const;
    /// The first non-empty text in `order`, then fi, sv, en, then any language; empty only if all are.
    [[nodiscard]] std::string_view in(const LanguageOrder& order) const;
    [[nodiscard]] std::string_view in(std::string_view language) const;

    [[nodiscard]] bool empty() const { return m_texts.empty(); }
    [[nodiscard]] const std::map<std::string, std::string, std::less<>>& all() const { return m_texts; }
    bool operator==(const LocalizedText&) const = default;

private:
    std::map<std::string, std::string, std::less<>> m_texts;
};

} // namespace kohtaamo
