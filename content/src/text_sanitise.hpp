#pragma once
// Text cleaning (control and bidi characters, trimming, code-point caps) and UTF-8 validation,
// shared by the bundle decoder and readBundle. Private to the content module.

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace kohtaamo::text_sanitise {

/// How a text is cleaned: titles are capped shorter, and only bodies keep their line breaks.
enum class TextKind { Title, Line, Body };

/// Decodes the code point at `pos` (which must be inside `text`) and advances past it; nullopt,
/// leaving `pos` where it was, for a malformed, overlong, surrogate or out-of-range sequence (the
/// same ones nlohmann's parser refuses).
[[nodiscard]] std::optional<char32_t> decodeUtf8(std::string_view text, std::size_t& pos);

/// C0 and C1 control characters, DEL included.
[[nodiscard]] bool isControl(char32_t c);

/// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
[[nodiscard]] bool isBidiControl(char32_t c);

/// Removes control and bidi characters (line breaks and tabs become spaces, or line breaks in a
/// body), trims spaces and caps the length in code points as bundle-format.md says. Returns the
/// cleaned text, or the byte offset of the first invalid UTF-8 sequence.
[[nodiscard]] std::expected<std::string, std::size_t> sanitise(std::string_view raw, TextKind kind);

} // namespace kohtaamo::text_sanitise
