// The crash test's victim: applies two versions of one source, A and B, in turn to a cache file,
// for ever, through the real sync engine (download, parse, rails, one transaction, status, and for
// ptv and linkedevents the saved fetch state). crash_safety_test kills it with SIGKILL at random
// points and checks the cache.
//
//     apply_child CACHE_FILE KIND URL_A URL_B FIRST    (KIND bundle, ical, ptv, linkedevents;
//                                                       FIRST 1: start with B)
//
// It writes one byte to stdout after each round, so the test can time its kills within a round.

#include "sync/sync_engine.hpp"

#include <unistd.h>

#include <cstdio>

using namespace kohtaamo;

int main(int argc, char** argv)
{
    if (argc != 6) {
        std::fprintf(stderr, "usage: apply_child CACHE_FILE KIND URL_A URL_B FIRST\n");
        return 2;
    }
    const std::filesystem::path cache = argv[1];
    const std::string kind = argv[2];
    const std::string urls[2] = {argv[3], argv[4]};
    for (unsigned round = argv[5][0] == '1' ? 1 : 0;; ++round) {
        // A new engine per round: its source's URL changes, so every round is a full apply (and
        // opening the cache, with its migration check, is inside the kill window too).
        SourceConfig source{.id = "s", .kind = kind, .url = urls[round % 2]};
        if (kind == "ptv") source.settings["municipalities"] = "905";
        SyncEngineOptions options{.cacheFile = cache, .sources = {source}};
        options.defaults.minFraction = 0;
        auto engine = SyncEngine::create(std::move(options));
        if (!engine) {
            std::fprintf(stderr, "apply_child: %s\n", engine.error().message.c_str());
            return 1;
        }
        const auto outcomes = (*engine)->syncAll(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
        // NotModified: the cache already holds this round's bundle (the previous child died after applying it).
        if (outcomes.size() != 1 || !outcomes.front().ok()) {
            std::fprintf(stderr, "apply_child: %s\n", outcomes.empty() ? "no outcome" : outcomes.front().error.c_str());
            return 1;
        }
        if (::write(STDOUT_FILENO, ".", 1) != 1) return 1;
    }
}
