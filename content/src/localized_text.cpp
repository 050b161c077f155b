#include "content/localized_text.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <new>
#include <utility>
#include <optional>

namespace kohtaamo {
namespace {

// Finland's official languages first, then English: what in() tries after the reader's order.
constexpr std::array<std::string_view, 3> kLastResort{"fi", "sv", "en"};

struct Entry {
    std::string_view language;
    std::string_view text;
};

/// Reads the packed entries front to back.
class EntryReader {
public:
    explicit EntryReader(std::string_view packed) : m_rest(packed) {}

    std::optional<Entry> next()
    {
        if (m_rest.empty()) return std::nullopt;
        const auto languageLength = static_cast<unsigned char>(m_rest.front());
        const std::string_view language = m_rest.substr(1, languageLength);
        m_rest.remove_prefix(1 + languageLength);
        std::size_t textLength = 0;
        for (int shift = 0;; shift += 7) {
            const auto byte = static_cast<unsigned char>(m_rest.front());
            m_rest.remove_prefix(1);
            textLength |= static_cast<std::size_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) break;
        }
        const std::string_view text = m_rest.substr(0, textLength);
        m_rest.remove_prefix(textLength);
        return Entry{language, text};
    }

private:
    std::string_view m_rest;
};

std::vector<Entry> entriesOf(std::string_view packed)
{
    std::vector<Entry> entries;
    EntryReader reader(packed);
    while (auto entry = reader.next()) entries.push_back(*entry);
    return entries;
}

std::size_t lengthBytes(std::size_t length)
{
    std::size_t bytes = 1;
    while (length >= 0x80) length >>= 7, ++bytes;
    return bytes;
}

std::string pack(const std::vector<Entry>& entries)
{
    std::size_t size = 0;
    for (const Entry& entry : entries) size += 1 + entry.language.size() + lengthBytes(entry.text.size()) + entry.text.size();
    std::string packed;
    packed.reserve(size);
    for (const Entry& entry : entries) {
        packed += static_cast<char>(entry.language.size());
        packed += entry.language;
        std::size_t length = entry.text.size();
        while (length >= 0x80) {
            packed += static_cast<char>((length & 0x7f) | 0x80);
            length >>= 7;
        }
        packed += static_cast<char>(length);
        packed += entry.text;
    }
    return packed;
}

} // namespace

LocalizedText::LocalizedText(std::initializer_list<std::pair<const std::string, std::string>> texts)
{
    for (const auto& [language, text] : texts) set(language, text);
}

struct LocalizedText::Buffer {
    std::atomic<std::uint32_t> references{1};
    std::uint32_t size = 0;
    [[nodiscard]] char* entries() { return reinterpret_cast<char*>(this + 1); }
};

LocalizedText::LocalizedText(const LocalizedText& other) noexcept : m_buffer(other.m_buffer)
{
    if (m_buffer) m_buffer->references.fetch_add(1, std::memory_order_relaxed);
}

LocalizedText& LocalizedText::operator=(const LocalizedText& other) noexcept
{
    if (this == &other) return *this;
    if (other.m_buffer) other.m_buffer->references.fetch_add(1, std::memory_order_relaxed);
    release(std::exchange(m_buffer, other.m_buffer));
    return *this;
}

LocalizedText::LocalizedText(LocalizedText&& other) noexcept : m_buffer(std::exchange(other.m_buffer, nullptr)) {}

LocalizedText& LocalizedText::operator=(LocalizedText&& other) noexcept
{
    if (this != &other) release(std::exchange(m_buffer, std::exchange(other.m_buffer, nullptr)));
    return *this;
}

LocalizedText::~LocalizedText() { release(m_buffer); }

void LocalizedText::release(Buffer* buffer) noexcept
{
    if (!buffer || buffer->references.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    buffer->~Buffer();
    ::operator delete(buffer);
}

std::string_view LocalizedText::entries() const
{
    return m_buffer ? std::string_view(m_buffer->entries(), m_buffer->size) : std::string_view{};
}

void LocalizedText::assign(std::string_view entries)
{
    Buffer* buffer = nullptr;
    if (!entries.empty()) {
        // The entries follow the header in the same allocation.
        buffer = new (::operator new(sizeof(Buffer) + entries.size())) Buffer;
        buffer->size = static_cast<std::uint32_t>(entries.size());
        std::memcpy(buffer->entries(), entries.data(), entries.size());
    }
    release(std::exchange(m_buffer, buffer));
}

void SharedTexts::share(LocalizedText& text)
{
    if (text.empty()) return;
    auto [existing, inserted] = m_texts.insert(text);
    if (!inserted) text = *existing;
}

void LocalizedText::set(std::string_view language, std::string_view text)
{
    if (language.empty() || language.size() > kMaxLanguageLength) return;
    // The entries view the old buffer, which stays alive until the new one is built; so does
    // `text`, even when it is one of this object's own texts.
    std::vector<Entry> entries = entriesOf(this->entries());
    auto at = std::lower_bound(entries.begin(), entries.end(), language,
                               [](const Entry& entry, std::string_view code) { return entry.language < code; });
    const bool present = at != entries.end() && at->language == language;
    if (text.empty()) {
        if (!present) return;
        entries.erase(at);
    } else if (present) {
        at->text = text;
    } else {
        entries.insert(at, Entry{language, text});
    }
    assign(pack(entries));
}

std::string_view LocalizedText::exactly(std::string_view language) const
{
    EntryReader reader(entries());
    while (auto entry = reader.next()) {
        if (entry->language == language) return entry->text;
    }
    return {};
}

std::string_view LocalizedText::in(const LanguageOrder& order) const
{
    for (const auto& language : order) {
        if (auto text = exactly(language); !text.empty()) return text;
    }
    for (auto language : kLastResort) {
        if (auto text = exactly(language); !text.empty()) return text;
    }
    // Whatever was published, e.g. only Northern Sámi.
    auto first = EntryReader(entries()).next();
    return first ? first->text : std::string_view{};
}

std::string_view LocalizedText::in(std::string_view language) const
{
    return in(LanguageOrder{std::string(language)});
}

std::map<std::string, std::string, std::less<>> LocalizedText::all() const
{
    std::map<std::string, std::string, std::less<>> texts;
    EntryReader reader(entries());
    while (auto entry = reader.next()) texts.emplace(entry->language, entry->text);
    return texts;
}

void LocalizedText::keepOnly(std::span<const std::string> languages)
{
    std::vector<Entry> entries = entriesOf(this->entries());
    const auto listed = [&](std::string_view language) {
        return std::find(languages.begin(), languages.end(), language) != languages.end() ||
               std::find(kLastResort.begin(), kLastResort.end(), language) != kLastResort.end();
    };
    const bool hasLastResort = std::any_of(entries.begin(), entries.end(), [](const Entry& entry) {
        return std::find(kLastResort.begin(), kLastResort.end(), entry.language) != kLastResort.end();
    });
    std::vector<Entry> kept;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        // Without fi, sv or en, in() ends at the first entry: it stays, or a reader could see another text.
        if (listed(entries[i].language) || (i == 0 && !hasLastResort)) kept.push_back(entries[i]);
    }
    if (kept.size() != entries.size()) assign(pack(kept));
}

} // namespace kohtaamo
