#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace kohtaamo {

/// Language codes in the order to try them; e.g. {"sv", "fi", "en"} for a Swedish reader.
using LanguageOrder = std::vector<std::string>;

/// One user-facing text in several languages (fi, sv, en and any other BCP 47 code).
/// Reading never yields a blank while any language has text: see in().
///
/// Every language's text lives in one packed, immutable buffer, sorted by language code, behind one
/// pointer: 8 bytes and at most one allocation per text instead of a map node and a string per
/// language, because a large region's snapshot holds some 100,000 of these. Copies share the buffer
/// (reference counted, safe across threads like std::shared_ptr; a change makes a new buffer), so
/// SharedTexts can make equal texts one. The views exactly() and in() return stay valid until this
/// object is next changed.
class LocalizedText {
public:
    /// Language codes longer than this are not stored (BCP 47 codes are far shorter).
    static constexpr std::size_t kMaxLanguageLength = 255;

    LocalizedText() = default;
    LocalizedText(std::initializer_list<std::pair<const std::string, std::string>> texts);
    LocalizedText(const LocalizedText& other) noexcept;
    LocalizedText& operator=(const LocalizedText& other) noexcept;
    LocalizedText(LocalizedText&& other) noexcept;
    LocalizedText& operator=(LocalizedText&& other) noexcept;
    ~LocalizedText();

    /// Sets the text for `language`; an empty text removes that language.
    void set(std::string_view language, std::string_view text);
    /// The text in exactly `language`, or empty.
    [[nodiscard]] std::string_view exactly(std::string_view language) const;
    /// The first non-empty text in `order`, then fi, sv, en, then any language; empty only if all are.
    [[nodiscard]] std::string_view in(const LanguageOrder& order) const;
    [[nodiscard]] std::string_view in(std::string_view language) const;

    [[nodiscard]] bool empty() const { return m_buffer == nullptr; }
    /// Every language's text, by language code. A copy, for adapters and encoders; readers that
    /// run every frame use exactly() and in().
    [[nodiscard]] std::map<std::string, std::string, std::less<>> all() const;

    /// Drops the languages not in `languages` (fi, sv and en, the last resort of in(), always
    /// stay). When none of those has text, the language in() would fall back to stays too, so
    /// in() reads the same as before for any order made of kept languages.
    void keepOnly(std::span<const std::string> languages);

    bool operator==(const LocalizedText& other) const { return entries() == other.entries(); }
    [[nodiscard]] std::size_t hash() const { return std::hash<std::string_view>{}(entries()); }

private:
    struct Buffer;   ///< a reference count, the entries' size, then the entries
    /// The packed entries: [language length: 1 byte][language][text length: LEB128][text], sorted
    /// by language.
    [[nodiscard]] std::string_view entries() const;
    void assign(std::string_view entries);
    static void release(Buffer* buffer) noexcept;

    Buffer* m_buffer = nullptr;   ///< null when empty
};

/// Makes equal texts share one buffer while a snapshot is read. A large region repeats a few
/// thousand texts (cities, rooms, the names of recurring groups, holiday notes) tens of thousands
/// of times; in the generated large region 90 % of the text bytes were repeats. Holds a reference
/// to each distinct text until it is destroyed.
class SharedTexts {
public:
    /// Points `text` at the equal text seen before, if any.
    void share(LocalizedText& text);

private:
    struct Hash {
        std::size_t operator()(const LocalizedText& text) const { return text.hash(); }
    };
    std::unordered_set<LocalizedText, Hash> m_texts;
};

} // namespace kohtaamo
