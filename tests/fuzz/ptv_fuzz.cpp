// PTV JSON (parsePtv): services and channels, several documents per input (see documentsOf), since
// services link to channels that arrive in other documents.

#include "fuzz_input.hpp"

#include "sync/ptv_adapter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // Any target group and any service class, so the mapping is reached for every service.
    static const kohtaamo::PtvOptions options{.targetGroups = {}, .serviceClasses = {}};
    (void)kohtaamo::parsePtv(kohtaamo::fuzz::documentsOf(data, size), options, "fuzz");
    return 0;
}
