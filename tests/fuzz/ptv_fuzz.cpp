// PTV JSON, both ways the sync reads it: as parsePtv maps kept records and fixtures (several documents
// per input, see documentsOf, since services link to channels that arrive in other documents), and
// as a fetch reads each detail answer with simdjson into the records it keeps (ptv_records.hpp).

#include "fuzz_input.hpp"
#include "ptv_records.hpp"

#include "sync/ptv_adapter.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // Any target group and any service class, so the mapping is reached for every service.
    static const kohtaamo::PtvOptions options{.targetGroups = {}, .serviceClasses = {}};
    const auto documents = kohtaamo::fuzz::documentsOf(data, size);
    (void)kohtaamo::parsePtv(documents, options, "fuzz");

    std::vector<std::string> kept;
    for (const auto document : documents) {
        for (const auto& items : {kohtaamo::ptv::keptServices(document, options), kohtaamo::ptv::keptChannels(document)}) {
            if (!items) continue;
            for (const auto& item : *items) {
                if (item.record) kept.push_back(item.record->dump());
            }
        }
    }
    (void)kohtaamo::parsePtv(std::vector<std::string_view>(kept.begin(), kept.end()), options, "fuzz");
    return 0;
}
