// Our content bundle (readBundle): what a `bundle` source downloads, and the demo region.
//
// Besides not crashing, a bundle that reads must survive its own round trip: writeBundle's output
// reads back to the same content (bundle.hpp promises it). A record the writer cannot express, or a
// sanitising step that is not idempotent, would otherwise only show up as a cache that no longer
// reads back.

#include "fuzz_input.hpp"

#include "content/bundle.hpp"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto content = kohtaamo::readBundle(kohtaamo::fuzz::textOf(data, size), "fuzz");
    if (!content)
        return 0;
    const std::string written = kohtaamo::writeBundle(*content);
    auto reread = kohtaamo::readBundle(written, "fuzz");
    if (!reread) {
        std::fprintf(stderr, "the written bundle does not read back: %s\n",
                     kohtaamo::bundleError("written", reread.error()).message.c_str());
        std::abort();
    }
    if (*reread != *content) {
        std::fprintf(stderr, "the written bundle reads back different content\n");
        std::abort();
    }
    return 0;
}
