#pragma once
// The PTV region the flow tests and the sync engine's catalogue tests serve with FakePtv: family
// services (one in another municipality), other services, places, a phone and a web page channel.

#include "fake_ptv.hpp"
#include "ptv_test_support.hpp"

#include <fmt/format.h>

namespace kohtaamo::ptvtest {

inline std::string guid(char kind, int number) { return fmt::format("{}0000000-0000-4000-8000-{:012}", kind, number); }

constexpr int kFamilyServices = 150;
constexpr int kOtherServices = 1000;
constexpr int kPlaces = 40;

inline json familyService(int i)
{
    json service = templateJson("service_family.json");
    service["id"] = guid('a', i);
    service["serviceNames"][0]["value"] = fmt::format("Lastenneuvola {}", i);
    json connections = json::array();
    connections.push_back({{"serviceChannel", {{"id", guid('c', i % kPlaces)}, {"name", "Neuvola"}}},
                           {"serviceHours", i == 1 ? json::parse(R"([{"serviceHourType": "DaysOfTheWeek", "validFrom": null,
                               "validTo": null, "isClosed": false, "validForNow": true, "additionalInformation": [],
                               "openingHour": [{"dayFrom": "Tuesday", "dayTo": "", "from": "9:30:00", "to": "11:30:00"}]}])")
                                                   : json::array()}});
    if (i < 10) {
        connections.push_back({{"serviceChannel", {{"id", guid('p', 0)}}}, {"serviceHours", json::array()}});
        connections.push_back({{"serviceChannel", {{"id", guid('w', 0)}}}, {"serviceHours", json::array()}});
    }
    if (i == 0) connections.push_back({{"serviceChannel", {{"id", guid('c', 999)}}}});   // never published
    service["serviceChannels"] = std::move(connections);
    return service;
}

inline json placeChannel(int i)
{
    json channel = templateJson("channel_servicelocation.json");
    channel["id"] = guid('c', i);
    channel["serviceChannelNames"][0]["value"] = fmt::format("Perhekeskus {}", i);
    return channel;
}

inline void fillRegion(FakePtv& server)
{
    for (int i = 0; i < kFamilyServices; ++i) server.putService(familyService(i));
    for (int i = 0; i < kOtherServices; ++i) {
        json other = templateJson("service_other.json");
        other["id"] = guid('b', i);
        server.putService(std::move(other));
    }
    json elsewhere = familyService(500);   // a family service in another municipality
    server.putService(std::move(elsewhere), false);
    for (int i = 0; i < kPlaces; ++i) server.putChannel(placeChannel(i));
    json phone = templateJson("channel_phone.json");
    phone["id"] = guid('p', 0);
    server.putChannel(std::move(phone));
    json web = templateJson("channel_webpage.json");
    web["id"] = guid('w', 0);
    server.putChannel(std::move(web));
    server.listWithNullName(guid('d', 1));
}

} // namespace kohtaamo::ptvtest
