#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo {

/// Language codes in the order to try them; e.g. {"sv", "fi", "en"} for a Swedish reader.
using LanguageOrder = std::vector<std::string>;

/// One user-facing text in several languages (fi, sv, en and any other BCP 47 code).
/// Reading never yields a blank while any language has text: see in().
///
/// Every language's text lives in one packed buffer, sorted by language code, behind one pointer:
/// 8 bytes and one allocation per text (none when empty) instead of a map node and a string per
/// language, because a large region's snapshot holds some 100,000 of these. The views exactly()
/// and in() return stay valid until the text is next changed.
class LocalizedText {
public:
    /// Language codes longer than this are not stored (BCP 47 codes are far shorter).
    static constexpr std::size_t kMaxLanguageLength = 255;

    LocalizedText() = default;
    LocalizedText(std::initializer_list<std::pair<const std::string, std::string>> texts);
    LocalizedText(const LocalizedText& other);
    LocalizedText& operator=(const LocalizedText& other);
    LocalizedText(LocalizedText&&) noexcept = default;
    LocalizedText& operator=(LocalizedText&&) noexcept = default;

    /// Sets the text for `language`; an empty text removes that language.
    void set(std::string_view language, std::string_view text);
    /// The text in exactly `language`, or empty.
    [[nodiscard]] std::string_view exactly(std::string_view language) const;
    /// The first non-empty text in `order`, then fi, sv, en, then any language; empty only if all are.
    [[nodiscard]] std::string_view in(const LanguageOrder& order) const;
    [[nodiscard]] std::string_view in(std::string_view language) const;

    [[nodiscard]] bool empty() const { return m_packed == nullptr; }
    /// Every language's text, by language code. A copy, for adapters and encoders; readers that
    /// run every frame use exactly() and in().
    [[nodiscard]] std::map<std::string, std::string, std::less<>> all() const;

    /// Drops the languages not in `languages` (fi, sv and en, the last resort of in(), always
    /// stay). When none of those has text, the language in() would fall back to stays too, so
    /// in() reads the same as before for any order made of kept languages.
    void keepOnly(std::span<const std::string> languages);

    bool operator==(const LocalizedText& other) const { return entries() == other.entries(); }

private:
    /// The packed entries: [language length: 1 byte][language][text length: LEB128][text], sorted
    /// by language.
    [[nodiscard]] std::string_view entries() const;
    void assign(std::string_view entries);

    /// Null when empty; else the entries' size (4 bytes, native order), then the entries.
    std::unique_ptr<char[]> m_packed;
};

} // namespace kohtaamo
