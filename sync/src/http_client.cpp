#include "sync/http_client.hpp"

#include "display_url.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <charconv>
#include <ctime>
#include <limits>
#include <mutex>
#include <string_view>

namespace kohtaamo {

namespace {

// What one transfer collected through the callbacks. Headers are those of the latest response only:
// a redirect or a 1xx interim answer starts over.
struct Transfer {
    std::size_t maxBytes = 0;
    bool connected = false;    // a connection was made or reused and the request was about to go out
    bool overLimit = false;
    long status = 0;
    std::string reason;
    std::string body;
    std::string etag;
    std::string lastModified;
    std::string contentType;
    std::string retryAfter;

    void startResponse(long newStatus, std::string_view newReason)
    {
        status = newStatus;
        reason = newReason;
        body.clear();
        etag.clear();
        lastModified.clear();
        contentType.clear();
        retryAfter.clear();
    }
};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
        return std::tolower(x) == std::tolower(y);
    });
}

std::string_view trimmed(std::string_view text)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& transfer = *static_cast<Transfer*>(user);
    const std::size_t length = size * count;
    const std::string_view line = trimmed(std::string_view(data, length));

    if (line.starts_with("HTTP/")) {
        // "HTTP/1.1 503 Service Unavailable", or "HTTP/2 200" without a reason.
        std::string_view rest = line.substr(std::min(line.size(), line.find(' ')));
        rest = trimmed(rest);
        long status = 0;
        const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), status);
        transfer.startResponse(error == std::errc{} ? status : 0,
                               trimmed(rest.substr(static_cast<std::size_t>(end - rest.data()))));
        return length;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return length;
    const std::string_view name = line.substr(0, colon);
    const std::string value(trimmed(line.substr(colon + 1)));
    if (equalsIgnoringCase(name, "ETag")) transfer.etag = value;
    else if (equalsIgnoringCase(name, "Last-Modified")) transfer.lastModified = value;
    else if (equalsIgnoringCase(name, "Content-Type")) transfer.contentType = value;
    else if (equalsIgnoringCase(name, "Retry-After")) transfer.retryAfter = value;
    return length;
}

// Counts every body byte against the limit, so an endless or decompression-bomb body stops here even
// without a Content-Length for CURLOPT_MAXFILESIZE to check.
std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& transfer = *static_cast<Transfer*>(user);
    const std::size_t length = size * count;
    if (length > transfer.maxBytes - transfer.body.size()) {
        transfer.overLimit = true;
        return 0;   // curl aborts with CURLE_WRITE_ERROR
    }
    transfer.body.append(data, length);
    return length;
}

int onPrerequest(void* user, char*, char*, int, int)
{
    static_cast<Transfer*>(user)->connected = true;
    return CURL_PREREQFUNC_OK;
}

struct HeaderList {
    curl_slist* list = nullptr;
    HeaderList() = default;
    HeaderList(const HeaderList&) = delete;
    HeaderList& operator=(const HeaderList&) = delete;
    ~HeaderList() { curl_slist_free_all(list); }

    void add(const std::string& line)
    {
        if (curl_slist* grown = curl_slist_append(list, line.c_str())) list = grown;
    }
};

std::string formatDuration(std::chrono::milliseconds duration)
{
    if (duration.count() % 1000 == 0) return fmt::format("{} s", duration.count() / 1000);
    return fmt::format("{} ms", duration.count());
}

std::string_view standardReason(long status)
{
    switch (status) {
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return {};
    }
}

// Retry-After is either delay-seconds or an HTTP-date; a date in the past means "now".
std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value)
{
    if (value.empty()) return std::nullopt;
    long long seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc{} && end == value.data() + value.size())
        return std::chrono::seconds(std::max(0LL, seconds));
    const std::time_t when = curl_getdate(value.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    return std::chrono::seconds(std::max<long long>(0, static_cast<long long>(when - std::time(nullptr))));
}

bool isSuccess(long status) { return status >= 200 && status < 300; }

// "https://x/y.ics: HTTP 503 Service Unavailable (retry after 120 s)"
HttpError statusError(const std::string& url, long status, std::string_view serverReason,
                      std::optional<std::chrono::seconds> retryAfter)
{
    std::string_view reason = standardReason(status);
    if (reason.empty()) reason = serverReason;
    std::string message = fmt::format("{}: HTTP {}", url, status);
    if (!reason.empty()) message += fmt::format(" {}", reason);
    if (retryAfter) message += fmt::format(" (retry after {} s)", retryAfter->count());
    return HttpError{Error{ErrorCode::Network, std::move(message)}, static_cast<int>(status), retryAfter};
}

// curl_global_init is process-wide by nature and not thread-safe, so it runs once per process, on
// whichever thread creates the first client.
CURLcode initCurlOnce()
{
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return result;
}

} // namespace

struct HttpClient::Impl {
    CURL* curl = nullptr;
    CURLM* multi = nullptr;    // drives the transfers and keeps their connection cache
    std::string userAgent;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    Impl(CURL* handle, CURLM* driver, std::string agent) : curl(handle), multi(driver), userAgent(std::move(agent)) {}
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl()
    {
        curl_multi_cleanup(multi);
        curl_easy_cleanup(curl);
    }

    void configure(const HttpRequest& request, Transfer& transfer, const HeaderList& headers);
    CURLcode perform(const std::atomic<bool>* cancel);
    HttpError failure(const HttpRequest& request, const Transfer& transfer, CURLcode code,
                      std::chrono::milliseconds elapsed);
};

void HttpClient::Impl::configure(const HttpRequest& request, Transfer& transfer, const HeaderList& headers)
{
    // Reset forgets the previous request's options but keeps the connection cache (keep-alive),
    // the DNS cache and TLS sessions.
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
    // file:// is for configured local feeds only: a remote server must not redirect us into the disk.
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);

    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.caBundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.caBundle.c_str());

    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connectTimeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.totalTimeout.count()));
    // curl measures low speed in whole seconds.
    const long lowSpeedSeconds = std::max(1L, static_cast<long>((request.lowSpeedTime.count() + 999) / 1000));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, lowSpeedSeconds);
    const auto maxFileSize = std::min<std::size_t>(request.maxBytes, std::numeric_limits<curl_off_t>::max());
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(maxFileSize));

    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, userAgent.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);

    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, onPrerequest);
    curl_easy_setopt(curl, CURLOPT_PREREQDATA, &transfer);
}

// curl_easy_perform's own loop, but waking at least every 100 ms to look at the cancel flag: a
// server that says nothing would otherwise hold a clean shutdown for a second or more.
CURLcode HttpClient::Impl::perform(const std::atomic<bool>* cancel)
{
    if (curl_multi_add_handle(multi, curl) != CURLM_OK) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    while (true) {
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        int queued = 0;
        const CURLMsg* message = curl_multi_info_read(multi, &queued);
        if (message != nullptr && message->msg == CURLMSG_DONE) {
            result = message->data.result;
            break;
        }
        if (cancel != nullptr && cancel->load()) {
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (curl_multi_poll(multi, nullptr, 0, 100, nullptr) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
    }
    curl_multi_remove_handle(multi, curl);
    return result;
}

HttpError HttpClient::Impl::failure(const HttpRequest& request, const Transfer& transfer, CURLcode code,
                                    std::chrono::milliseconds elapsed)
{
    const std::string url = displayUrl(request.url);
    curl_off_t received = 0;
    curl_off_t expected = -1;
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &received);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
    const std::string got = expected >= 0 ? fmt::format("got {} of {} bytes", received, expected)
                                          : fmt::format("got {} bytes", received);
    const auto network = [&](std::string_view what) {
        return HttpError{Error{ErrorCode::Network, fmt::format("{}: {}", url, what)},
                         static_cast<int>(transfer.status), parseRetryAfter(transfer.retryAfter)};
    };

    switch (code) {
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
        if (code == CURLE_FILESIZE_EXCEEDED || transfer.overLimit) {
            // An oversize error page is still that error for the caller, Retry-After included.
            if (transfer.status >= 400)
                return statusError(url, transfer.status, transfer.reason, parseRetryAfter(transfer.retryAfter));
            return HttpError{Error{ErrorCode::LimitExceeded,
                                   fmt::format("{}: the response is larger than the limit of {} bytes", url,
                                               request.maxBytes)},
                             static_cast<int>(transfer.status)};
        }
        return network("could not store the response body");
    case CURLE_OPERATION_TIMEDOUT:
        // curl's own timer can fire a few milliseconds before ours reads the total timeout.
        if (elapsed + std::chrono::milliseconds{50} >= request.totalTimeout)
            return network("timed out after " + formatDuration(request.totalTimeout));
        if (!transfer.connected) return network("could not connect within " + formatDuration(request.connectTimeout));
        return network(fmt::format("the transfer stalled (less than 1 byte/s for {}; {})",
                                   formatDuration(request.lowSpeedTime), got));
    case CURLE_ABORTED_BY_CALLBACK:
        return network("cancelled (the sync is stopping)");
    case CURLE_PARTIAL_FILE:
        return network(fmt::format("connection closed before the whole body arrived ({})", got));
    case CURLE_RECV_ERROR:
        return network(fmt::format("the connection broke while receiving ({})", got));
    case CURLE_GOT_NOTHING:
        return network("the server closed the connection without answering");
    case CURLE_COULDNT_CONNECT:
        return network("could not connect");
    case CURLE_COULDNT_RESOLVE_HOST:
        return network("could not resolve the host name");
    case CURLE_COULDNT_RESOLVE_PROXY:
        return network("could not resolve the proxy's host name");
    case CURLE_PEER_FAILED_VERIFICATION:
        return network("the server's TLS certificate could not be verified");
    case CURLE_SSL_CACERT_BADFILE:
        return network(fmt::format("could not read the CA bundle {}", request.caBundle));
    case CURLE_SSL_CONNECT_ERROR:
        return network("the TLS handshake failed");
    case CURLE_TOO_MANY_REDIRECTS:
        return network("too many redirects (more than 5)");
    case CURLE_UNSUPPORTED_PROTOCOL:
        return network("unsupported protocol (only http, https and file URLs are allowed)");
    case CURLE_URL_MALFORMAT:
        return network("the URL is malformed");
    case CURLE_FILE_COULDNT_READ_FILE:
        return network("could not read the file");
    case CURLE_BAD_CONTENT_ENCODING:
        return network("the compressed body could not be decoded");
    case CURLE_WEIRD_SERVER_REPLY:
        return network("the server's reply is not valid HTTP");
    default:
        break;
    }
    const std::string detail = errorBuffer[0] != '\0' ? std::string(trimmed(errorBuffer)) : curl_easy_strerror(code);
    return network(fmt::format("transfer failed ({})", detail));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

Result<HttpClient> HttpClient::create(std::string userAgent)
{
    if (const CURLcode init = initCurlOnce(); init != CURLE_OK)
        return fail(ErrorCode::Network, fmt::format("could not initialise libcurl: {}", curl_easy_strerror(init)));
    CURL* curl = curl_easy_init();
    CURLM* multi = curl_multi_init();
    if (curl == nullptr || multi == nullptr) {
        curl_easy_cleanup(curl);
        curl_multi_cleanup(multi);
        return fail(ErrorCode::Network, "could not create a libcurl handle");
    }
    return HttpClient(std::make_unique<Impl>(curl, multi, std::move(userAgent)));
}

std::expected<HttpResponse, HttpError> HttpClient::get(const HttpRequest& request)
{
    assert(m_impl && "HttpClient used after it was moved from");
    CURL* curl = m_impl->curl;

    HeaderList headers;
    if (!request.etag.empty()) headers.add("If-None-Match: " + request.etag);
    if (!request.lastModified.empty()) headers.add("If-Modified-Since: " + request.lastModified);
    if (!request.accept.empty()) headers.add("Accept: " + request.accept);
    // A bare "Authorization:" keeps curl from sending the one it would build from credentials in the URL.
    headers.add("Authorization:");

    Transfer transfer{.maxBytes = request.maxBytes};
    m_impl->errorBuffer[0] = '\0';
    m_impl->configure(request, transfer, headers);
    // Timed here rather than with CURLINFO_TOTAL_TIME, which restarts at each redirect.
    const auto start = std::chrono::steady_clock::now();
    const CURLcode code = m_impl->perform(request.cancel);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (code != CURLE_OK) return std::unexpected(m_impl->failure(request, transfer, code, elapsed));

    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    const char* scheme = nullptr;
    curl_easy_getinfo(curl, CURLINFO_SCHEME, &scheme);
    const bool isFile = scheme != nullptr && equalsIgnoringCase(scheme, "file");

    if (!isFile && !isSuccess(status) && status != 304) {
        const std::string_view reason = status == transfer.status ? std::string_view(transfer.reason) : "";
        return std::unexpected(
            statusError(displayUrl(request.url), status, reason, parseRetryAfter(transfer.retryAfter)));
    }

    HttpResponse response;
    response.status = isFile ? 0 : static_cast<int>(status);
    response.notModified = status == 304;
    if (!response.notModified) response.body = std::move(transfer.body);
    response.etag = std::move(transfer.etag);
    response.lastModified = std::move(transfer.lastModified);
    response.contentType = std::move(transfer.contentType);
    response.retryAfter = parseRetryAfter(transfer.retryAfter);
    curl_off_t bytes = 0;
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &bytes);
    response.bytes = static_cast<std::int64_t>(bytes);
    response.duration = elapsed;
    return response;
}

} // namespace kohtaamo
