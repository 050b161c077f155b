#pragma once
// Per-record JSON codec shared by the bundle reader/writer and the SQLite store, which keeps each
// record as its bundle JSON (one format, one decoder). Private to the content module.

#include "content/bundle.hpp"

#include <nlohmann/json.hpp>

namespace kohtaamo::bundle_codec {

[[nodiscard]] nlohmann::json encode(const Place& place);
[[nodiscard]] nlohmann::json encode(const Service& service);
[[nodiscard]] nlohmann::json encode(const Event& event);
[[nodiscard]] nlohmann::json encode(const Announcement& announcement);

/// Decoders for a single record; problems are appended with paths below `path`
/// (e.g. "$.places[3]"). The returned record is only meaningful when no problem was added.
/// Cross-record checks (unique ids, references to places) are readBundle's job.
[[nodiscard]] Place decodePlace(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems);
[[nodiscard]] Service decodeService(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems);
[[nodiscard]] Event decodeEvent(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems);
[[nodiscard]] Announcement decodeAnnouncement(const nlohmann::json& object, const std::string& path, std::vector<BundleProblem>& problems);

} // namespace kohtaamo::bundle_codec
