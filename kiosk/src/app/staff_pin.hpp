#pragma once
// The staff PIN, kept in the config only as a salted SHA-256 ("sha256:SALT:HEX").

#include <string>
#include <string_view>

namespace kohtaamo {

/// A new "sha256:SALT:HEX" for `pin`, with a random salt.
[[nodiscard]] std::string hashPin(std::string_view pin);

/// True when `pin` matches `stored`; false for an empty or malformed hash. Constant-time compare.
[[nodiscard]] bool pinMatches(std::string_view stored, std::string_view pin);

} // namespace kohtaamo
