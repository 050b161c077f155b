#pragma once
// Linked Events payloads for the flow tests and the sync engine's catalogue tests.

#include <nlohmann/json.hpp>

#include <string>

namespace kohtaamo::letest {

using json = nlohmann::json;

// A Linked Events event as the API lists it with include=location (only the keys the kiosk reads,
// plus a few it must ignore).
inline json event(std::string id, json start, json end, std::string status = "EventScheduled")
{
    return json{{"id", id},
                {"@id", "https://api.hel.fi/linkedevents/v1/event/" + id + "/"},
                {"@type", "Event/LinkedEvent"},
                {"name", {{"fi", "Vauvaryhmä " + id}, {"sv", "Babygrupp " + id}}},
                {"short_description", {{"fi", "Vauvaperheiden kohtaaminen."}}},
                {"description", {{"fi", "<p>Tervetuloa!</p>"}}},
                {"start_time", std::move(start)},
                {"end_time", std::move(end)},
                {"event_status", std::move(status)},
                {"location", {{"@id", "https://api.hel.fi/linkedevents/v1/place/tprek:8740/"}}},
                {"keywords", json::array({{{"@id", "https://api.hel.fi/linkedevents/v1/keyword/yso:p4354/"}}})},
                {"in_language", json::array({{{"@id", "https://api.hel.fi/linkedevents/v1/language/fi/"}}})},
                {"offers", json::array()},
                {"super_event", nullptr},
                {"super_event_type", nullptr},
                {"sub_events", json::array()},
                {"deleted", false},
                {"last_modified_time", "2026-03-01T10:00:00.123456Z"},
                {"images", json::array({{{"id", 1}, {"url", "http://example.com/x.jpg"}}})},
                {"videos", json::array()}};
}

inline json page(json data, json next = nullptr)
{
    return json{{"meta", {{"count", data.size()}, {"next", std::move(next)}, {"previous", nullptr}}}, {"data", std::move(data)}};
}

} // namespace kohtaamo::letest
