// Child step: frames of one kiosk screen, headless at 1920×1080 with SDL's software renderer,
// built the way kiosk_mode.cpp builds the shell.

#include "child_steps.hpp"

#include "app/kiosk_shell.hpp"
#include "ui/fonts.hpp"
#include "ui/translations.hpp"
#include "ui/ui_context.hpp"

#include <fmt/format.h>
#include <imgui.h>

#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <thread>

namespace kohtaamo::bench {
namespace {

/// CPU time of this thread: unlike wall time, not inflated when other processes take the core.
double threadCpuMs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

/// How often the scheduler took the core away from this thread.
long preemptions()
{
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nivcsw;
}

/// The service category with the most services: the longest list to scroll.
ServiceCategory busiestCategory(const Snapshot& snapshot)
{
    ServiceCategory busiest = ServiceCategory::Other;
    std::size_t most = 0;
    for (auto category : {ServiceCategory::Neuvola, ServiceCategory::FamilyCounselling, ServiceCategory::FamilyWork,
                          ServiceCategory::EarlyEducation, ServiceCategory::NgoParish, ServiceCategory::PeerSupport,
                          ServiceCategory::CrisisHelp, ServiceCategory::Other}) {
        const auto count = snapshot.services(ServiceQuery{.category = category}).size();
        if (count > most) most = count, busiest = category;
    }
    return busiest;
}

/// Opens `screen` the way a family would get there; returns what was opened, for the note.
std::string openScreen(KioskShell& shell, const Snapshot& snapshot, std::string_view screen, Instant now)
{
    KioskState& state = shell.state();
    if (screen == "home") return "home";
    if (screen == "events") {
        state.open(Screen::Events);
        return "next 14 days, no filters";
    }
    if (screen == "dropin") {
        state.open(Screen::DropIn);
        return "this week";
    }
    if (screen == "services") {
        state.open(Screen::Services);
        const ServiceCategory category = busiestCategory(snapshot);
        state.setServiceCategory(category);
        return fmt::format("category {} ({} services)", toKey(category),
                           snapshot.services(ServiceQuery{.category = category}).size());
    }
    if (screen == "search") {
        state.open(Screen::Search);
        shell.searchNow("perhe");
        return "query \"perhe\"";
    }
    // detail: the next session of the first event that has one.
    for (const EventOccurrence& item : snapshot.occurrences()) {
        if (item.occurrence.start < now) continue;
        state.openDetail(DetailTarget{DetailKind::Event, item.event->id, item.occurrence.start});
        return fmt::format("event {}", item.event->id);
    }
    return "no upcoming event";
}

}   // namespace

int uiStep(const Arguments& arguments)
{
    if (arguments.size() != 5) return failStep("ui needs DATA_DIR SCREEN PLACE WARMUP FRAMES");
    const std::filesystem::path dataDir = arguments[0];
    const std::string& screen = arguments[1];
    const int warmupFrames = std::stoi(arguments[3]);
    const int frames = std::stoi(arguments[4]);
    const std::filesystem::path assetsDir = KOHTAAMO_ASSETS_DIR;

    SiteConfig site;
    site.placeId = arguments[2];
    auto translations = Translations::load(assetsDir / "i18n", site.languages);
    if (!translations) return failStep(translations.error().message);
    auto fonts = findFonts(assetsDir);
    if (!fonts) return failStep(fonts.error().message);
    const Instant now = benchNow();
    const Clock clock = [now] { return now; };
    // As the kiosk starts (kiosk_mode.cpp): the content is read in the background, with the texts
    // the kiosk keeps in memory, while the shell opens and bakes its fonts.
    auto content = ContentService::start(dataDir / "cache.sqlite", clock, FirstSnapshot::InBackground,
                                         snapshotTexts(site));
    if (!content) return failStep(content.error().message);

    ShellDependencies dependencies{
        .translations = *translations,
        .fontFiles = *fonts,
        .site = site,
        .content = **content,
        .clock = clock,
        .idle = IdleSettings{},
        .version = "bench",
        .checkPin = [](const std::string&) { return false; },
        .syncNow = [] {},
        .allowExit = false,
    };
    const ShellOptions options{
        .width = 1920, .height = 1080, .fullscreen = false, .headless = true, .softwareRenderer = true};
    auto shell = KioskShell::create(options, std::move(dependencies));
    if (!shell) return failStep(shell.error().message);
    const auto readBy = std::chrono::steady_clock::now() + std::chrono::seconds{60};
    while ((*content)->generation() == 0 && std::chrono::steady_clock::now() < readBy) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    if ((*content)->generation() == 0) return failStep("the content was not read within 60 s: " + (*content)->lastError());

    const auto snapshot = (*content)->snapshot();
    const std::string opened = openScreen(**shell, *snapshot, screen, now);
    for (int i = 0; i < warmupFrames; ++i) (*shell)->benchmarkFrame(0);

    std::vector<double> build;
    std::vector<double> render;
    std::vector<double> frameCpu;
    double vertices = 0;
    const long preemptedBefore = preemptions();
    for (int i = 0; i < frames; ++i) {
        // Down for the first half, back up for the second: every frame moves the list.
        const double cpuStart = threadCpuMs();
        const FrameTiming timing = (*shell)->benchmarkFrame(i < frames / 2 ? -1.0f : 1.0f);
        frameCpu.push_back(threadCpuMs() - cpuStart);
        build.push_back(timing.buildMs);
        render.push_back(timing.renderMs);
        if (const ImDrawData* drawData = ImGui::GetDrawData()) vertices += drawData->TotalVtxCount;
    }
    writeResult({{"screen", screen},
                 {"opened", opened},
                 {"build_ms", build},
                 {"render_ms", render},
                 {"frame_cpu_ms", frameCpu},
                 {"preemptions", preemptions() - preemptedBefore},
                 {"mean_vertices", frames > 0 ? vertices / frames : 0.0}});
    return 0;
}

}   // namespace kohtaamo::bench
