// Linked Events JSON (parseLinkedEvents): list pages, event arrays or single events, several
// documents per input (see documentsOf), since a sync reads page after page.

#include "fuzz_input.hpp"

#include "sync/linkedevents_adapter.hpp"

namespace {

kohtaamo::LinkedEventsOptions fuzzOptions()
{
    kohtaamo::LinkedEventsOptions options;
    options.endpoint = "https://api.hel.fi/linkedevents/v1/event/";
    options.keywordCategories = {{"yso:p4354", kohtaamo::EventCategory::PeerGroup}};
    return options;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const kohtaamo::LinkedEventsOptions options = fuzzOptions();
    (void)kohtaamo::parseLinkedEvents(kohtaamo::fuzz::documentsOf(data, size), options, "fuzz");
    return 0;
}
