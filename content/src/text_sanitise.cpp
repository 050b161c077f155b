#include "text_sanitise.hpp"

namespace kohtaamo::text_sanitise {
namespace {

// Limits from bundle-format.md. Lengths are in code points, so a Finnish title is not cut short
// for its ä and ö.
constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxTextLength = 4000;

void trim(std::string& text)
{
    const auto first = text.find_first_not_of(" \n");
    if (first == std::string::npos) {
        text.clear();
        return;
    }
    text.erase(text.find_last_not_of(" \n") + 1);
    text.erase(0, first);
}

// `text` is valid UTF-8 here, so cutting before a lead byte never splits a sequence.
void capLength(std::string& text, std::size_t maxCodePoints)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && count++ == maxCodePoints) {
            text.resize(i);
            trim(text);
            return;
        }
    }
}

} // namespace

std::optional<char32_t> decodeUtf8(std::string_view text, std::size_t& pos)
{
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    std::size_t length = 0;
    char32_t codePoint = 0;
    char32_t smallest = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2, codePoint = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, codePoint = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, codePoint = lead & 0x07, smallest = 0x10000;
    } else {
        return std::nullopt;
    }
    if (pos + length > text.size()) return std::nullopt;
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0) != 0x80) return std::nullopt;
        codePoint = (codePoint << 6) | (next & 0x3F);
    }
    if (codePoint < smallest || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
        return std::nullopt;
    }
    pos += length;
    return codePoint;
}

bool isControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Bidi overrides and isolates can make a kiosk text read differently from what was published.
bool isBidiControl(char32_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }

std::expected<std::string, std::size_t> sanitise(std::string_view raw, TextKind kind)
{
    std::string out;
    out.reserve(raw.size());
    std::size_t pos = 0;
    while (pos < raw.size()) {
        const std::size_t start = pos;
        const auto codePoint = decodeUtf8(raw, pos);
        if (!codePoint) return std::unexpected(start);
        if (*codePoint == '\r' && pos < raw.size() && raw[pos] == '\n') continue;
        if (*codePoint == '\n' || *codePoint == '\r' || *codePoint == '\t') {
            // These separate words; dropping them outright would glue "Vauva\nryhmä" together.
            out += kind == TextKind::Body && *codePoint != '\t' ? '\n' : ' ';
            continue;
        }
        if (isControl(*codePoint) || isBidiControl(*codePoint)) continue;
        out.append(raw.substr(start, pos - start));
    }
    trim(out);
    capLength(out, kind == TextKind::Title ? kMaxTitleLength : kMaxTextLength);
    return out;
}

} // namespace kohtaamo::text_sanitise
