#pragma once
// A deterministic PTV v11-shaped region for the benchmark: services and channels as PTV's
// list?guids= returns them (every key of the real payloads in ../shared/fixtures/ptv/, texts in
// fi/sv/en, EPSG:3067 coordinates, hours with several blocks and exceptions), served by FakePtv.

#include <cstdint>
#include <string>

namespace kohtaamo::ptvtest {
class FakePtv;
}

namespace kohtaamo::bench {

struct PtvRegionSpec {
    std::uint64_t seed = 1;
    int familyServices = 0;   ///< KR1.2 / P3 / P5.2 / P28: these are what the kiosk keeps
    int otherServices = 0;    ///< in the area listing too, fetched and left out
    int places = 0;           ///< ServiceLocation channels the family services link to
    int phoneChannels = 0;
    int webChannels = 0;
    std::string municipality = "905";
};

/// What was served, for the row's note.
struct PtvRegionSummary {
    int services = 0;
    int channels = 0;
    int connections = 0;       ///< service–channel links, as the services list them
    int hourBlocks = 0;        ///< serviceHours entries on places and connections
    int exceptions = 0;        ///< of which Exceptional (holidays, closures, notes)
    double megabytes = 0;      ///< JSON of every item, as served
};

/// Generates the region (the same for the same spec) and puts every item into `server`.
PtvRegionSummary servePtvRegion(const PtvRegionSpec& spec, ptvtest::FakePtv& server);

}   // namespace kohtaamo::bench
