#pragma once
// A fault-injecting HTTP server for the sync tests: real HTTP/1.1 on 127.0.0.1 at an ephemeral port,
// served from its own threads (cpp-httplib), started by the constructor and stopped by the
// destructor. Each path answers with a scripted Response: a body with validators (and 304 for a
// matching If-None-Match / If-Modified-Since), a compressed body, an error status, a redirect, or a
// fault (hang, slow drip, connection cut mid-body). Every request is recorded with its headers.
//
//     FaultServer server;
//     server.route("/feed.json", Response{.body = "{}", .etag = "\"v1\""});
//     auto result = client.get({.url = server.url("/feed.json")});
//     CHECK(server.lastRequest()->header("If-None-Match") == std::nullopt);

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kohtaamo::test {

enum class Fault {
    None,
    Hang,        ///< hold the request for `stall` before answering (the client should time out first)
    SlowDrip,    ///< send the headers and `faultAfterBytes` bytes of the body, then stall for `stall`
    CutMidBody,  ///< announce the whole Content-Length, send `faultAfterBytes` bytes, close the connection
};

enum class Encoding {
    Identity,
    Gzip,        ///< Content-Encoding: gzip (zlib's deflate with a gzip wrapper)
    Deflate,     ///< Content-Encoding: deflate (zlib's compress)
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// What one path answers. An aggregate: build it with designated initializers or the helpers.
struct Response {
    int status = 200;
    std::string body;                    ///< before encoding
    std::string contentType = "application/json";
    HeaderList headers;                  ///< extra headers; a Location starting with "/" is made absolute
    std::string etag;                    ///< sent as ETag; an equal If-None-Match is answered with 304
    std::string lastModified;            ///< sent as Last-Modified; an equal If-Modified-Since gets 304
    Encoding encoding = Encoding::Identity;
    Fault fault = Fault::None;
    std::size_t faultAfterBytes = 0;     ///< SlowDrip / CutMidBody: bytes of the (encoded) body sent first
    /// Hang / SlowDrip: how long the server holds on. The destructor cuts it short, so a long stall
    /// costs no test time.
    std::chrono::milliseconds stall{10'000};

    /// An error status with a short text body, and Retry-After when `retryAfter` is not empty.
    [[nodiscard]] static Response error(int status, std::string retryAfter = {});
    /// A redirect to `location` (a path on this server or an absolute URL).
    [[nodiscard]] static Response redirect(std::string location, int status = 302);
};

/// One request as the server saw it.
struct RecordedRequest {
    std::string method;
    std::string path;
    std::string target;   ///< the path with its query string, as sent
    HeaderList headers;
    int remotePort = 0;   ///< the client's side of the connection: equal ports mean a reused connection

    /// The value of the header named `name` (case-insensitive), or nullopt when it was not sent.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// The server. Routes can be changed while it runs; all members are thread-safe. A path without a
/// route answers 404. Construction throws std::runtime_error when no loopback port can be bound.
/// It also makes sure loopback requests bypass any proxy configured in the environment (no_proxy).
/// Destroy clients before the server: an idle keep-alive connection delays the stop by up to 1 s.
class FaultServer {
public:
    FaultServer();
    ~FaultServer();
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    /// Sets (or replaces) what `path` answers, e.g. "/feed.json".
    void route(std::string path, Response response);
    /// Sets (or replaces) what requests for `path` that carry the query parameter `parameter` answer,
    /// ahead of the path's own route: e.g. the empty change list of an API asked
    /// "?last_modified_since=…" while the path's route holds the full listing.
    void routeWithParameter(std::string path, std::string parameter, Response response);

    [[nodiscard]] int port() const;
    /// "http://127.0.0.1:<port><path>".
    [[nodiscard]] std::string url(std::string_view path) const;

    [[nodiscard]] std::vector<RecordedRequest> requests() const;
    [[nodiscard]] std::optional<RecordedRequest> lastRequest() const;
    /// How many requests asked for `path`.
    [[nodiscard]] std::size_t hits(std::string_view path) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A loopback port that refuses connections for as long as this object lives: bound, never listening.
class RefusingPort {
public:
    RefusingPort();   ///< throws std::runtime_error when no port can be bound
    ~RefusingPort();
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string url(std::string_view path) const;

private:
    int m_socket = -1;
    int m_port = 0;
};

} // namespace kohtaamo::test
