#pragma once
// The benchmark's result table: printed for people, written as JSON for tools and the README.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kohtaamo::bench {

enum class Central { Mean, Median };
enum class Outcome { Pass, Fail, Info, Skipped, NotMeasured, Error };

/// One line of the table. A value is compared with its limit when both are set; a row passes when
/// every limit it has is met.
struct Row {
    std::string step;
    std::string dataset;
    std::string unit = "ms";
    Central central = Central::Mean;
    std::optional<double> centralValue;
    std::optional<double> p99;
    std::optional<double> peakRssMb;
    std::optional<double> maxCentral;
    std::optional<double> maxP99;
    std::optional<double> maxRssMb;
    std::optional<Outcome> forced;   ///< Skipped, NotMeasured or Error: no judging
    std::string note;

    [[nodiscard]] Outcome outcome() const;
    [[nodiscard]] std::string target() const;
};

/// A row for something that could not be measured, with the reason in the note.
[[nodiscard]] Row unmeasuredRow(std::string step, std::string dataset, Outcome why, std::string note);

class Report {
public:
    void add(Row row) { m_rows.push_back(std::move(row)); }
    [[nodiscard]] const std::vector<Row>& rows() const { return m_rows; }
    [[nodiscard]] bool hasErrors() const;

    void printTable(std::ostream& out) const;
    [[nodiscard]] nlohmann::json toJson(const nlohmann::json& meta) const;

private:
    std::vector<Row> m_rows;
};

[[nodiscard]] std::string outcomeName(Outcome outcome);

}   // namespace kohtaamo::bench
