#include "sync/catalogue_fetch.hpp"

#include "polite_fetch.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <thread>

namespace kohtaamo {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::string_view kStateFormat = "kohtaamo-fetch-state";
constexpr int kStateVersion = 2;
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

// A JSON string at the start of `text` (its closing quote is the first one not escaped), decoded.
std::optional<std::string> leadingString(std::string_view& text)
{
    if (!text.starts_with('"')) return std::nullopt;
    std::size_t end = 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    if (end >= text.size()) return std::nullopt;
    const json value = json::parse(text.substr(0, end + 1), nullptr, false);
    if (!value.is_string()) return std::nullopt;
    text.remove_prefix(end + 1);
    return value.get<std::string>();
}

struct RecordLine {
    std::string kind;
    std::string id;
    std::string_view text;   ///< into the line
};

// `["KIND","ID",RECORD]` → its parts; the record is not parsed.
std::optional<RecordLine> recordLine(std::string_view line)
{
    if (!line.starts_with('[') || !line.ends_with(']')) return std::nullopt;
    line = line.substr(1, line.size() - 2);
    auto kind = leadingString(line);
    if (!kind || !line.starts_with(',')) return std::nullopt;
    line.remove_prefix(1);
    auto id = leadingString(line);
    if (!id || !line.starts_with(',') || line.size() < 2) return std::nullopt;
    return RecordLine{std::move(*kind), std::move(*id), line.substr(1)};
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
    return cacheFile.parent_path() / "sync-state" / (name + ".jsonl");
}

// The file is JSON Lines: a header object, then one `["KIND","ID",RECORD]` line per record. A
// record is compact JSON text and never holds a raw line break, so it is read back by finding its
// bounds, byte for byte as it was written: parsing it again would cost a large region a second and
// hundreds of megabytes, and could reorder its keys (which would read as a change).
Result<FetchState> loadFetchState(const std::filesystem::path& file)
{
    std::error_code code;
    if (!std::filesystem::exists(file, code)) return FetchState{};
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(ErrorCode::Io, fmt::format("{}: cannot be read", file.string()));
    std::string line;
    std::getline(in, line);
    const json header = json::parse(line, nullptr, false);
    if (header.is_discarded() || !header.is_object() || header.value("format", "") != kStateFormat) {
        return fail(ErrorCode::InvalidInput, fmt::format("{}: not a Kohtaamo fetch state file", file.string()));
    }
    if (header.value("version", 0) != kStateVersion) {
        return fail(ErrorCode::InvalidInput, fmt::format("{}: fetch state version {} is not {}", file.string(),
                                                         header.value("version", 0), kStateVersion));
    }
    FetchState state;
    state.kind = header.value("kind", "");
    state.selection = header.value("selection", "");
    state.lastSync = instantMember(header, "last_sync");
    state.lastFullSync = instantMember(header, "last_full_sync");
    auto records = std::make_shared<MirroredRecords>();
    for (std::size_t number = 2; std::getline(in, line); ++number) {
        auto record = recordLine(line);
        if (!record) {
            return fail(ErrorCode::InvalidInput,
                        fmt::format("{}: line {} is not a [\"kind\", \"id\", record] line", file.string(), number));
        }
        records->byKind[std::move(record->kind)].insert_or_assign(std::move(record->id), std::string(record->text));
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
        out << header.dump() << '\n';
        if (state.records) {
            for (const auto& [kind, items] : state.records->byKind) {
                const std::string kindText = json(kind).dump();
                for (const auto& [id, record] : items) {
                    if (record.empty()) continue;   // not JSON: the record is fetched again
                    out << '[' << kindText << ',' << json(id).dump() << ',' << record << "]\n";
                }
            }
        }
        out.flush();
        if (!out) return fail(ErrorCode::Io, fmt::format("{}: cannot be written (disk full?)", temporary.string()));
    }
    std::filesystem::rename(temporary, file, code);
    if (code) return fail(ErrorCode::Io, fmt::format("{}: cannot be replaced: {}", file.string(), code.message()));
    // The state an older Kohtaamo kept beside it (one JSON document, <id>.json) is not read any more.
    if (file.extension() == ".jsonl") std::filesystem::remove(std::filesystem::path(file).replace_extension(".json"), code);
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
