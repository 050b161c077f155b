#pragma once
// The SDL2 + Dear ImGui shell: window and renderer, input (touch, mouse, keys, rotation), fonts,
// QR textures, and the frame loop that redraws only on input, animation, new content or the next
// minute. The only place that knows SDL; the screens only see UiContext.

#include "app/health_reporter.hpp"
#include "sync/content_service.hpp"
#include "sync/kiosk_config.hpp"
#include "ui/fonts.hpp"
#include "ui/kiosk_state.hpp"
#include "ui/translations.hpp"

#include <SDL_events.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

struct ShellOptions {
    int width = 1920;
    int height = 1080;
    bool fullscreen = true;
    bool headless = false;          ///< SDL's offscreen driver and software renderer (screenshots)
    bool softwareRenderer = false;
    int rotation = 0;               ///< 0, 90, 180 or 270 degrees clockwise
    bool exitAfterFirstFrame = false;   ///< for start-up benchmarks
};

/// Where one frame's time went (benchmarks).
struct FrameTiming {
    double buildMs = 0;    ///< ImGui: new frame, screens, Render()
    double renderMs = 0;   ///< SDL: clear, draw lists, present
};

/// What the shell needs from the rest of the program; built in main and owned there.
struct ShellDependencies {
    const Translations& translations;
    FontFiles fontFiles;
    const SiteConfig& site;
    ContentService& content;
    Clock clock;
    IdleSettings idle;
    std::string version;
    std::function<bool(const std::string&)> checkPin;
    std::function<void()> syncNow;
    bool allowExit = false;
    HealthReporter* health = nullptr;   ///< READY/WATCHDOG and metrics; null in screenshots
    std::vector<std::string> deviceNotices;   ///< what start-up had to repair (the cache), for the staff panel
};

/// Only one per process (Dear ImGui and SDL keep process-wide state).
class KioskShell {
public:
    [[nodiscard]] static Result<std::unique_ptr<KioskShell>> create(const ShellOptions& options,
                                                                    ShellDependencies dependencies);
    ~KioskShell();
    KioskShell(const KioskShell&) = delete;
    KioskShell& operator=(const KioskShell&) = delete;

    /// The UI state, for setting up a screenshot (screen, language, item) before rendering.
    [[nodiscard]] KioskState& state();

    /// Runs until the window is closed or staff choose Exit; returns the process exit code.
    int run();

    /// Renders a few frames (so layout settles) and writes the last one as a PNG.
    [[nodiscard]] Result<void> screenshot(const std::filesystem::path& file);

    /// Answers a search synchronously (screenshots of the search screen).
    void searchNow(const std::string& query);

    /// One frame with the mouse wheel turned by `wheel` notches over the middle of the screen, timed.
    FrameTiming benchmarkFrame(float wheel);

    /// One frame after handling `events` exactly as run() handles input, timed (the soak's monkey).
    FrameTiming runFrame(const std::vector<SDL_Event>& events);

private:
    struct Impl;
    explicit KioskShell(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace kohtaamo
