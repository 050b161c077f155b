// The kiosk's TOML config (parseKioskConfig), and then each source's own settings as its adapter
// reads them, since those keys come from the same file.

#include "fuzz_input.hpp"

#include "sync/kiosk_config.hpp"
#include "sync/linkedevents_adapter.hpp"
#include "sync/ptv_adapter.hpp"
#include "sync/source_adapter.hpp"

#include <chrono>

namespace {

void readSourceSettings(const kohtaamo::SourceConfig& source)
{
    if (source.kind == "ical") {
        (void)kohtaamo::icalSettings(source);
    } else if (source.kind == "ptv") {
        (void)kohtaamo::ptvOptions(source);
    } else if (source.kind == "linkedevents") {
        if (auto options = kohtaamo::linkedEventsOptions(source)) {
            const kohtaamo::Instant start{std::chrono::sys_days{std::chrono::year{2026} / 3 / 10}};
            (void)kohtaamo::linkedEventsUrl(*options, start, start - std::chrono::hours{1});
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const kohtaamo::ConfigResult result = kohtaamo::parseKioskConfig(kohtaamo::fuzz::textOf(data, size), "fuzz.toml");
    for (const kohtaamo::SourceConfig& source : result.config.sources)
        readSourceSettings(source);
    return 0;
}
