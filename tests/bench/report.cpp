#include "report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace kohtaamo::bench {
namespace {

std::string number(double value)
{
    if (value >= 100) return fmt::format("{:.0f}", value);
    if (value >= 10) return fmt::format("{:.1f}", value);
    return fmt::format("{:.2f}", value);
}

std::string withUnit(const std::optional<double>& value, const std::string& unit)
{
    if (!value) return "-";
    return unit == "%" ? number(*value) + " %" : number(*value) + " " + unit;
}

nlohmann::json optionalNumber(const std::optional<double>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}   // namespace

std::string outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Pass:
        return "pass";
    case Outcome::Fail:
        return "FAIL";
    case Outcome::Info:
        return "info";
    case Outcome::Skipped:
        return "skipped";
    case Outcome::NotMeasured:
        return "not measured yet";
    case Outcome::Error:
        return "ERROR";
    }
    return "?";
}

Outcome Row::outcome() const
{
    if (forced) return *forced;
    bool judged = false;
    bool failed = false;
    const auto judge = [&](const std::optional<double>& value, const std::optional<double>& limit) {
        if (!limit) return;
        judged = true;
        failed = failed || !value || *value >= *limit;
    };
    judge(centralValue, maxCentral);
    judge(p99, maxP99);
    judge(peakRssMb, maxRssMb);
    if (!judged) return Outcome::Info;
    return failed ? Outcome::Fail : Outcome::Pass;
}

std::string Row::target() const
{
    std::vector<std::string> parts;
    if (maxCentral) {
        parts.push_back(
            fmt::format("{} < {}", central == Central::Median ? "median" : "mean", withUnit(maxCentral, unit)));
    }
    if (maxP99) parts.push_back(fmt::format("p99 < {}", withUnit(maxP99, unit)));
    if (maxRssMb) parts.push_back(fmt::format("RSS < {} MB", number(*maxRssMb)));
    return parts.empty() ? "-" : fmt::format("{}", fmt::join(parts, ", "));
}

Row unmeasuredRow(std::string step, std::string dataset, Outcome why, std::string note)
{
    Row row;
    row.step = std::move(step);
    row.dataset = std::move(dataset);
    row.forced = why;
    row.note = std::move(note);
    return row;
}

bool Report::hasErrors() const
{
    return std::any_of(m_rows.begin(), m_rows.end(), [](const Row& row) { return row.outcome() == Outcome::Error; });
}

void Report::printTable(std::ostream& out) const
{
    using Line = std::array<std::string, 8>;
    std::vector<Line> lines{{"step", "data", "mean / median", "p99", "peak RSS", "target", "result", "note"}};
    for (const Row& row : m_rows) {
        std::string central = withUnit(row.centralValue, row.unit);
        if (row.centralValue && row.central == Central::Median) central += " med";
        lines.push_back({row.step, row.dataset, central, withUnit(row.p99, row.unit),
                         row.peakRssMb ? number(*row.peakRssMb) + " MB" : "-", row.target(), outcomeName(row.outcome()),
                         row.note});
    }
    std::array<std::size_t, 8> widths{};
    for (const Line& line : lines) {
        for (std::size_t i = 0; i + 1 < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
    }
    for (std::size_t index = 0; index < lines.size(); ++index) {
        const Line& line = lines[index];
        std::string text;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const bool numeric = i >= 2 && i <= 4;
            if (i + 1 == line.size())
                text += line[i];
            else if (numeric)
                text += fmt::format("{:>{}}  ", line[i], widths[i]);
            else
                text += fmt::format("{:<{}}  ", line[i], widths[i]);
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
        if (index == 0) {
            std::size_t width = 0;
            for (std::size_t i = 0; i + 1 < widths.size(); ++i) width += widths[i] + 2;
            out << std::string(width + 4, '-') << '\n';
        }
    }
    out << "med = median of repeated runs (each in its own process); p99 = 99th percentile of per-frame or per-query "
           "samples.\n";
}

nlohmann::json Report::toJson(const nlohmann::json& meta) const
{
    nlohmann::json rows = nlohmann::json::array();
    for (const Row& row : m_rows) {
        rows.push_back({
            {"step", row.step},
            {"dataset", row.dataset},
            {"unit", row.unit},
            {row.central == Central::Median ? "median" : "mean", optionalNumber(row.centralValue)},
            {"p99", optionalNumber(row.p99)},
            {"peak_rss_mb", optionalNumber(row.peakRssMb)},
            {"target", row.target()},
            {"limits",
             {{row.central == Central::Median ? "median" : "mean", optionalNumber(row.maxCentral)},
              {"p99", optionalNumber(row.maxP99)},
              {"peak_rss_mb", optionalNumber(row.maxRssMb)}}},
            {"result", outcomeName(row.outcome())},
            {"note", row.note},
        });
    }
    nlohmann::json result = meta;
    result["rows"] = std::move(rows);
    return result;
}

}   // namespace kohtaamo::bench
