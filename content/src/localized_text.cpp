#include "content/localized_text.hpp"

#include <array>

namespace kohtaamo {

LocalizedText::LocalizedText(std::initializer_list<std::pair<const std::string, std::string>> texts)
{
    for (const auto& [language, text] : texts) set(language, text);
}

void LocalizedText::set(std::string_view language, std::string text)
{
    if (text.empty()) {
        if (auto it = m_texts.find(language); it != m_texts.end()) m_texts.erase(it);
        return;
    }
    m_texts.insert_or_assign(std::string(language), std::move(text));
}

std::string_view LocalizedText::exactly(std::string_view language) const
{
    auto it = m_texts.find(language);
    return it == m_texts.end() ? std::string_view{} : std::string_view{it->second};
}

std::string_view LocalizedText::in(const LanguageOrder& order) const
{
    for (const auto& language : order) {
        if (auto text = exactly(language); !text.empty()) return text;
    }
    // Finland's official languages first, then English, then whatever was published.
    static constexpr std::array<std::string_view, 3> kLastResort{"fi", "sv", "en"};
    for (auto language : kLastResort) {
        if (auto text = exactly(language); !text.empty()) return text;
    }
    return m_texts.empty() ? std::string_view{} : std::string_view{m_texts.begin()->second};
}

std::string_view LocalizedText::in(std::string_view language) const
{
    return in(LanguageOrder{std::string(language)});
}

} // namespace kohtaamo
