#include "ptv_records.hpp"

#include <simdjson.h>

#include <initializer_list>

namespace kohtaamo::ptv {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// An array or object element's contents, copied out of the simdjson_result (value_unsafe() returns
// a reference into that temporary, which a range-for would keep using after it is gone). Only for
// an element of that type.
simdjson::dom::array itemsOf(element list)
{
    simdjson::dom::array items;
    [[maybe_unused]] const auto error = list.get_array().get(items);
    return items;
}

simdjson::dom::object membersOf(element object)
{
    simdjson::dom::object members;
    [[maybe_unused]] const auto error = object.get_object().get(members);
    return members;
}

// A whole subtree, as it is.
json toJson(element value)
{
    switch (value.type()) {
    case element_type::ARRAY: {
        json out = json::array();
        for (element item : itemsOf(value)) out.push_back(toJson(item));
        return out;
    }
    case element_type::OBJECT: {
        json out = json::object();
        for (const auto field : membersOf(value)) out[std::string(field.key)] = toJson(field.value);
        return out;
    }
    case element_type::STRING: return std::string(value.get_string().value_unsafe());
    case element_type::INT64: return value.get_int64().value_unsafe();
    case element_type::UINT64: return value.get_uint64().value_unsafe();
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    case element_type::BOOL: return value.get_bool().value_unsafe();
    case element_type::NULL_VALUE: break;
    }
    return nullptr;
}

// The member `key` of `item`; nullopt when absent, null, or when `item` is not an object.
std::optional<element> field(element item, std::string_view key)
{
    element value;
    if (!item.is_object() || item.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
    return value;
}

// The member `key` if it is a string; empty otherwise.
std::string_view text(element item, std::string_view key)
{
    const auto value = field(item, key);
    return value && value->is_string() ? value->get_string().value_unsafe() : std::string_view();
}

// The members `keys` of `item` that are present, as they are.
json pick(element item, std::initializer_list<std::string_view> keys)
{
    json out = json::object();
    for (auto key : keys) {
        if (const auto value = field(item, key)) out[std::string(key)] = toJson(*value);
    }
    return out;
}

// Each item of the list `key` (none when it is not a list), shaped by `trim`.
template <class Trim>
json trimList(element item, std::string_view key, const Trim& trim)
{
    json out = json::array();
    const auto list = field(item, key);
    if (!list || !list->is_array()) return out;
    for (element entry : itemsOf(*list)) out.push_back(trim(entry));
    return out;
}

json codes(element service, std::string_view key)
{
    return trimList(service, key, [](element item) { return pick(item, {"code"}); });
}

// The trimmed service, or nullopt when it is not a family service (decided on its codes first, so a
// service that is left out costs next to nothing).
std::optional<json> keptService(element service, const PtvOptions& options)
{
    json classified = json::object();
    classified["serviceClasses"] = codes(service, "serviceClasses");
    classified["targetGroups"] = codes(service, "targetGroups");
    if (!isFamily(classified, options)) return std::nullopt;
    json out = pick(service, {"id", "serviceNames", "languages", "serviceChargeType", "areaType", "modified"});
    json descriptions = json::array();
    if (const auto list = field(service, "serviceDescriptions"); list && list->is_array()) {
        for (element item : itemsOf(*list)) {
            const auto type = text(item, "type");
            if (type == "Summary" || type == "Description") descriptions.push_back(toJson(item));
        }
    }
    out["serviceDescriptions"] = std::move(descriptions);
    out["serviceClasses"] = std::move(classified["serviceClasses"]);
    out["targetGroups"] = std::move(classified["targetGroups"]);
    out["areas"] = trimList(service, "areas", [](element area) {
        json trimmed = pick(area, {"type", "code"});
        trimmed["municipalities"] = codes(area, "municipalities");
        return trimmed;
    });
    out["serviceChannels"] = trimList(service, "serviceChannels", [](element connection) {
        const auto channel = field(connection, "serviceChannel");
        const auto hours = field(connection, "serviceHours");
        return json{{"serviceChannel", channel ? pick(*channel, {"id"}) : json::object()},
                    {"serviceHours", hours && hours->is_array() ? toJson(*hours) : json::array()}};
    });
    out["organizations"] = trimList(service, "organizations", [](element organisation) {
        const auto organization = field(organisation, "organization");
        const auto role = field(organisation, "roleType");
        return json{{"organization", organization ? pick(*organization, {"id", "name"}) : json::object()},
                    {"roleType", role ? toJson(*role) : json()}};
    });
    return out;
}

json keptChannel(element channel)
{
    if (text(channel, "serviceChannelType") == "PrintableForm") return pick(channel, {"id", "serviceChannelType", "modified"});
    json out = pick(channel, {"id", "serviceChannelType", "serviceChannelNames", "displayNameType", "serviceChannelDescriptions",
                              "phoneNumbers", "supportPhones", "emails", "supportEmails", "webPages", "webPage", "urls",
                              "addresses", "serviceHours", "languages", "modified"});
    out["services"] = trimList(channel, "services", [](element connection) {
        const auto service = field(connection, "service");
        const auto hours = field(connection, "serviceHours");
        return json{{"service", service ? pick(*service, {"id"}) : json::object()},
                    {"serviceHours", hours && hours->is_array() ? toJson(*hours) : json::array()}};
    });
    return out;
}

// Each object item of an answer with its id, through `keep`.
template <class Keep>
std::optional<std::vector<KeptItem>> keptItems(std::string_view answer, const Keep& keep)
{
    // One parser per answer: the fetch's workers parse at the same time, and a parser kept for
    // later would hold on to the largest answer's buffers.
    simdjson::dom::parser parser;
    element document;
    if (parser.parse(answer.data(), answer.size()).get(document) != simdjson::SUCCESS) return std::nullopt;
    element list = document;
    if (document.is_object()) {
        if (document.at_key("itemList").get(list) != simdjson::SUCCESS || list.is_null()) return std::vector<KeptItem>();
    }
    if (!list.is_array()) return std::nullopt;
    std::vector<KeptItem> items;
    for (element item : itemsOf(list)) {
        if (!item.is_object()) continue;
        items.push_back(KeptItem{std::string(text(item, "id")), keep(item)});
    }
    return items;
}

} // namespace

std::optional<std::vector<KeptItem>> keptServices(std::string_view answer, const PtvOptions& options)
{
    return keptItems(answer, [&](element service) { return keptService(service, options); });
}

std::optional<std::vector<KeptItem>> keptChannels(std::string_view answer)
{
    return keptItems(answer, [](element channel) { return std::optional<json>(keptChannel(channel)); });
}

std::vector<std::string> channelIdsOf(const json& service)
{
    std::vector<std::string> ids;
    for (const auto& connection : array(service, "serviceChannels")) {
        if (auto id = string(member(connection, "serviceChannel"), "id"); !id.empty()) ids.push_back(std::move(id));
    }
    return ids;
}

} // namespace kohtaamo::ptv
