#include "sync/catalogue_fetch.hpp"

#include "polite_fetch.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace kohtaamo {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::string_view kStateFormat = "kohtaamo-fetch-state";
constexpr int kStateVersion = 1;
constexpr int kMaxConcurrency = 4;
constexpr auto kWaitStep = 100ms;

std::uint32_t fnv1a32(std::string_view text)
{
    std::uint32_t hash = 2166136261u;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 16777619u;
    }
    return hash;
}

std::optional<Instant> instantMember(const json& object, const char* key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return parseInstant(it->get<std::string>(), TimeZone::helsinki());
}

// A batch URL with a hundred ids is too long for a status line; its start says which request it was.
std::string shownUrl(std::string_view url)
{
    constexpr std::size_t kShown = 120;
    if (url.size() <= kShown + 20) return std::string(url);
    return fmt::format("{}… ({} characters)", url.substr(0, kShown), url.size());
}

bool isRetryable(const HttpError& error)
{
    return error.status == 429 || error.status >= 500 || error.status == 0;
}

} // namespace

std::size_t MirroredRecords::size() const
{
    std::size_t count = 0;
    for (const auto& [kind, records] : byKind) count += records.size();
    return count;
}

std::filesystem::path fetchStateFile(const std::filesystem::path& cacheFile, std::string_view sourceId)
{
    std::string name;
    bool changed = sourceId.empty();
    for (char c : sourceId) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || (c == '.' && !name.empty());
        name += safe ? c : '_';
        changed = changed || !safe;
    }
    // Two ids that differ only in unsafe characters must not share a file.
    if (changed) name += fmt::format("-{:08x}", fnv1a32(sourceId));
    return cacheFile.parent_path() / "sync-state" / (name + ".json");
}

Result<FetchState> loadFetchState(const std::filesystem::path& file)
{
    std::error_code code;
    if (!std::filesystem::exists(file, code)) return FetchState{};
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorCode::Io, fmt::format("{}: cannot be read", file.string()));
    std::stringstream text;
    text << in.rdbuf();
    const json root = json::parse(text.str(), nullptr, false);
    if (root.is_discarded() || !root.is_object() || root.value("format", "") != kStateFormat) {
        return fail(ErrorCode::InvalidInput, fmt::format("{}: not a Kohtaamo fetch state file", file.string()));
    }
    if (root.value("version", 0) != kStateVersion) {
        return fail(ErrorCode::InvalidInput, fmt::format("{}: fetch state version {} is not {}", file.string(),
                                                         root.value("version", 0), kStateVersion));
    }
    FetchState state;
    state.kind = root.value("kind", "");
    state.selection = root.value("selection", "");
    state.lastSync = instantMember(root, "last_sync");
    state.lastFullSync = instantMember(root, "last_full_sync");
    auto records = std::make_shared<MirroredRecords>();
    if (const auto it = root.find("records"); it != root.end() && it->is_object()) {
        for (const auto& [kind, items] : it->items()) {
            if (!items.is_object()) continue;
            auto& byId = records->byKind[kind];
            for (const auto& [id, record] : items.items()) byId.emplace(id, record.dump());
        }
    }
    state.records = std::move(records);
    return state;
}

Result<void> saveFetchState(const std::filesystem::path& file, const FetchState& state)
{
    json header = {{"format", kStateFormat}, {"version", kStateVersion}, {"kind", state.kind}, {"selection", state.selection}};
    if (state.lastSync) header["last_sync"] = formatUtc(*state.lastSync);
    if (state.lastFullSync) header["last_full_sync"] = formatUtc(*state.lastFullSync);

    std::error_code code;
    std::filesystem::create_directories(file.parent_path(), code);
    if (code) return fail(ErrorCode::Io, fmt::format("{}: cannot create the directory: {}", file.parent_path().string(), code.message()));
    const auto temporary = std::filesystem::path(file.string() + ".tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        // The records are compact JSON text already, so they are written as they are: parsing them
        // into one document first cost a large region more than a second and a hundred megabytes.
        const std::string opening = header.dump();
        out.write(opening.data(), static_cast<std::streamsize>(opening.size() - 1));   // without the closing brace
        out << R"(,"records":{)";
        bool firstKind = true;
        if (state.records) {
            for (const auto& [kind, items] : state.records->byKind) {
                out << (firstKind ? "" : ",") << json(kind).dump() << ":{";
                firstKind = false;
                bool firstRecord = true;
                for (const auto& [id, record] : items) {
                    if (record.empty()) continue;   // not JSON: the record is fetched again
                    out << (firstRecord ? "" : ",") << json(id).dump() << ':' << record;
                    firstRecord = false;
                }
                out << '}';
            }
        }
        out << "}}";
        out.flush();
        if (!out) return fail(ErrorCode::Io, fmt::format("{}: cannot be written (disk full?)", temporary.string()));
    }
    std::filesystem::rename(temporary, file, code);
    if (code) return fail(ErrorCode::Io, fmt::format("{}: cannot be replaced: {}", file.string(), code.message()));
    return {};
}

// ---- PoliteFetcher ---------------------------------------------------------------------------

PoliteFetcher::PoliteFetcher(HttpClient& primary, const FetchPolicy& policy, std::string what, std::string accept)
    : m_primary(primary), m_policy(policy), m_what(std::move(what)), m_accept(std::move(accept))
{
    m_policy.concurrency = std::clamp(m_policy.concurrency, 1, kMaxConcurrency);
    m_policy.maxAttempts = std::max(m_policy.maxAttempts, 1);
}

bool PoliteFetcher::stopped() const { return m_policy.stop != nullptr && m_policy.stop->load(); }

FetchStats PoliteFetcher::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

FetchFailure PoliteFetcher::failure(ErrorCode code, std::string message) const
{
    return FetchFailure{Error{code, fmt::format("{}: {}", m_what, message)}, 0, std::nullopt, stats()};
}

bool PoliteFetcher::waitFor(std::chrono::milliseconds delay) const
{
    if (m_policy.wait) return m_policy.wait(delay) && !stopped();
    const auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
        if (stopped()) return false;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kWaitStep, until - std::chrono::steady_clock::now()));
    }
    return !stopped();
}

FetchResult<std::optional<std::string>> PoliteFetcher::getWith(HttpClient& client, const std::string& url, NotFound notFound)
{
    const HttpRequest request{.url = url,
                              .connectTimeout = m_policy.connectTimeout,
                              .totalTimeout = m_policy.totalTimeout,
                              .lowSpeedTime = m_policy.lowSpeedTime,
                              .maxBytes = m_policy.maxBytes,
                              .caBundle = m_policy.caBundle,
                              .accept = m_accept,
                              .cancel = m_policy.stop};
    auto backoff = std::chrono::duration_cast<std::chrono::milliseconds>(m_policy.firstRetryDelay);
    for (int attempt = 1;; ++attempt) {
        if (stopped()) return std::unexpected(failure(ErrorCode::Network, "stopped (the sync is stopping)"));
        {
            std::lock_guard lock(m_mutex);
            ++m_stats.requests;
            if (attempt > 1) ++m_stats.retries;
        }
        auto response = client.get(request);
        if (response) {
            std::lock_guard lock(m_mutex);
            m_stats.bytes += response->bytes;
            m_stats.httpStatus = response->status;
            return std::optional<std::string>(std::move(response->body));
        }
        const HttpError& error = response.error();
        {
            std::lock_guard lock(m_mutex);
            m_stats.httpStatus = error.status;
        }
        if (error.status == 404 && notFound == NotFound::IsEmpty) return std::optional<std::string>();
        if (stopped()) return std::unexpected(failure(ErrorCode::Network, "stopped (the sync is stopping)"));

        const auto tries = attempt > 1 ? fmt::format(" (after {} attempts)", attempt) : std::string();
        const auto failed = [&](std::optional<std::chrono::seconds> retryAfter) {
            auto message = error.error.message;
            if (message.starts_with(url)) message = shownUrl(url) + message.substr(url.size());
            FetchFailure result = failure(error.error.code, message + tries);
            result.httpStatus = error.status;
            result.retryAfter = retryAfter;
            return std::unexpected(std::move(result));
        };
        if (!isRetryable(error) || attempt >= m_policy.maxAttempts) return failed(error.retryAfter);
        // The server's Retry-After wins over our own backoff. A server that asks for a long pause gets
        // it from the engine's schedule, not from a sync that holds everything else up.
        if (error.retryAfter && *error.retryAfter > m_policy.maxRetryWait) return failed(error.retryAfter);
        const auto pause = error.retryAfter ? std::chrono::duration_cast<std::chrono::milliseconds>(*error.retryAfter) : backoff;
        if (!waitFor(pause)) return std::unexpected(failure(ErrorCode::Network, "stopped (the sync is stopping)"));
        backoff *= 2;
    }
}

FetchResult<std::optional<std::string>> PoliteFetcher::get(const std::string& url, NotFound notFound)
{
    return getWith(m_primary, url, notFound);
}

FetchResult<void> PoliteFetcher::getEach(const std::vector<std::string>& urls, NotFound notFound, const BodyHandler& handle)
{
    const auto workerCount = std::min<std::size_t>(static_cast<std::size_t>(m_policy.concurrency), urls.size());
    std::vector<HttpClient> extra;
    for (std::size_t i = 1; i < workerCount; ++i) {
        auto client = HttpClient::create(m_policy.userAgent);
        if (!client) break;   // fewer workers, same result
        extra.push_back(std::move(*client));
    }

    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex failureMutex;
    std::optional<FetchFailure> firstFailure;
    const auto record = [&](FetchFailure failure) {
        std::lock_guard lock(failureMutex);
        if (!firstFailure) firstFailure = std::move(failure);
        failed = true;
    };
    const auto work = [&](HttpClient& client) {
        // Nothing may escape a worker thread; an unexpected exception is a failed fetch.
        try {
            while (!failed) {
                const std::size_t index = next++;
                if (index >= urls.size()) return;
                auto body = getWith(client, urls[index], notFound);
                if (!body) return record(std::move(body.error()));
                if (failed) return;
                if (auto bad = handle(index, std::move(*body))) return record(std::move(*bad));
            }
        } catch (const std::exception& exception) {
            record(failure(ErrorCode::Network, fmt::format("unexpected error: {}", exception.what())));
        }
    };
    {
        std::vector<std::jthread> threads;
        for (auto& client : extra) threads.emplace_back([&work, &client] { work(client); });
        work(m_primary);
    }
    if (firstFailure) {
        firstFailure->stats = stats();
        return std::unexpected(std::move(*firstFailure));
    }
    return {};
}

} // namespace kohtaamo
