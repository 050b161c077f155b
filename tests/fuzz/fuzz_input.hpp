#pragma once
// What the fuzz targets share: libFuzzer's bytes as text, and as several documents.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kohtaamo::fuzz {

/// libFuzzer's input as text; the parsers take any bytes, valid UTF-8 or not.
[[nodiscard]] inline std::string_view textOf(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

/// Separates the documents of one input. An ASCII record separator can never occur in valid JSON
/// (not between tokens, and not raw inside a string), so a seed made by joining real documents with
/// it splits back into exactly those documents, and the mutator can still move bytes across.
inline constexpr char documentSeparator = '\x1e';

/// The input as the documents of one fetch (a PTV or Linked Events sync reads several pages).
[[nodiscard]] inline std::vector<std::string_view> documentsOf(const std::uint8_t* data, std::size_t size)
{
    std::vector<std::string_view> documents;
    std::string_view rest = textOf(data, size);
    for (std::size_t end = rest.find(documentSeparator); end != std::string_view::npos;
         end = rest.find(documentSeparator)) {
        documents.push_back(rest.substr(0, end));
        rest.remove_prefix(end + 1);
    }
    documents.push_back(rest);
    return documents;
}

} // namespace kohtaamo::fuzz
