#pragma once
// The cache's schema as ordered migrations. The file's PRAGMA user_version is the number of
// migrations applied; opening runs the missing ones, each in its own transaction.

#include <span>
#include <string_view>

namespace kohtaamo::schema {

/// Migration i (0-based) takes a file from version i to version i + 1.
[[nodiscard]] std::span<const std::string_view> migrations();

[[nodiscard]] inline int currentVersion() { return static_cast<int>(migrations().size()); }

} // namespace kohtaamo::schema
