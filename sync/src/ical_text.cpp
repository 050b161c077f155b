#include "ical_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace kohtaamo {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Windows-1252 bytes 0x80–0x9F; the five unassigned ones keep their C1 code point, which the
// sanitiser drops later.
constexpr std::array<char32_t, 32> kWindows1252High{
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Decodes one UTF-8 sequence at `pos` (advancing it); nullopt for an invalid, overlong or
// surrogate sequence, after which `pos` has moved past the first byte.
std::optional<char32_t> nextCodePoint(std::string_view text, std::size_t& pos)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    int length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        ++pos;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2, cp = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, cp = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, cp = lead & 0x07, minimum = 0x10000;
    } else {
        ++pos;
        return std::nullopt;
    }
    if (pos + static_cast<std::size_t>(length) > text.size()) {
        ++pos;
        return std::nullopt;
    }
    for (int i = 1; i < length; ++i) {
        const unsigned char next = byte(pos + static_cast<std::size_t>(i));
        if ((next & 0xC0) != 0x80) {
            ++pos;
            return std::nullopt;
        }
        cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++pos;
        return std::nullopt;
    }
    pos += static_cast<std::size_t>(length);
    return cp;
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
           });
}

std::string upper(std::string_view text)
{
    std::string result(text);
    for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return result;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

struct LogicalLine {
    std::string text;
    int physicalLine = 0;
};

// Unfolds before any decoding: producers fold by octet count, sometimes inside a multi-byte
// UTF-8 sequence, so the two halves only make a character once joined.
std::vector<LogicalLine> unfold(std::string_view bytes)
{
    std::vector<LogicalLine> lines;
    int physical = 0;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        // CRLF, LF, or a lone CR (old Mac files; never valid inside a content line).
        std::size_t end = bytes.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view line = bytes.substr(pos, end - pos);
        pos = end + (bytes.substr(end).starts_with("\r\n") ? 2 : 1);
        ++physical;
        std::string clean;
        clean.reserve(line.size());
        // A NUL would end the C string libical reads.
        std::copy_if(line.begin(), line.end(), std::back_inserter(clean), [](char c) { return c != '\0'; });
        if ((clean.starts_with(' ') || clean.starts_with('\t')) && !lines.empty()) {
            lines.back().text.append(clean, 1);
        } else if (!trimmed(clean).empty()) {
            lines.push_back({std::move(clean), physical});
        }
    }
    return lines;
}

// Properties whose value is a date-time, where a ':' inside an unquoted TZID parameter
// ("TZID=Pacific Standard Time:" written with a trailing colon, Google's "TZID=GMT+05:30") makes
// libical drop the whole property. Date-time values never contain ':', so the value starts after
// the last one; the TZID is quoted, minus trailing colons.
void quoteTzidWithColon(std::string& line)
{
    const std::size_t nameEnd = line.find_first_of(";:");
    if (nameEnd == std::string::npos || line[nameEnd] != ';') return;
    static constexpr std::array<std::string_view, 6> kDateTimeProperties{"DTSTART", "DTEND",  "DUE",
                                                                         "EXDATE",  "RDATE", "RECURRENCE-ID"};
    const std::string name = upper(std::string_view(line).substr(0, nameEnd));
    if (std::find(kDateTimeProperties.begin(), kDateTimeProperties.end(), name) == kDateTimeProperties.end()) return;
    const std::size_t valueColon = line.rfind(':');
    if (valueColon == std::string::npos) return;
    // Only when what follows the last colon is a date-time (20260310, 20260310T093000Z, …).
    const std::string_view value = std::string_view(line).substr(valueColon + 1);
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (value.size() < 8 || !std::all_of(value.begin(), value.begin() + 8, isDigit)) return;
    const std::string params = upper(std::string_view(line).substr(0, valueColon));
    const std::size_t tzid = params.find(";TZID=");
    if (tzid == std::string::npos) return;
    const std::size_t begin = tzid + 6;
    if (begin < line.size() && line[begin] == '"') return;
    std::size_t end = line.find(';', begin);
    if (end == std::string::npos || end > valueColon) end = valueColon;
    std::string_view tzidValue = std::string_view(line).substr(begin, end - begin);
    if (tzidValue.find(':') == std::string_view::npos) return;
    while (tzidValue.ends_with(':')) tzidValue.remove_suffix(1);
    line = line.substr(0, begin) + '"' + std::string(tzidValue) + '"' + line.substr(end);
}

std::string quoted(std::string_view text)
{
    const std::string clean = sanitizeText(text, TextShape::SingleLine, 60);
    return fmt::format("\"{}\"", clean);
}

} // namespace

bool isValidUtf8(std::string_view bytes)
{
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        if (!nextCodePoint(bytes, pos)) return false;
    }
    return true;
}

std::string decodeWindows1252(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 4);
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80 && byte < 0xA0) {
            appendUtf8(out, kWindows1252High[byte - 0x80]);
        } else {
            appendUtf8(out, byte);
        }
    }
    return out;
}

Result<PreparedCalendar> prepareCalendarText(std::string_view bytes)
{
    if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
    std::vector<LogicalLine> lines = unfold(bytes);
    if (lines.empty()) return fail(ErrorCode::InvalidInput, "the feed is empty");

    PreparedCalendar prepared;
    int firstLatin1Line = 0;
    int latin1Lines = 0;
    for (auto& line : lines) {
        if (!isValidUtf8(line.text)) {
            line.text = decodeWindows1252(line.text);
            if (latin1Lines++ == 0) firstLatin1Line = line.physicalLine;
        }
    }
    if (latin1Lines > 0) {
        prepared.problems.push_back(
            {fmt::format("line {}", firstLatin1Line),
             fmt::format("{} line(s) were not UTF-8 and were read as Windows-1252", latin1Lines)});
    }

    const bool hasCalendar = std::any_of(lines.begin(), lines.end(), [](const LogicalLine& line) {
        return startsWithIgnoringCase(line.text, "BEGIN:") && upper(trimmed(line.text.substr(6))) == "VCALENDAR";
    });
    if (!hasCalendar) {
        return fail(ErrorCode::InvalidInput,
                    fmt::format("not an iCalendar feed: no BEGIN:VCALENDAR; line {} reads {}",
                                lines.front().physicalLine, quoted(lines.front().text)));
    }

    // Nesting is repaired here because libical gives up on the whole feed (returns nothing) when
    // one component lacks its END line.
    struct Open {
        std::string name;
        int line;
    };
    std::vector<Open> open;
    std::vector<std::string> out;
    int outsideLines = 0;
    int firstOutsideLine = 0;
    const auto closeUnended = [&](int atLine) {
        prepared.problems.push_back({fmt::format("line {}", open.back().line),
                                     fmt::format("BEGIN:{} has no END:{}; closed at line {}", open.back().name,
                                                 open.back().name, atLine)});
        out.push_back("END:" + open.back().name);
        open.pop_back();
    };
    for (auto& line : lines) {
        // libical takes any line named BEGIN or END as structure ("END;X=1", a bare "END") and
        // prints a warning when it does not fit; only "BEGIN:" and "END:" lines get through.
        const std::size_t nameEnd = std::min(line.text.find_first_of(";:"), line.text.size());
        const std::string property = upper(trimmed(std::string_view(line.text).substr(0, nameEnd)));
        const bool structural = property == "BEGIN" || property == "END";
        const std::string name = structural && nameEnd < line.text.size()
                                     ? upper(trimmed(std::string_view(line.text).substr(nameEnd + 1)))
                                     : std::string{};
        if (structural && (line.text[nameEnd] != ':' || name.empty())) {
            prepared.problems.push_back({fmt::format("line {}", line.physicalLine),
                                         fmt::format("malformed {} line ignored", property)});
            continue;
        }
        const bool isBegin = structural && property == "BEGIN";
        const bool isEnd = structural && property == "END";
        if (open.empty() && !(isBegin && name == "VCALENDAR")) {
            if (outsideLines++ == 0) firstOutsideLine = line.physicalLine;
            continue;
        }
        if (isBegin) {
            // Components of one kind never nest, so a second BEGIN:VEVENT means the first one's
            // END:VEVENT is missing.
            auto same = std::find_if(open.begin(), open.end(), [&](const Open& o) { return o.name == name; });
            const auto keep = static_cast<std::size_t>(same - open.begin());
            while (open.size() > keep) closeUnended(line.physicalLine);
            if (name == "VEVENT" && open.size() == 1) prepared.veventLines.push_back(line.physicalLine);
            open.push_back({name, line.physicalLine});
            out.push_back("BEGIN:" + name);
            continue;
        }
        if (isEnd) {
            auto match = std::find_if(open.rbegin(), open.rend(), [&](const Open& o) { return o.name == name; });
            if (match == open.rend()) {
                prepared.problems.push_back({fmt::format("line {}", line.physicalLine),
                                             fmt::format("END:{} without BEGIN:{}, ignored", name, name)});
                continue;
            }
            while (open.back().name != name) closeUnended(line.physicalLine);
            open.pop_back();
            out.push_back("END:" + name);
            continue;
        }
        quoteTzidWithColon(line.text);
        out.push_back(std::move(line.text));
    }
    if (open.size() > 1) {
        return fail(ErrorCode::InvalidInput,
                    fmt::format("the feed ends inside BEGIN:{} (line {}); it looks cut short", open.back().name,
                                open.back().line));
    }
    if (open.size() == 1) {
        prepared.problems.push_back({fmt::format("line {}", open.back().line),
                                     "no END:VCALENDAR at the end of the feed; the events read are kept"});
        out.emplace_back("END:VCALENDAR");
    }
    if (outsideLines > 0) {
        prepared.problems.push_back({fmt::format("line {}", firstOutsideLine),
                                     fmt::format("{} line(s) outside BEGIN:VCALENDAR…END:VCALENDAR ignored",
                                                 outsideLines)});
    }
    for (const auto& line : out) {
        prepared.text += line;
        prepared.text += "\r\n";
    }
    return prepared;
}

std::string sanitizeText(std::string_view text, TextShape shape, std::size_t maxCodePoints)
{
    std::u32string kept;
    kept.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto decoded = nextCodePoint(text, pos);
        if (!decoded) continue;
        char32_t cp = *decoded;
        if (cp == '\t' || (cp == '\n' && shape == TextShape::SingleLine)) cp = ' ';
        const bool control = (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F);
        const bool bidiOverride = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
        if (control || bidiOverride) continue;
        // No runs of spaces, no spaces at line ends, at most one empty line in a row.
        if (cp == ' ' && (kept.empty() || kept.back() == ' ' || kept.back() == '\n')) continue;
        if (cp == '\n') {
            while (!kept.empty() && kept.back() == ' ') kept.pop_back();
            if (kept.empty() || kept.ends_with(U"\n\n")) continue;
        }
        kept += cp;
    }
    while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\n')) kept.pop_back();
    if (kept.size() > maxCodePoints && maxCodePoints > 0) {
        kept.resize(maxCodePoints - 1);
        while (!kept.empty() && (kept.back() == ' ' || kept.back() == '\n')) kept.pop_back();
        kept += U'…';
    }
    std::string out;
    out.reserve(kept.size());
    for (char32_t cp : kept) appendUtf8(out, cp);
    return out;
}

} // namespace kohtaamo
