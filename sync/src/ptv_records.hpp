#pragma once
// What a PTV source keeps of each service and channel: only what the mapping reads, taken straight
// out of a detail answer (list?guids=) parsed with simdjson. A large region's answers are 49 MB of
// JSON of which the mapping reads two thirds; building whole nlohmann documents of them first and
// trimming those cost the sync about a second. Private to the sync module.

#include "ptv_json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kohtaamo::ptv {

/// One item of a detail answer.
struct KeptItem {
    std::string id;                ///< empty when the item has none
    std::optional<json> record;    ///< trimmed to what the mapping reads; nullopt for a service that
                                   ///< is not a family service
};

/// The services of a list?guids= answer (a JSON array, or a page {"itemList": […]}; a null list is
/// empty), each trimmed, or nullopt when the answer is not JSON of that shape. Items that are not
/// objects are skipped.
[[nodiscard]] std::optional<std::vector<KeptItem>> keptServices(std::string_view answer, const PtvOptions& options);

/// The same for service channels; every channel is kept.
[[nodiscard]] std::optional<std::vector<KeptItem>> keptChannels(std::string_view answer);

/// The ids of the channels a (trimmed) service links to.
[[nodiscard]] std::vector<std::string> channelIdsOf(const json& service);

} // namespace kohtaamo::ptv
