#pragma once
// Downloads for the sync engine, over libcurl: http(s) and file:// URLs, conditional GET,
// timeouts and size limits. One HttpClient per thread (it owns a curl easy handle).

#include "content/error.hpp"
#include "content/time.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace kohtaamo {

struct HttpRequest {
    std::string url;
    std::string etag;                 ///< sent as If-None-Match when not empty
    std::string lastModified;         ///< sent as If-Modified-Since when not empty
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds totalTimeout{60'000};
    std::chrono::milliseconds lowSpeedTime{20'000};   ///< abort when under 1 byte/s for this long
    std::size_t maxBytes = 32 * 1024 * 1024;
    std::string caBundle;             ///< empty: the system CA store; TLS is always verified
    std::string accept;               ///< Accept header, e.g. "application/json"
    /// When set, the transfer is abandoned within about 100 ms of it becoming true (a clean shutdown
    /// must not wait for a hanging server), failing with "cancelled"; the caller keeps it alive.
    const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
    int status = 0;                   ///< 200, 304, …; 0 for file://
    bool notModified = false;         ///< 304: nothing to do
    std::string body;                 ///< decompressed
    std::string etag;
    std::string lastModified;
    std::string contentType;
    std::optional<std::chrono::seconds> retryAfter;
    std::int64_t bytes = 0;           ///< bytes on the wire
    std::chrono::milliseconds duration{0};
};

/// A transport failure or an HTTP error status. `status` is the HTTP status when there was one.
struct HttpError {
    Error error;
    int status = 0;
    std::optional<std::chrono::seconds> retryAfter;   ///< from a 429 or 503
};

class HttpClient {
public:
    /// `userAgent` is sent on every request ("Kohtaamo/0.1.0 (+kiosk)"). Proxies come from the
    /// environment (http_proxy, https_proxy, no_proxy) as curl reads them.
    [[nodiscard]] static Result<HttpClient> create(std::string userAgent);
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;
    ~HttpClient();

    /// A complete download or an error; never a partial body. 2xx and 304 are successes; any other
    /// status, a timeout, a cut connection, an oversize body or a TLS failure is an HttpError
    /// whose message names the URL and what happened.
    [[nodiscard]] std::expected<HttpResponse, HttpError> get(const HttpRequest& request);

private:
    struct Impl;
    explicit HttpClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace kohtaamo
