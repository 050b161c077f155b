#pragma once
// Errors as values at module boundaries: every fallible public function returns Result<T>.

#include <expected>
#include <string>

namespace kohtaamo {

enum class ErrorCode {
    InvalidInput,   ///< malformed bundle, config, feed or argument
    NotFound,       ///< a file, zone or record that should exist does not
    Io,             ///< reading or writing a file failed (disk full, permissions)
    Database,       ///< SQLite reported an error (busy, corrupt, constraint)
    SchemaTooNew,   ///< the cache file was written by a newer Kohtaamo
    Network,        ///< transport failure (offline, timeout, TLS, HTTP status)
    LimitExceeded,  ///< a size, item or time limit was hit
};

/// A failure: a code to branch on and a sentence for people that names what failed and where.
struct Error {
    ErrorCode code = ErrorCode::InvalidInput;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected(Error{code, std::move(message)});
}

} // namespace kohtaamo
