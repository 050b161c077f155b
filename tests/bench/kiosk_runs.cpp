#include "kiosk_runs.hpp"

#include "child_process.hpp"
#include "child_steps.hpp"
#include "stats.hpp"

#include <fmt/format.h>

#include <csignal>
#include <thread>

namespace kohtaamo::bench {
namespace {

constexpr double kFirstFrameMs = 200;
constexpr double kKioskRssMb = 60;
constexpr double kIdleCpuPercent = 1;
constexpr std::chrono::seconds kStartTimeout{30};

enum class KioskClock { Fixed, Real };

std::vector<std::string> kioskArguments(const KioskBinary& kiosk, const std::filesystem::path& dataDir,
                                        KioskClock clock)
{
    std::vector<std::string> arguments{kiosk.path.string(), "--data-dir", dataDir.string(),
                                       "--windowed",        "1920x1080",  "--software"};
    if (clock == KioskClock::Fixed) arguments.insert(arguments.end(), {"--now", std::string(kBenchNow)});
    return arguments;
}

/// A display number with neither a lock file nor a socket (Xvfb still refuses a taken one).
std::optional<int> freeDisplay()
{
    std::error_code error;
    for (int display = 99; display < 200; ++display) {
        if (!std::filesystem::exists(fmt::format("/tmp/.X{}-lock", display), error) &&
            !std::filesystem::exists(fmt::format("/tmp/.X11-unix/X{}", display), error)) {
            return display;
        }
    }
    return std::nullopt;
}

}   // namespace

Row measureFirstFrame(const KioskBinary& kiosk, const std::filesystem::path& dataDir, const std::string& dataset,
                      int runs)
{
    const std::string step = "start to first frame";
    ProcessSpec spec{.argv = kioskArguments(kiosk, dataDir, KioskClock::Fixed),
                     .environment = {{"SDL_VIDEODRIVER", "offscreen"}},
                     .log = kiosk.log};
    spec.argv.push_back("--first-frame-exit");
    std::vector<double> wall;
    double peakRss = 0;
    for (int run = 0; run <= runs; ++run) {
        auto outcome = runProcess(spec, kStartTimeout);
        if (!outcome) return unmeasuredRow(step, dataset, Outcome::Error, outcome.error().message);
        if (!outcome->ok()) {
            return unmeasuredRow(step, dataset, Outcome::Error,
                                 fmt::format("the kiosk failed ({}); see {}", outcome->describe(), kiosk.log.string()));
        }
        if (run == 0) continue;
        wall.push_back(outcome->wallMs);
        peakRss = std::max(peakRss, outcome->peakRssMb);
    }
    const Summary summary = summarize(wall);
    Row row{.step = step,
            .dataset = dataset,
            .central = Central::Median,
            .centralValue = summary.median,
            .peakRssMb = peakRss,
            .maxCentral = kFirstFrameMs,
            .maxRssMb = kKioskRssMb};
    row.note = fmt::format("{} runs after an uncounted one, slowest {:.0f} ms; offscreen driver, software renderer",
                           runs, summary.max);
    return row;
}

Row measureIdle(const KioskBinary& kiosk, const std::filesystem::path& dataDir, const std::string& dataset, int seconds)
{
    const std::string step = fmt::format("idle CPU over {} s (Xvfb)", seconds);
    const auto xvfb = findOnPath("Xvfb");
    if (!xvfb) return unmeasuredRow(step, dataset, Outcome::Skipped, "skipped (no Xvfb)");
    const auto display = freeDisplay();
    if (!display) return unmeasuredRow(step, dataset, Outcome::Error, "no free X display number in :99…:199");

    // -displayfd: Xvfb writes the display number to fd 3 once it accepts clients.
    auto server = ChildProcess::spawn(ProcessSpec{.argv = {xvfb->string(), fmt::format(":{}", *display), "-displayfd",
                                                           "3", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"},
                                                  .log = kiosk.log,
                                                  .resultPipe = true});
    if (!server) return unmeasuredRow(step, dataset, Outcome::Error, server.error().message);
    if (!server->readLine(std::chrono::seconds{15})) {
        return unmeasuredRow(step, dataset, Outcome::Error,
                             fmt::format("Xvfb :{} did not start; see {}", *display, kiosk.log.string()));
    }

    // The real clock: a fixed --now would never reach the next minute, whose redraw belongs to idling.
    auto app = ChildProcess::spawn(
        ProcessSpec{.argv = kioskArguments(kiosk, dataDir, KioskClock::Real),
                    .environment = {{"DISPLAY", fmt::format(":{}", *display)}, {"SDL_VIDEODRIVER", "x11"}},
                    .log = kiosk.log});
    if (!app) return unmeasuredRow(step, dataset, Outcome::Error, app.error().message);
    // Sample once start-up is surely over, to tell start-up CPU from the idle loop's.
    constexpr int kSettleSeconds = 5;
    std::this_thread::sleep_for(std::chrono::seconds{kSettleSeconds});
    const double afterStart = app->cpuSecondsSoFar();
    std::this_thread::sleep_for(std::chrono::seconds{seconds - kSettleSeconds});
    const double beforeStop = app->cpuSecondsSoFar();
    app->sendSignal(SIGTERM);
    const ProcessOutcome kiosked = app->wait(std::chrono::seconds{10});
    server->sendSignal(SIGTERM);
    const ProcessOutcome served = server->wait(std::chrono::seconds{10});

    if (kiosked.signal != 0 && !kiosked.timedOut) {
        return unmeasuredRow(step, dataset, Outcome::Error,
                             fmt::format("the kiosk died ({}); see {}", kiosked.describe(), kiosk.log.string()));
    }
    Row row{.step = step,
            .dataset = dataset,
            .unit = "%",
            .centralValue = kiosked.cpuSeconds / seconds * 100,
            .peakRssMb = kiosked.peakRssMb,
            .maxCentral = kIdleCpuPercent,
            .maxRssMb = kKioskRssMb};
    row.note = fmt::format("% of one core, start-up included ({:.2f} s CPU in all); after the first {} s: {:.3f} %; "
                           "Xvfb itself {:.2f} s",
                           kiosked.cpuSeconds, kSettleSeconds,
                           (beforeStop - afterStart) / (seconds - kSettleSeconds) * 100, served.cpuSeconds);
    if (kiosked.timedOut)
        row.note += "; did not exit within 10 s of SIGTERM (killed)";
    else if (kiosked.exitCode != 0)
        row.note += fmt::format("; exit code {} after SIGTERM", kiosked.exitCode);
    return row;
}

}   // namespace kohtaamo::bench
