#include "fault_server.hpp"

#include <httplib.h>
#include <zlib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace kohtaamo::test {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
        return std::tolower(x) == std::tolower(y);
    });
}

std::string loopbackUrl(int port, std::string_view path)
{
    return "http://127.0.0.1:" + std::to_string(port) + std::string(path);
}

// Gzip needs deflate with a gzip wrapper (window bits 15 + 16); compress() only writes the zlib
// wrapper, which is what HTTP calls "deflate".
std::string gzipped(std::string_view data)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END) throw std::runtime_error("gzip compression failed");
    return out;
}

std::string deflated(std::string_view data)
{
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    std::string out(size, '\0');
    if (compress(reinterpret_cast<Bytef*>(out.data()), &size,
                 reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size())) != Z_OK)
        throw std::runtime_error("zlib compress failed");
    out.resize(size);
    return out;
}

std::string encoded(const Response& response)
{
    switch (response.encoding) {
    case Encoding::Gzip: return gzipped(response.body);
    case Encoding::Deflate: return deflated(response.body);
    case Encoding::Identity: break;
    }
    return response.body;
}

// A conditional request names the validator the client holds; If-None-Match wins when both are sent.
bool isNotModified(const httplib::Request& request, const Response& response)
{
    if (request.has_header("If-None-Match"))
        return !response.etag.empty() && request.get_header_value("If-None-Match") == response.etag;
    return request.has_header("If-Modified-Since") && !response.lastModified.empty()
        && request.get_header_value("If-Modified-Since") == response.lastModified;
}

} // namespace

Response Response::error(int status, std::string retryAfter)
{
    Response response{.status = status, .body = "error " + std::to_string(status) + "\n",
                      .contentType = "text/plain; charset=utf-8"};
    if (!retryAfter.empty()) response.headers.emplace_back("Retry-After", std::move(retryAfter));
    return response;
}

Response Response::redirect(std::string location, int status)
{
    return Response{.status = status, .contentType = "text/plain; charset=utf-8",
                    .headers = {{"Location", std::move(location)}}};
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const
{
    for (const auto& [key, value] : headers)
        if (equalsIgnoringCase(key, name)) return value;
    return std::nullopt;
}

struct FaultServer::Impl {
    httplib::Server server;
    int port = 0;
    std::thread thread;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::map<std::string, Response, std::less<>> routes;
    std::map<std::pair<std::string, std::string>, Response> parameterRoutes;   // (path, query parameter)
    std::vector<RecordedRequest> log;

    // Waits up to `duration`, or less when the server is stopping.
    void stall(std::chrono::milliseconds duration)
    {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, duration, [this] { return stopping; });
    }

    std::optional<Response> record(const httplib::Request& request)
    {
        RecordedRequest seen{.method = request.method, .path = request.path, .target = request.target,
                             .remotePort = request.remote_port};
        for (const auto& [key, value] : request.headers) {
            // httplib adds these itself; they were not on the wire.
            if (key == "REMOTE_ADDR" || key == "REMOTE_PORT" || key == "LOCAL_ADDR" || key == "LOCAL_PORT")
                continue;
            seen.headers.emplace_back(key, value);
        }
        std::lock_guard lock(mutex);
        log.push_back(std::move(seen));
        for (const auto& [key, response] : parameterRoutes) {
            if (key.first == request.path && request.has_param(key.second)) return response;
        }
        const auto found = routes.find(request.path);
        if (found == routes.end()) return std::nullopt;
        return found->second;
    }

    void handle(const httplib::Request& request, httplib::Response& out)
    {
        const std::optional<Response> route = record(request);
        if (!route) {
            out.status = 404;
            out.set_content("no route for " + request.path + "\n", "text/plain; charset=utf-8");
            return;
        }
        if (route->fault == Fault::Hang) stall(route->stall);

        if (!route->etag.empty()) out.set_header("ETag", route->etag);
        if (!route->lastModified.empty()) out.set_header("Last-Modified", route->lastModified);
        if (isNotModified(request, *route)) {
            out.status = 304;
            return;
        }

        out.status = route->status;
        for (const auto& [key, value] : route->headers) {
            const bool relativeLocation = equalsIgnoringCase(key, "Location") && value.starts_with('/');
            out.set_header(key, relativeLocation ? loopbackUrl(port, value) : value);
        }
        if (route->encoding != Encoding::Identity)
            out.set_header("Content-Encoding", route->encoding == Encoding::Gzip ? "gzip" : "deflate");

        auto body = std::make_shared<const std::string>(encoded(*route));
        if (body->empty()) {
            out.set_header("Content-Type", route->contentType);
            return;
        }
        // A content provider with a length is sent as is: httplib neither compresses it again
        // nor changes its Content-Length, which the faults rely on.
        const Fault fault = route->fault;
        const std::size_t sendFirst = std::min(route->faultAfterBytes, body->size());
        const auto stallFor = route->stall;
        out.set_content_provider(
            body->size(), route->contentType,
            [this, body, fault, sendFirst, stallFor](std::size_t offset, std::size_t length,
                                                     httplib::DataSink& sink) {
                if (fault == Fault::None || fault == Fault::Hang)
                    return sink.write(body->data() + offset, length);
                if (offset < sendFirst) return sink.write(body->data() + offset, sendFirst - offset);
                if (fault == Fault::SlowDrip) stall(stallFor);
                return false;   // httplib closes the connection mid-body
            });
    }
};

FaultServer::FaultServer() : m_impl(std::make_unique<Impl>())
{
    // Loopback must never go through a proxy from the developer's environment.
    for (const char* name : {"no_proxy", "NO_PROXY"}) {
        const char* current = std::getenv(name);
        std::string value = current != nullptr && *current != '\0' ? std::string(current) + "," : "";
        ::setenv(name, (value + "127.0.0.1,localhost").c_str(), 1);
    }

    Impl& impl = *m_impl;
    // A short keep-alive bounds how long an idle client connection can hold up the destructor.
    impl.server.set_keep_alive_timeout(1);
    // Headers and body go out in separate writes; Nagle would hold the body for a delayed ACK.
    impl.server.set_tcp_nodelay(true);
    impl.server.Get(".*", [&impl](const httplib::Request& request, httplib::Response& response) {
        impl.handle(request, response);
    });
    impl.port = impl.server.bind_to_any_port("127.0.0.1");
    if (impl.port <= 0) throw std::runtime_error("FaultServer: could not bind a port on 127.0.0.1");

    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    // The port accepts connections already (it listens since bind_to_any_port), but stop() only
    // ends the accept loop once that has started.
    while (!impl.server.is_running()) std::this_thread::yield();
}

FaultServer::~FaultServer()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    m_impl->server.stop();
    m_impl->thread.join();
}

void FaultServer::route(std::string path, Response response)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->routes.insert_or_assign(std::move(path), std::move(response));
}

void FaultServer::routeWithParameter(std::string path, std::string parameter, Response response)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->parameterRoutes.insert_or_assign({std::move(path), std::move(parameter)}, std::move(response));
}

int FaultServer::port() const { return m_impl->port; }

std::string FaultServer::url(std::string_view path) const { return loopbackUrl(m_impl->port, path); }

std::vector<RecordedRequest> FaultServer::requests() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->log;
}

std::optional<RecordedRequest> FaultServer::lastRequest() const
{
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->log.empty()) return std::nullopt;
    return m_impl->log.back();
}

std::size_t FaultServer::hits(std::string_view path) const
{
    std::lock_guard lock(m_impl->mutex);
    return static_cast<std::size_t>(
        std::ranges::count_if(m_impl->log, [&](const RecordedRequest& r) { return r.path == path; }));
}

RefusingPort::RefusingPort()
{
    m_socket = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    if (m_socket < 0 || ::bind(m_socket, reinterpret_cast<sockaddr*>(&address), size) != 0
        || ::getsockname(m_socket, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        if (m_socket >= 0) ::close(m_socket);
        throw std::runtime_error("RefusingPort: could not bind a port on 127.0.0.1");
    }
    m_port = ntohs(address.sin_port);
}

RefusingPort::~RefusingPort() { ::close(m_socket); }

std::string RefusingPort::url(std::string_view path) const { return loopbackUrl(m_port, path); }

} // namespace kohtaamo::test
