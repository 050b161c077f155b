#pragma once
// What an adapter makes of a downloaded feed: content ready for ContentStore::replaceSource, plus
// the items it had to skip. A feed that cannot be used at all is an Error instead.

#include "content/error.hpp"
#include "content/model.hpp"

#include <string>
#include <vector>

namespace kohtaamo {

/// One item skipped or repaired while reading a feed, with where it is ("line 120, UID abc").
struct FeedProblem {
    std::string location;
    std::string message;
    bool operator==(const FeedProblem&) const = default;
};

struct ParsedFeed {
    SourceContent content;
    std::vector<FeedProblem> problems;
};

} // namespace kohtaamo
