#pragma once
// Reading PTV v11 JSON tolerantly (missing keys, nulls and wrong types read as empty), shared by
// the PTV mapping files. Private to the sync module.

#include "content/model.hpp"
#include "sync/ptv_adapter.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::ptv {

// Objects as vectors of members rather than trees: a large region's JSON parses, trims and is freed
// with far fewer allocations (the whole PTV sync takes ~15 % less CPU), and a record written out
// keeps the key order it came in.
using json = nlohmann::ordered_json;

/// The member `key` of `object`, or null when `object` is not an object or has no such member.
[[nodiscard]] const json& member(const json& object, std::string_view key);
/// The member as an array; an empty array for null, a missing key or another type.
[[nodiscard]] const json& array(const json& object, std::string_view key);
/// The member as a string; empty for anything else.
[[nodiscard]] std::string string(const json& object, std::string_view key);
/// The member as a bool; false for anything else.
[[nodiscard]] bool flag(const json& object, std::string_view key);

/// Which languages' texts are kept: all (empty list) or the listed ones. Texts in other languages
/// are dropped, and so are keys that are not language codes (the Swagger example's "string").
class LanguageFilter {
public:
    explicit LanguageFilter(std::vector<std::string> keep) : m_keep(std::move(keep)) {}
    [[nodiscard]] bool accepts(std::string_view language) const;
    [[nodiscard]] bool keepsAll() const { return m_keep.empty(); }

private:
    std::vector<std::string> m_keep;
};

/// A BCP 47 primary code as the bundle codec accepts it ("fi", "smn", "zh-hans").
[[nodiscard]] bool isLanguageCode(std::string_view code);

/// PTV's localized list [{"language", "value", "type"}] → text. With `type` set, only items of
/// that type; items with a null or blank value are skipped; several items in one language are
/// joined with `separator`.
[[nodiscard]] LocalizedText localized(const json& list, const LanguageFilter& languages, std::string_view type = {},
                                      std::string_view separator = "\n");

/// Appends `more` to `text` language by language, separated by `separator`.
void appendText(LocalizedText& text, const LocalizedText& more, std::string_view separator = "\n");

/// The date part of a PTV date ("2018-06-22T00:00:00", with or without an offset): local Finnish
/// dates, never shifted by the offset (PTV-4132).
[[nodiscard]] std::optional<LocalDate> localDate(const json& value);

/// Whether a service object counts as a family service (see isFamilyService).
[[nodiscard]] bool isFamily(const json& service, const PtvOptions& options);
/// The `code` of each item of the member `key` (targetGroups, serviceClasses).
[[nodiscard]] std::vector<std::string> codes(const json& service, std::string_view key);
/// Whether `code` is one of `wanted` or a subcode of one ("P3.6" of "P3", never "P30" of "P3").
[[nodiscard]] bool codeMatches(std::string_view code, const std::vector<std::string>& wanted);

/// `serviceHours[]` → opening hours. Entries that cannot be read are skipped, each described in
/// `problems` (without the channel id, which the caller adds).
[[nodiscard]] OpeningHours serviceHours(const json& list, const LanguageFilter& languages, std::vector<std::string>& problems);

/// Maps PTV items to content one at a time, in any order (what parsePtv does for whole documents),
/// so a fetch can map each item while it has it parsed rather than parse the kept records again.
class FeedBuilder {
public:
    FeedBuilder(const PtvOptions& options, std::string_view sourceId);
    ~FeedBuilder();
    FeedBuilder(const FeedBuilder&) = delete;
    FeedBuilder& operator=(const FeedBuilder&) = delete;

    /// A service or channel object (as GET /{id} gives it, or trimmed as the fetch state keeps it);
    /// `where` names it in a problem when it has no id. Anything else is skipped as a problem.
    void add(const json& item, std::string_view where);
    /// Everything added, linked (services to their places and contact channels) and conformed to
    /// the store's rules (conformToStore). Call once.
    [[nodiscard]] ParsedFeed finish();

private:
    class Mapper;
    std::unique_ptr<Mapper> m_mapper;
};

} // namespace kohtaamo::ptv
