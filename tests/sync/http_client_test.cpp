#include "sync/http_client.hpp"

#include "fault_server.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

using namespace kohtaamo;
using namespace kohtaamo::test;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

constexpr const char* userAgent = "Kohtaamo/0.1.0 (+kiosk)";

HttpClient makeClient()
{
    auto client = HttpClient::create(userAgent);
    REQUIRE_MESSAGE(client.has_value(), (client ? "" : client.error().message));
    return std::move(*client);
}

// Small timeouts keep the fault cases fast; the happy paths never come near them.
HttpRequest request(std::string url)
{
    return HttpRequest{.url = std::move(url), .connectTimeout = 2'000ms, .totalTimeout = 3'000ms,
                       .lowSpeedTime = 1'000ms, .maxBytes = 64 * 1024};
}

HttpError expectError(std::expected<HttpResponse, HttpError> result)
{
    REQUIRE_MESSAGE(!result.has_value(), "expected an error, got a response with status "
                                             << (result ? result->status : 0));
    return std::move(result.error());
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// A file in the temp directory, removed again at the end of the test.
class TempFile {
public:
    explicit TempFile(const std::string& contents)
    {
        static std::atomic<int> counter{0};
        m_path = std::filesystem::temp_directory_path()
            / ("kohtaamo-http-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".ics");
        std::ofstream(m_path, std::ios::binary) << contents;
    }
    ~TempFile() { std::filesystem::remove(m_path); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    [[nodiscard]] std::string url() const { return "file://" + m_path.string(); }

private:
    std::filesystem::path m_path;
};

std::string httpDate(std::chrono::system_clock::time_point when)
{
    const std::time_t time = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return text;
}

} // namespace

TEST_SUITE("http client") {

TEST_CASE("a 200 gives the body, the validators and the content type")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = R"({"events":[]})", .etag = "\"v1\"",
                                        .lastModified = "Tue, 10 Mar 2026 07:30:00 GMT"});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/feed.json")));

    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK_FALSE(result->notModified);
    CHECK(result->body == R"({"events":[]})");
    CHECK(result->etag == "\"v1\"");
    CHECK(result->lastModified == "Tue, 10 Mar 2026 07:30:00 GMT");
    CHECK(result->contentType == "application/json");
    CHECK_FALSE(result->retryAfter.has_value());
    CHECK(result->bytes == 13);
    CHECK(result->duration >= 0ms);
}

TEST_CASE("the request carries the User-Agent, Accept and Accept-Encoding and no Authorization")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = "{}"});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.accept = "application/json";

    REQUIRE(client.get(req).has_value());

    const auto seen = server.lastRequest();
    REQUIRE(seen.has_value());
    CHECK(seen->method == "GET");
    CHECK(seen->header("User-Agent") == userAgent);
    CHECK(seen->header("Accept") == "application/json");
    CHECK(contains(seen->header("Accept-Encoding").value_or(""), "gzip"));
    CHECK_FALSE(seen->header("Authorization").has_value());
    CHECK_FALSE(seen->header("If-None-Match").has_value());
    CHECK_FALSE(seen->header("If-Modified-Since").has_value());
}

TEST_CASE("credentials in the URL are neither sent nor repeated in messages")
{
    FaultServer server;
    auto client = makeClient();
    const std::string url = "http://kiosk:secret@127.0.0.1:" + std::to_string(server.port()) + "/private";

    const auto error = expectError(client.get(request(url)));   // no route: 404

    CHECK(error.status == 404);
    CHECK_FALSE(contains(error.error.message, "secret"));
    CHECK(contains(error.error.message, "http://127.0.0.1:"));
    const auto seen = server.lastRequest();
    REQUIRE(seen.has_value());
    CHECK_FALSE(seen->header("Authorization").has_value());
}

TEST_CASE("a 304 round trip reuses the ETag of the first 200")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = "[1,2,3]", .etag = "\"abc\""});
    auto client = makeClient();

    const auto first = client.get(request(server.url("/feed.json")));
    REQUIRE(first.has_value());
    REQUIRE(first->etag == "\"abc\"");

    auto again = request(server.url("/feed.json"));
    again.etag = first->etag;
    const auto second = client.get(again);

    REQUIRE(second.has_value());
    CHECK(second->status == 304);
    CHECK(second->notModified);
    CHECK(second->body.empty());
    CHECK(second->etag == "\"abc\"");
    CHECK(server.hits("/feed.json") == 2);
    CHECK(server.lastRequest()->header("If-None-Match") == "\"abc\"");
    // Both requests went over the same kept-alive connection.
    const auto seen = server.requests();
    CHECK(seen.at(0).remotePort == seen.at(1).remotePort);
}

TEST_CASE("If-Modified-Since with the Last-Modified of the first 200 gives a 304")
{
    FaultServer server;
    server.route("/cal.ics", Response{.body = "BEGIN:VCALENDAR", .contentType = "text/calendar",
                                      .lastModified = "Mon, 09 Mar 2026 12:00:00 GMT"});
    auto client = makeClient();
    auto req = request(server.url("/cal.ics"));
    req.lastModified = "Mon, 09 Mar 2026 12:00:00 GMT";

    const auto result = client.get(req);

    REQUIRE(result.has_value());
    CHECK(result->notModified);
    CHECK(result->body.empty());
    CHECK(server.lastRequest()->header("If-Modified-Since") == "Mon, 09 Mar 2026 12:00:00 GMT");
}

TEST_CASE("a stale ETag gets the new body")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = "new", .etag = "\"v2\""});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.etag = "\"v1\"";

    const auto result = client.get(req);

    REQUIRE(result.has_value());
    CHECK_FALSE(result->notModified);
    CHECK(result->body == "new");
    CHECK(result->etag == "\"v2\"");
}

TEST_CASE("a gzip body is decoded, and bytes counts what came over the wire")
{
    FaultServer server;
    std::string body;
    for (int i = 0; i < 200; ++i) body += "{\"title\":\"Vauvaryhmä\",\"place\":\"Majakka\"},";
    server.route("/feed.json", Response{.body = body, .encoding = Encoding::Gzip});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/feed.json")));

    REQUIRE(result.has_value());
    CHECK(result->body == body);
    CHECK(result->bytes > 0);
    CHECK(result->bytes < static_cast<std::int64_t>(body.size()) / 10);
}

TEST_CASE("a deflate body is decoded")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = std::string(5000, 'a'), .encoding = Encoding::Deflate});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/feed.json")));

    REQUIRE(result.has_value());
    CHECK(result->body == std::string(5000, 'a'));
}

TEST_CASE("a 500 is a network error naming the URL and the status")
{
    FaultServer server;
    server.route("/feed.json", Response::error(500));
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/feed.json"))));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.status == 500);
    CHECK(error.error.message == server.url("/feed.json") + ": HTTP 500 Internal Server Error");
    CHECK_FALSE(error.retryAfter.has_value());
}

TEST_CASE("a 503 with Retry-After in seconds")
{
    FaultServer server;
    server.route("/cal.ics", Response::error(503, "120"));
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/cal.ics"))));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.status == 503);
    CHECK(error.retryAfter == 120s);
    CHECK(error.error.message == server.url("/cal.ics") + ": HTTP 503 Service Unavailable (retry after 120 s)");
}

TEST_CASE("a 429 with Retry-After in seconds")
{
    FaultServer server;
    server.route("/cal.ics", Response::error(429, "120"));
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/cal.ics"))));

    CHECK(error.status == 429);
    CHECK(error.retryAfter == 120s);
    CHECK(contains(error.error.message, "HTTP 429 Too Many Requests (retry after 120 s)"));
}

TEST_CASE("a Retry-After HTTP-date becomes seconds from now")
{
    FaultServer server;
    server.route("/cal.ics", Response::error(503, httpDate(std::chrono::system_clock::now() + 120s)));
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/cal.ics"))));

    REQUIRE(error.retryAfter.has_value());
    CHECK(*error.retryAfter >= 118s);
    CHECK(*error.retryAfter <= 120s);
}

TEST_CASE("a server that never answers times out after the total timeout")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = "{}", .fault = Fault::Hang});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.totalTimeout = 300ms;

    const auto start = std::chrono::steady_clock::now();
    const auto error = expectError(client.get(req));

    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.status == 0);
    CHECK(error.error.message == server.url("/feed.json") + ": timed out after 300 ms");
}

// curl judges the speed over a window of up to 5 s, so a stall after some body bytes takes that long
// to count as slow; a stall right after the headers shows the low-speed abort within a second or two.
TEST_CASE("a response that stalls is aborted by the low-speed limit")
{
    FaultServer server;
    server.route("/feed.json",
                 Response{.body = std::string(4096, 'x'), .fault = Fault::SlowDrip, .faultAfterBytes = 0});
    auto client = makeClient();

    const auto start = std::chrono::steady_clock::now();
    const auto error = expectError(client.get(request(server.url("/feed.json"))));

    CHECK(std::chrono::steady_clock::now() - start < 2500ms);   // the total timeout is 3 s
    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.status == 200);
    CHECK(error.error.message
          == server.url("/feed.json") + ": the transfer stalled (less than 1 byte/s for 1 s; got 0 of 4096 bytes)");
}

TEST_CASE("a body that drips a few bytes and stalls gives no partial body")
{
    FaultServer server;
    server.route("/feed.json",
                 Response{.body = std::string(4096, 'x'), .fault = Fault::SlowDrip, .faultAfterBytes = 16});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.totalTimeout = 300ms;

    const auto error = expectError(client.get(req));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.status == 200);
    CHECK(error.error.message == server.url("/feed.json") + ": timed out after 300 ms");
}

TEST_CASE("a connection cut mid-body is an error, not a short body")
{
    FaultServer server;
    server.route("/feed.json",
                 Response{.body = std::string(4096, 'x'), .fault = Fault::CutMidBody, .faultAfterBytes = 1024});
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/feed.json"))));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.error.message
          == server.url("/feed.json") + ": connection closed before the whole body arrived (got 1024 of 4096 bytes)");
}

TEST_CASE("a body over the size limit is refused")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = std::string(5000, 'x')});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.maxBytes = 1000;

    const auto error = expectError(client.get(req));

    CHECK(error.error.code == ErrorCode::LimitExceeded);
    CHECK(error.error.message == server.url("/feed.json") + ": the response is larger than the limit of 1000 bytes");
}

TEST_CASE("a small compressed body that inflates past the limit is stopped while receiving")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = std::string(200'000, 'x'), .encoding = Encoding::Gzip});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.maxBytes = 10'000;

    const auto error = expectError(client.get(req));

    CHECK(error.error.code == ErrorCode::LimitExceeded);
    CHECK(contains(error.error.message, "limit of 10000 bytes"));
}

TEST_CASE("a body of exactly the limit is accepted")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = std::string(1000, 'x')});
    auto client = makeClient();
    auto req = request(server.url("/feed.json"));
    req.maxBytes = 1000;

    const auto result = client.get(req);

    REQUIRE(result.has_value());
    CHECK(result->body.size() == 1000);
}

TEST_CASE("an unexpected content type is passed on for the adapter to judge")
{
    FaultServer server;
    server.route("/feed.json", Response{.body = "<html>maintenance</html>", .contentType = "text/html; charset=utf-8"});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/feed.json")));

    REQUIRE(result.has_value());
    CHECK(result->contentType == "text/html; charset=utf-8");
    CHECK(result->body == "<html>maintenance</html>");
}

TEST_CASE("a body that is not valid UTF-8 arrives byte for byte")
{
    const std::string bytes = "SUMMARY:Perhekahvila \xC3\x28 \xFF\xFE\x00 end"s;
    FaultServer server;
    server.route("/cal.ics", Response{.body = bytes, .contentType = "text/calendar; charset=utf-8"});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/cal.ics")));

    REQUIRE(result.has_value());
    CHECK(result->body == bytes);
}

TEST_CASE("an empty 200 is a success with an empty body")
{
    FaultServer server;
    server.route("/feed.json", Response{});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/feed.json")));

    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK(result->body.empty());
    CHECK(result->bytes == 0);
}

TEST_CASE("a redirect is followed and only the final response's headers count")
{
    FaultServer server;
    auto moved = Response::redirect("/feed.json");
    moved.headers.emplace_back("ETag", "\"of-the-redirect\"");
    moved.headers.emplace_back("Retry-After", "60");
    server.route("/old.json", moved);
    server.route("/feed.json", Response{.body = "{}", .contentType = "application/json"});
    auto client = makeClient();

    const auto result = client.get(request(server.url("/old.json")));

    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK(result->body == "{}");
    CHECK(result->etag.empty());
    CHECK_FALSE(result->retryAfter.has_value());
    CHECK(server.hits("/old.json") == 1);
    CHECK(server.hits("/feed.json") == 1);
}

TEST_CASE("a redirect loop stops after 5 redirects")
{
    FaultServer server;
    server.route("/a", Response::redirect("/b"));
    server.route("/b", Response::redirect("/a"));
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/a"))));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(contains(error.error.message, "too many redirects"));
    CHECK(server.requests().size() == 6);
}

TEST_CASE("a redirect to a file:// URL is refused")
{
    const TempFile file("secret");
    FaultServer server;
    server.route("/feed.json", Response::redirect(file.url()));
    auto client = makeClient();

    const auto error = expectError(client.get(request(server.url("/feed.json"))));

    CHECK(error.error.code == ErrorCode::Network);
}

TEST_CASE("a refused connection says it could not connect")
{
    const RefusingPort port;
    auto client = makeClient();

    const auto error = expectError(client.get(request(port.url("/feed.json"))));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.status == 0);
    CHECK(error.error.message == port.url("/feed.json") + ": could not connect");
}

TEST_CASE("a file:// URL reads a local file")
{
    const TempFile file("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    auto client = makeClient();

    const auto result = client.get(request(file.url()));

    REQUIRE(result.has_value());
    CHECK(result->status == 0);
    CHECK_FALSE(result->notModified);
    CHECK(result->body == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
}

TEST_CASE("a missing file:// is an error naming the file")
{
    auto client = makeClient();
    const std::string url = "file:///nonexistent/kohtaamo/feed.ics";

    const auto error = expectError(client.get(request(url)));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(error.error.message == url + ": could not read the file");
}

TEST_CASE("a file:// over the size limit is refused")
{
    const TempFile file(std::string(2000, 'x'));
    auto client = makeClient();
    auto req = request(file.url());
    req.maxBytes = 1000;

    const auto error = expectError(client.get(req));

    CHECK(error.error.code == ErrorCode::LimitExceeded);
}

TEST_CASE("other protocols are refused")
{
    auto client = makeClient();

    const auto error = expectError(client.get(request("ftp://127.0.0.1/feed.json")));

    CHECK(error.error.code == ErrorCode::Network);
    CHECK(contains(error.error.message, "unsupported protocol"));
}

TEST_CASE("one client serves many requests, successes and failures mixed")
{
    FaultServer server;
    server.route("/ok", Response{.body = "fine"});
    server.route("/broken", Response::error(503, "30"));
    auto client = makeClient();

    CHECK(client.get(request(server.url("/ok"))).has_value());
    CHECK_FALSE(client.get(request(server.url("/broken"))).has_value());
    const auto again = client.get(request(server.url("/ok")));
    REQUIRE(again.has_value());
    CHECK(again->body == "fine");
    CHECK_FALSE(again->retryAfter.has_value());
}

} // TEST_SUITE
