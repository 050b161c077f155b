#pragma once
// Builders and problem helpers shared by the bundle tests.

#include "content/bundle.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace doctest {
template <>
struct StringMaker<kohtaamo::BundleProblem> {
    static String convert(const kohtaamo::BundleProblem& problem) { return (problem.path + ": " + problem.message).c_str(); }
};
} // namespace doctest

namespace kohtaamo::test {


inline nlohmann::json minimalPlace(std::string id)
{
    return {{"id", std::move(id)}, {"kind", "library"}, {"name", {{"fi", "Kirjasto"}}}};
}

inline nlohmann::json minimalService(std::string id)
{
    return {{"id", std::move(id)}, {"category", "neuvola"}, {"name", {{"fi", "Neuvola"}}}};
}

inline nlohmann::json minimalEvent(std::string id)
{
    return {{"id", std::move(id)},
            {"category", "club"},
            {"title", {{"fi", "Satutunti"}}},
            {"schedule", {{"start", "2026-01-13T09:30"}}}};
}

inline nlohmann::json minimalAnnouncement(std::string id)
{
    return {{"id", std::move(id)}, {"title", {{"fi", "Tervetuloa"}}}};
}

inline nlohmann::json bundleJson()
{
    return {{"format", "kohtaamo-bundle"}, {"version", 1}};
}

inline std::vector<BundleProblem> problemsOfText(std::string_view text)
{
    auto result = readBundle(text, "test");
    REQUIRE_MESSAGE(!result.has_value(), "expected the bundle to be refused: " << text);
    return result.error();
}

inline std::vector<BundleProblem> problemsOf(const nlohmann::json& document) { return problemsOfText(document.dump()); }

// The one problem a bundle has; its path must be exact.
inline BundleProblem onlyProblem(const nlohmann::json& document)
{
    const auto problems = problemsOf(document);
    REQUIRE(problems.size() == 1);
    return problems.front();
}

inline std::string listOf(const std::vector<BundleProblem>& problems)
{
    std::string text;
    for (const auto& problem : problems) text += problem.path + ": " + problem.message + "\n";
    return text;
}

inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

} // namespace kohtaamo::test
