// iCalendar feeds of staff calendars (parseICalendar), with settings like a real `ical` source's.

#include "fuzz_input.hpp"

#include "sync/ical_adapter.hpp"

namespace {

kohtaamo::ICalSettings fuzzSettings()
{
    kohtaamo::ICalSettings settings;
    settings.sourceId = "fuzz";
    settings.placeId = "majakka";
    settings.languages = {"fi", "sv"};
    return settings;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const kohtaamo::ICalSettings settings = fuzzSettings();
    (void)kohtaamo::parseICalendar(kohtaamo::fuzz::textOf(data, size), settings);
    return 0;
}
