#include "kiosk_mode.hpp"

#include "kiosk_shell.hpp"
#include "staff_pin.hpp"
#include "sync_commands.hpp"
#include "ui/ui_context.hpp"

#include "content/cache_file.hpp"

#include <SDL.h>
#include <fmt/format.h>

#include <atomic>
#include <thread>

namespace kohtaamo {
namespace {

// The exit status after the background check found the cache damaged (EX_TEMPFAIL): systemd
// restarts the kiosk, and that start moves the cache aside (openCache) for the sources to refill.
constexpr int kExitCacheDamaged = 75;

// SQLite's full check of the cache, off the frame loop: damage deep in a file that opened fine (a
// power cut on a cheap SSD) is marked, and the kiosk asks to be restarted on a new cache.
class BackgroundCacheCheck {
public:
    explicit BackgroundCacheCheck(std::filesystem::path file)
        : m_thread([this, file = std::move(file)] {
              std::string detail;
              if (checkCacheFile(file, &detail) != CacheHealth::Damaged) return;
              fmt::print(stderr, "kohtaamo-kiosk: the cache {} is damaged ({}); restarting to rebuild it\n",
                         file.string(), detail);
              if (auto marked = markCacheDamaged(file, detail); !marked) {
                  fmt::print(stderr, "kohtaamo-kiosk: {}\n", marked.error().message);
                  return;   // without the mark a restart would find the same cache: keep showing it
              }
              m_damaged = true;
              SDL_Event quit{};
              quit.type = SDL_QUIT;
              SDL_PushEvent(&quit);
          })
    {
    }
    [[nodiscard]] bool damaged() const { return m_damaged; }

private:
    std::atomic<bool> m_damaged{false};
    std::jthread m_thread;   // last: joined before m_damaged goes
};

Screen screenNamed(std::string_view name)
{
    if (name == "events") return Screen::Events;
    if (name == "dropin") return Screen::DropIn;
    if (name == "services") return Screen::Services;
    if (name == "detail") return Screen::Detail;
    if (name == "search") return Screen::Search;
    if (name == "staff") return Screen::Staff;
    return Screen::Home;
}

// Puts the UI where the screenshot wants it: screen, item, language, text size, contrast.
Result<void> prepareScreenshot(KioskShell& shell, const CommandLine& commandLine, const Snapshot& snapshot)
{
    KioskState& state = shell.state();
    if (!commandLine.language.empty()) state.setLanguage(commandLine.language);
    state.setTextScale(commandLine.textScale);
    if (commandLine.highContrast) state.setContrast(Contrast::High);
    const Screen screen = screenNamed(commandLine.screen);
    if (screen == Screen::Detail) {
        std::optional<DetailTarget> target;
        if (snapshot.place(commandLine.item)) target = DetailTarget{DetailKind::Place, commandLine.item, std::nullopt};
        else if (snapshot.service(commandLine.item)) target = DetailTarget{DetailKind::Service, commandLine.item, std::nullopt};
        else if (snapshot.event(commandLine.item)) target = DetailTarget{DetailKind::Event, commandLine.item, std::nullopt};
        if (!target) {
            return fail(ErrorCode::InvalidInput,
                        fmt::format("--item: no place, service or event has the id \"{}\"", commandLine.item));
        }
        state.openDetail(*target);
    } else if (screen == Screen::Staff) {
        state.unlockStaff();
    } else {
        state.open(screen);
    }
    if (screen == Screen::Search && !commandLine.search.empty()) shell.searchNow(commandLine.search);
    return {};
}

std::optional<NightSchedule> nightSchedule(const KioskConfig& config)
{
    if (!config.night) return std::nullopt;
    return NightSchedule{config.night->screenOff, config.night->screenOn};
}

} // namespace

int runKioskWindow(const CommandLine& commandLine, Startup& startup, std::string version)
{
    const bool screenshot = commandLine.mode == Mode::Screenshot;
    auto translations = Translations::load(startup.assetsDir / "i18n", startup.config.site.languages);
    if (!translations) return fmt::print(stderr, "kohtaamo-kiosk: {}\n", translations.error().message), 1;
    for (const auto& problem : translations->problems()) fmt::print(stderr, "kohtaamo-kiosk: {}\n", problem);
    auto fonts = findFonts(startup.assetsDir);
    if (!fonts) return fmt::print(stderr, "kohtaamo-kiosk: {}\n", fonts.error().message), 1;

    const std::optional<Instant> fixedNow = commandLine.now;
    Clock clock = [fixedNow] {
        return fixedNow.value_or(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    };
    // A kiosk draws its first frame at once and the content when it is read; a screenshot waits.
    auto content = ContentService::start(startup.cacheFile, clock,
                                         screenshot ? FirstSnapshot::BeforeStartReturns : FirstSnapshot::InBackground,
                                         snapshotTexts(startup.config.site));
    if (!content) return fmt::print(stderr, "kohtaamo-kiosk: {}\n", content.error().message), 1;
    // The sync runs on the real clock even under --now; a screenshot shows the cache as it is.
    std::unique_ptr<SyncEngine> sync;
    if (!screenshot) {
        auto started = startSyncEngine(startup, version, [service = content->get()](CacheWrite write) {
            // A sync that found nothing new only needs the sources' new states, not a rebuild.
            if (write == CacheWrite::Content) service->requestRebuild();
            else service->requestStatusRefresh();
        });
        if (started) sync = std::move(*started);
        else fmt::print(stderr, "kohtaamo-kiosk: sync not started, showing the cache: {}\n", started.error().message);
    }

    ShellOptions options;
    if (commandLine.size) std::tie(options.width, options.height) = *commandLine.size;
    else if (commandLine.windowed) std::tie(options.width, options.height) = std::pair{1280, 720};
    options.fullscreen = !commandLine.windowed && !screenshot;
    options.headless = screenshot;
    options.softwareRenderer = commandLine.softwareRenderer;
    options.exitAfterFirstFrame = commandLine.exitAfterFirstFrame;
    options.rotation = commandLine.rotation.value_or(startup.config.display.rotation);

    const std::string pinHash = startup.config.staff.pinHash;
    HealthReporter health(screenshot ? std::filesystem::path()
                                     : !startup.config.metricsFile.empty()
                                         ? startup.config.metricsFile
                                         : startup.cacheFile.parent_path() / "kohtaamo.prom",
                          version);
    ShellDependencies dependencies{
        .translations = *translations,
        .fontFiles = *fonts,
        .site = startup.config.site,
        .content = **content,
        .clock = clock,
        .idle = IdleSettings{.promptAfter = startup.config.idleTimeout, .night = nightSchedule(startup.config)},
        .version = std::move(version),
        .checkPin = [pinHash](const std::string& pin) { return pinMatches(pinHash, pin); },
        .syncNow =
            [engine = sync.get(), service = content->get()] {
                if (engine) engine->syncNow();
                service->requestRebuild();
            },
        .allowExit = startup.config.staff.allowExit,
        .health = screenshot ? nullptr : &health,
        .deviceNotices = startup.cache.notices,
    };
    auto shell = KioskShell::create(options, std::move(dependencies));
    if (!shell) return fmt::print(stderr, "kohtaamo-kiosk: {}\n", shell.error().message), 1;

    if (!screenshot) {
        // New content or a search answer wakes the idle frame loop (SDL_PushEvent is thread-safe).
        (*content)->setOnReady([] {
            SDL_Event event{};
            event.type = SDL_USEREVENT;
            SDL_PushEvent(&event);
        });
        // A temporary cache was just made from a sound copy: nothing to check.
        std::optional<BackgroundCacheCheck> cacheCheck;
        if (!startup.cache.temporary) cacheCheck.emplace(startup.cacheFile);
        const int exitCode = (*shell)->run();
        // The engine calls into the content service: stop it first.
        if (sync) sync->stop();
        (*content)->setOnReady({});
        return cacheCheck && cacheCheck->damaged() ? kExitCacheDamaged : exitCode;
    }
    if (auto prepared = prepareScreenshot(**shell, commandLine, *(*content)->snapshot()); !prepared) {
        return fmt::print(stderr, "kohtaamo-kiosk: {}\n", prepared.error().message), 2;
    }
    if (auto written = (*shell)->screenshot(commandLine.screenshotFile); !written) {
        return fmt::print(stderr, "kohtaamo-kiosk: {}\n", written.error().message), 1;
    }
    fmt::print("{}\n", commandLine.screenshotFile.string());
    return 0;
}

} // namespace kohtaamo
