#include "kiosk_shell.hpp"

#include "png_writer.hpp"
#include "qr_code.hpp"
#include "ui/chrome.hpp"
#include "ui/detail_screen.hpp"
#include "ui/detail_texts_loader.hpp"
#include "ui/dropin_screen.hpp"
#include "ui/events_screen.hpp"
#include "ui/home_screen.hpp"
#include "ui/search_screen.hpp"
#include "ui/services_screen.hpp"
#include "ui/staff_screen.hpp"
#include "ui/theme.hpp"

#include <SDL.h>
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <malloc.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <thread>

namespace kohtaamo {
namespace {

// Redraw at least this often while a search answer or a detail page's texts are awaited.
constexpr int kPendingPollMs = 50;
// QR textures kept between frames (a detail page shows up to three).
constexpr std::size_t kMaxQrTextures = 48;

Error sdlError(std::string_view what) { return Error{ErrorCode::Io, fmt::format("{}: {}", what, SDL_GetError())}; }

struct TextureDeleter {
    void operator()(SDL_Texture* texture) const { SDL_DestroyTexture(texture); }
};
using Texture = std::unique_ptr<SDL_Texture, TextureDeleter>;

bool isInputEvent(const SDL_Event& event)
{
    switch (event.type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION:
    case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT: return true;
    default: return false;
    }
}

} // namespace

struct KioskShell::Impl {
    explicit Impl(ShellDependencies deps) : dependencies(std::move(deps)), detailTexts(dependencies.content) {}

    ShellDependencies dependencies;
    ShellOptions options;
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    Texture rotationTarget;
    ImGuiContext* imgui = nullptr;
    bool imguiSdlReady = false;
    bool imguiRendererReady = false;
    std::unique_ptr<KioskState> state;
    FontData fontData;
    // io.Fonts points at `atlas`; a bake for a new size or text scale fills another atlas on a
    // worker and is swapped in between frames. Every atlas here outlives the ImGui context's use.
    std::unique_ptr<ImFontAtlas> atlas = std::make_unique<ImFontAtlas>();
    struct Bake {
        float unit = 0;
        float scale = 0;
        std::unique_ptr<ImFontAtlas> atlas;
        std::future<Result<Fonts>> fonts;
    };
    std::optional<Bake> bake;
    Fonts fonts;
    float bakedUnit = 0;
    float bakedScale = 0;
    std::map<std::string, Texture, std::less<>> qrTextures;
    std::shared_ptr<const Snapshot> snapshot;
    std::uint64_t generation = 0;
    SearchResults search;
    bool searchPending = false;
    DetailTextsLoader detailTexts;
    bool quit = false;
    int fingersDown = 0;
    std::optional<ImVec2> pointer;   ///< from SDL's events, in window coordinates
    ShellServices services;
    HomeScreen home;
    EventsScreen events;
    DropInScreen dropIn;
    ServicesScreen servicesScreen;
    DetailScreen detail;
    SearchScreen searchScreen;
    StaffScreen staff;

    ~Impl()
    {
        if (bake) bake->fonts.wait();
        qrTextures.clear();
        rotationTarget.reset();
        if (imguiRendererReady) ImGui_ImplSDLRenderer_Shutdown();
        if (imguiSdlReady) ImGui_ImplSDL2_Shutdown();
        if (imgui) ImGui::DestroyContext(imgui);
        if (renderer) SDL_DestroyRenderer(renderer);
        if (window) SDL_DestroyWindow(window);
        SDL_Quit();
    }

    [[nodiscard]] bool rotated() const { return options.rotation == 90 || options.rotation == 270; }

    /// The size the UI is laid out for: the screen, turned by the configured rotation.
    [[nodiscard]] ImVec2 logicalSize() const
    {
        int width = 0;
        int height = 0;
        SDL_GetRendererOutputSize(renderer, &width, &height);
        return rotated() ? ImVec2(static_cast<float>(height), static_cast<float>(width))
                         : ImVec2(static_cast<float>(width), static_cast<float>(height));
    }

    ScreenView& screenView(Screen screen)
    {
        switch (screen) {
        case Screen::Home: return home;
        case Screen::Events: return events;
        case Screen::DropIn: return dropIn;
        case Screen::Services: return servicesScreen;
        case Screen::Detail: return detail;
        case Screen::Search: return searchScreen;
        case Screen::Staff: return staff;
        }
        return home;
    }

    // Fonts for `unit` at the state's text scale. The first bake happens here (start-up); later
    // ones run on a worker while frames keep using the fonts they have, and come in between frames.
    // Returns true while a bake is on its way (the caller keeps frames coming to pick it up).
    Result<bool> ensureFonts(float unit)
    {
        const float scale = state->textScale();
        if (!fonts.body) {
            auto baked = bakeFonts(*atlas, fontData, unit, scale);
            if (!baked) return std::unexpected(baked.error());
            useFonts(*baked, unit, scale);
            return false;
        }
        if (bake && bake->fonts.wait_for(std::chrono::seconds{0}) == std::future_status::ready) {
            Bake done = std::move(*bake);
            bake.reset();
            auto baked = done.fonts.get();
            if (!baked) return std::unexpected(baked.error());
            if (done.unit == unit && done.scale == scale) {
                ImGui::GetIO().Fonts = done.atlas.get();
                std::swap(atlas, done.atlas);   // the old atlas goes with `done`
                useFonts(*baked, unit, scale);
            }
        }
        if (unit == bakedUnit && scale == bakedScale) return bake.has_value();
        if (!bake) {
            // The analyzer loses the atlas's owner when the Bake moves into the optional (a false
            // leak report, given at the function's end); `bake` owns it until it is swapped in or
            // the bake is dropped.
            // NOLINTBEGIN(clang-analyzer-cplusplus.NewDeleteLeaks)
            Bake next{unit, scale, std::make_unique<ImFontAtlas>(), {}};
            next.fonts = std::async(std::launch::async, [atlas = next.atlas.get(), data = &fontData, unit, scale] {
                return bakeFonts(*atlas, *data, unit, scale);
            });
            bake = std::move(next);
        }
        return true;
    }   // the analyzer reports its false leak here, at the end of the function
    // NOLINTEND(clang-analyzer-cplusplus.NewDeleteLeaks)

    void useFonts(const Fonts& baked, float unit, float scale)
    {
        fonts = baked;
        ImGui::GetIO().FontDefault = fonts.body;
        bakedUnit = unit;
        bakedScale = scale;
        if (imguiRendererReady) uploadFontAtlas();
    }

    /// Moves the baked atlas into its SDL texture. ImGui's own copies of it (8-bit and RGBA) are
    /// 12 MB at 1080p and are not read again (the next bake fills a new atlas from the font bytes
    /// kept in fontData): each is freed as soon as the next step has what it needs.
    static void uploadFontAtlas()
    {
        ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
        unsigned char* pixels = nullptr;
        int width = 0;
        int height = 0;
        atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
        IM_FREE(atlas.TexPixelsAlpha8);
        atlas.TexPixelsAlpha8 = nullptr;
        atlas.ClearInputData();
        ImGui_ImplSDLRenderer_DestroyFontsTexture();
        ImGui_ImplSDLRenderer_CreateFontsTexture();
        atlas.ClearTexData();
    }

    SDL_Texture* qrTexture(const std::string& text)
    {
        if (auto found = qrTextures.find(text); found != qrTextures.end()) return found->second.get();
        auto matrix = encodeQr(text);
        if (!matrix) return nullptr;
        Texture texture(SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, matrix->size,
                                          matrix->size));
        if (!texture) return nullptr;
        std::vector<std::uint32_t> pixels(static_cast<std::size_t>(matrix->size * matrix->size));
        for (int y = 0; y < matrix->size; ++y) {
            for (int x = 0; x < matrix->size; ++x) {
                pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(matrix->size) + static_cast<std::size_t>(x)] = matrix->isDark(x, y) ? 0xFF000000u : 0xFFFFFFFFu;
            }
        }
        SDL_UpdateTexture(texture.get(), nullptr, pixels.data(), matrix->size * 4);
        SDL_SetTextureScaleMode(texture.get(), SDL_ScaleModeNearest);
        return qrTextures.emplace(text, std::move(texture)).first->second.get();
    }

    void takeNewContent()
    {
        if (dependencies.content.generation() != generation || !snapshot) {
            generation = dependencies.content.generation();
            snapshot = dependencies.content.snapshot();
            // Search results point into the snapshot they were resolved in.
            search = SearchResults{};
            searchPending = !state->searchText().empty();
            if (searchPending) dependencies.content.requestSearch(state->searchText());
        }
        if (auto answer = dependencies.content.takeSearchAnswer()) resolve(*answer);
        const bool onDetail = state->screen() == Screen::Detail;
        detailTexts.update(onDetail ? state->detail() : std::nullopt, *snapshot, generation);
    }

    /// Waits (boundedly) for the open detail page's texts: a screenshot shows the page as a family
    /// sees it a moment after opening it.
    void waitForDetailTexts()
    {
        for (int waited = 0; detailTexts.pending() && waited < 500; ++waited) {
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
            takeNewContent();
        }
    }

    void resolve(const SearchAnswer& answer)
    {
        search = SearchResults{answer.query, {}, {}, {}};
        for (const SearchHit& hit : answer.hits) {
            switch (hit.kind) {
            case SearchKind::Place:
                if (const Place* place = snapshot->place(hit.id)) search.places.push_back(place);
                break;
            case SearchKind::Service:
                if (const Service* service = snapshot->service(hit.id)) search.services.push_back(service);
                break;
            case SearchKind::Event:
                if (const Event* event = snapshot->event(hit.id)) search.events.push_back(event);
                break;
            }
        }
        searchPending = answer.query != state->searchText();
    }

    FrameTiming lastTiming;

    /// Builds and renders one frame. Returns true when another frame is wanted right away.
    bool frame()
    {
        const auto buildStart = std::chrono::steady_clock::now();
        const std::size_t stateBefore = state->fingerprint();
        const Instant now = dependencies.clock();
        takeNewContent();
        state->tick(now);
        // A kiosk runs for months and families open thousands of pages: keep the QR cache bounded.
        // Only between frames, never while a draw list may still point at a texture.
        if (qrTextures.size() > kMaxQrTextures) qrTextures.clear();
        if (state->isScreenOff(now)) {
            // Night: a black frame, so the panel can sleep; nothing else is drawn.
            SDL_SetRenderTarget(renderer, nullptr);
            SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
            SDL_RenderClear(renderer);
            return false;
        }

        const ImVec2 size = logicalSize();
        bool fontsComing = false;
        if (auto baked = ensureFonts(metricsFor(size.x, size.y, state->textScale()).unit); !baked) {
            SDL_Log("kohtaamo-kiosk: %s", baked.error().message.c_str());
        } else {
            fontsComing = *baked;
        }
        // Laid out for the fonts in use: a new text scale takes effect with its fonts, all at once.
        const Metrics metrics = metricsFor(size.x, size.y, bakedScale);
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGuiIO& io = ImGui::GetIO();
        // The backend polls SDL's global mouse state, which under a held button (pointer capture)
        // does not follow the finger on every system; the events always do.
        if (pointer) io.MousePos = *pointer;
        // Lay out for the rotated screen and turn the pointer with it.
        const ImVec2 physical = io.DisplaySize;
        io.DisplaySize = size;
        if (options.rotation != 0 && io.MousePos.x > -FLT_MAX / 2) {
            const ImVec2 p = io.MousePos;
            if (options.rotation == 90) io.MousePos = {p.y, physical.x - p.x};
            else if (options.rotation == 180) io.MousePos = {physical.x - p.x, physical.y - p.y};
            else io.MousePos = {physical.y - p.y, p.x};
        }
        ImGui::NewFrame();
        applyStyle(metrics);

        bool animate = fontsComing;
        const Palette& palette = paletteFor(state->contrast());
        UiContext ctx{*state,   *snapshot, search,     detailTexts.texts(),  dependencies.translations,
                      fonts,    palette,   metrics,    dependencies.site,    services,
                      now,      generation, dependencies.version, &animate};
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(size);
        // The chrome draws edge to edge; screens get their margins from the content area.
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
        ImGui::Begin("##kiosk", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
        ImGui::PopStyleVar();
        const ContentArea area = drawChrome(ctx);
        ImGui::SetCursorScreenPos(area.min);
        ImGui::BeginChild("##content", {area.width(), area.height()}, false,
                          ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        screenView(state->screen()).draw(ctx, area);
        ImGui::EndChild();
        ImGui::End();
        drawOverlays(ctx);
        ImGui::Render();
        const auto renderStart = std::chrono::steady_clock::now();

        const ImU32 background = palette.background;
        SDL_SetRenderTarget(renderer, rotationTarget.get());
        SDL_SetRenderDrawColor(renderer, background & 0xff, (background >> 8) & 0xff, (background >> 16) & 0xff, 255);
        SDL_RenderClear(renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        if (rotationTarget) {
            SDL_SetRenderTarget(renderer, nullptr);
            SDL_Rect target{0, 0, static_cast<int>(size.x), static_cast<int>(size.y)};
            int outputWidth = 0;
            int outputHeight = 0;
            SDL_GetRendererOutputSize(renderer, &outputWidth, &outputHeight);
            target.x = (outputWidth - target.w) / 2;
            target.y = (outputHeight - target.h) / 2;
            SDL_RenderCopyEx(renderer, rotationTarget.get(), nullptr, &target, options.rotation, nullptr, SDL_FLIP_NONE);
        }
        const auto renderEnd = std::chrono::steady_clock::now();
        lastTiming.buildMs = std::chrono::duration<double, std::milli>(renderStart - buildStart).count();
        lastTiming.renderMs = std::chrono::duration<double, std::milli>(renderEnd - renderStart).count();
        // A tap lands when the finger lifts, halfway through a frame whose chrome was already drawn
        // with the old state: draw once more so the screen matches the state.
        const bool stateChanged = state->fingerprint() != stateBefore;
        return animate || searchPending || stateChanged || ImGui::IsAnyMouseDown() || ImGui::GetIO().MouseReleased[0];
    }

    void applyStyle(const Metrics& metrics)
    {
        ImGuiStyle& style = ImGui::GetStyle();
        const Palette& palette = paletteFor(state->contrast());
        style.WindowRounding = 0;
        style.ChildRounding = 0;
        style.FrameRounding = 0;
        style.ScrollbarRounding = 0;
        style.WindowBorderSize = 0;
        style.ChildBorderSize = 0;
        style.WindowPadding = {metrics.px(28), metrics.px(28)};
        style.ItemSpacing = {metrics.px(12), metrics.px(10)};
        style.ScrollbarSize = metrics.px(22);
        style.AntiAliasedFill = false;   // flat shapes: no feathered edges for the software renderer
        style.AntiAliasedLines = false;
        style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(palette.surface);
        style.Colors[ImGuiCol_ScrollbarBg] = ImGui::ColorConvertU32ToFloat4(palette.background);
        style.Colors[ImGuiCol_ScrollbarGrab] = ImGui::ColorConvertU32ToFloat4(palette.border);
        style.Colors[ImGuiCol_ScrollbarGrabActive] = ImGui::ColorConvertU32ToFloat4(palette.primary);
        style.Colors[ImGuiCol_ScrollbarGrabHovered] = ImGui::ColorConvertU32ToFloat4(palette.border);
        style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(palette.text);
        ImGui::GetIO().MouseDragThreshold = metrics.px(14);
    }

    void present() { SDL_RenderPresent(renderer); }

    /// Milliseconds to wait for input before the next redraw is due (the minute turns, the idle
    /// prompt appears or its countdown ends).
    int idleWaitMs(Instant now) const
    {
        const auto toNextMinute = std::chrono::minutes{1} - now.time_since_epoch() % std::chrono::minutes{1};
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(toNextMinute);
        if (auto deadline = state->nextIdleDeadline(now)) {
            wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now));
        }
        if (searchPending || detailTexts.pending()) wait = std::min(wait, std::chrono::milliseconds{kPendingPollMs});
        // A watchdog is fed only by presented frames, so present often enough to keep it fed.
        if (dependencies.health && dependencies.health->watchdogInterval()) {
            wait = std::min(wait, *dependencies.health->watchdogInterval());
        }
        return static_cast<int>(std::max<std::int64_t>(1, wait.count() + 5));
    }

    // A frame and its present, with the present counted as rendering.
    FrameTiming timedFrame()
    {
        frame();
        const auto presentStart = std::chrono::steady_clock::now();
        present();
        FrameTiming timing = lastTiming;
        timing.renderMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - presentStart).count();
        return timing;
    }

    void handle(const SDL_Event& event)
    {
        if (event.type == SDL_QUIT) quit = true;
        if (event.type == SDL_FINGERDOWN) ++fingersDown;
        if (event.type == SDL_FINGERUP) fingersDown = std::max(0, fingersDown - 1);
        if (isInputEvent(event)) {
            const Instant now = dependencies.clock();
            const bool wasOff = state->isScreenOff(now);
            state->noteInput(now);
            // The touch that wakes a dark screen only wakes it; it does not press what is under it.
            if (wasOff) return;
        }
        // A second finger is ignored rather than misread as a drag or a tap elsewhere.
        const bool mouse = event.type == SDL_MOUSEBUTTONDOWN || event.type == SDL_MOUSEBUTTONUP ||
                           event.type == SDL_MOUSEMOTION;
        if (mouse && fingersDown > 1) return;
        if (event.type == SDL_MOUSEMOTION) pointer = ImVec2(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
        if (event.type == SDL_MOUSEBUTTONDOWN || event.type == SDL_MOUSEBUTTONUP) {
            pointer = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
        }
        if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE && state->canGoBack()) state->back();
        ImGui_ImplSDL2_ProcessEvent(&event);
    }
};

KioskShell::KioskShell(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
KioskShell::~KioskShell() = default;

KioskState& KioskShell::state() { return *m_impl->state; }

Result<std::unique_ptr<KioskShell>> KioskShell::create(const ShellOptions& options, ShellDependencies dependencies)
{
    // Buffers of a megabyte and more (font atlases, snapshots, downloads) are mapped and unmapped,
    // so what a text-size change or a sync frees goes back to the system. glibc's default moves
    // this threshold up after such frees, and a kiosk's RSS then climbs for days (measured by the
    // soak: +20 MB over a simulated week of text-size taps, flat with this).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    auto impl = std::make_unique<Impl>(std::move(dependencies));
    impl->options = options;
    if (options.headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    }
    // Software rendering must not drag in Mesa (measured: 50–70 ms more to open a window).
    if (options.headless || options.softwareRenderer) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return std::unexpected(sdlError("starting SDL"));

    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (options.fullscreen && !options.headless) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    else if (!options.headless) flags |= SDL_WINDOW_RESIZABLE;
    impl->window = SDL_CreateWindow("Kohtaamo", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                                    options.height, flags);
    if (!impl->window) return std::unexpected(sdlError("opening the window"));
    const Uint32 rendererFlags = options.headless || options.softwareRenderer
                                     ? SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE
                                     : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
    impl->renderer = SDL_CreateRenderer(impl->window, -1, rendererFlags);
    if (!impl->renderer) impl->renderer = SDL_CreateRenderer(impl->window, -1, SDL_RENDERER_SOFTWARE);
    if (!impl->renderer) return std::unexpected(sdlError("creating the renderer"));
    if (options.fullscreen && !options.headless) SDL_ShowCursor(SDL_DISABLE);

    if (impl->rotated() || options.rotation == 180) {
        const ImVec2 size = impl->logicalSize();
        impl->rotationTarget.reset(SDL_CreateTexture(impl->renderer, SDL_PIXELFORMAT_ARGB8888,
                                                     SDL_TEXTUREACCESS_TARGET, static_cast<int>(size.x),
                                                     static_cast<int>(size.y)));
        if (!impl->rotationTarget) return std::unexpected(sdlError("creating the rotation buffer"));
    }

    IMGUI_CHECKVERSION();
    auto fontData = loadFontData(impl->dependencies.fontFiles);
    if (!fontData) return std::unexpected(fontData.error());
    impl->fontData = std::move(*fontData);
    // The context borrows the atlas, so the shell may swap atlases (and frees them itself).
    impl->imgui = ImGui::CreateContext(impl->atlas.get());
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;   // a kiosk writes nothing but its cache and logs
    io.LogFilename = nullptr;
    impl->state = std::make_unique<KioskState>(impl->dependencies.site.defaultLanguage, impl->dependencies.idle,
                                               impl->dependencies.clock());
    if (!ImGui_ImplSDL2_InitForSDLRenderer(impl->window)) return fail(ErrorCode::Io, "ImGui SDL backend failed");
    impl->imguiSdlReady = true;
    if (!ImGui_ImplSDLRenderer_Init(impl->renderer)) return fail(ErrorCode::Io, "ImGui renderer backend failed");
    impl->imguiRendererReady = true;
    const Metrics metrics = metricsFor(impl->logicalSize().x, impl->logicalSize().y, 1.0f);
    if (auto baked = impl->ensureFonts(metrics.unit); !baked) return std::unexpected(baked.error());

    Impl* raw = impl.get();
    impl->services.qrTexture = [raw](const std::string& text) { return raw->qrTexture(text); };
    impl->services.requestSearch = [raw](const std::string& query) {
        raw->searchPending = true;
        raw->dependencies.content.requestSearch(query);
    };
    impl->services.syncNow = raw->dependencies.syncNow;
    impl->services.checkPin = raw->dependencies.checkPin;
    if (raw->dependencies.allowExit) impl->services.requestExit = [raw] { raw->quit = true; };
    impl->services.textScaleChanged = [] {};
    impl->services.deviceNotices = raw->dependencies.deviceNotices;
    return std::unique_ptr<KioskShell>(new KioskShell(std::move(impl)));
}

int KioskShell::run()
{
    Impl& impl = *m_impl;
    bool wantFrame = true;
    while (!impl.quit) {
        SDL_Event event;
        const bool got = wantFrame ? SDL_PollEvent(&event) != 0
                                   : SDL_WaitEventTimeout(&event, impl.idleWaitMs(impl.dependencies.clock())) != 0;
        if (got) {
            impl.handle(event);
            while (SDL_PollEvent(&event)) impl.handle(event);
        }
        wantFrame = impl.frame();
        impl.present();
        if (HealthReporter* health = impl.dependencies.health) {
            const Instant now = impl.dependencies.clock();
            health->framePresented(now);
            health->update(*impl.snapshot, !impl.state->isScreenOff(now), now);
        }
        if (impl.options.exitAfterFirstFrame) {
            // The start-up benchmark times process start to this present; tearing down (joining a
            // snapshot build still running in the background) is not part of it.
            std::fflush(nullptr);
            std::_Exit(0);
        }
    }
    return 0;
}

FrameTiming KioskShell::benchmarkFrame(float wheel)
{
    Impl& impl = *m_impl;
    SDL_Event motion{};
    motion.type = SDL_MOUSEMOTION;
    motion.motion.x = static_cast<Sint32>(impl.logicalSize().x * 0.7f);
    motion.motion.y = static_cast<Sint32>(impl.logicalSize().y * 0.5f);
    ImGui_ImplSDL2_ProcessEvent(&motion);
    ImGui::GetIO().MousePos = {static_cast<float>(motion.motion.x), static_cast<float>(motion.motion.y)};
    SDL_Event scroll{};
    scroll.type = SDL_MOUSEWHEEL;
    scroll.wheel.y = static_cast<Sint32>(wheel);
    ImGui_ImplSDL2_ProcessEvent(&scroll);
    return impl.timedFrame();
}

FrameTiming KioskShell::runFrame(const std::vector<SDL_Event>& events)
{
    Impl& impl = *m_impl;
    for (const SDL_Event& event : events) impl.handle(event);
    return impl.timedFrame();
}

Result<void> KioskShell::screenshot(const std::filesystem::path& file)
{
    Impl& impl = *m_impl;
    // The first frames settle auto-sized windows, bake fonts for the text scale and load a detail
    // page's texts (both waited for here, unlike in the kiosk); the last one is the picture.
    const auto settledFrame = [&] {
        if (impl.bake) impl.bake->fonts.wait();
        impl.frame();
    };
    settledFrame();
    impl.waitForDetailTexts();
    for (int i = 0; i < 3; ++i) settledFrame();
    SDL_SetRenderTarget(impl.renderer, nullptr);
    int width = 0;
    int height = 0;
    SDL_GetRendererOutputSize(impl.renderer, &width, &height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    if (SDL_RenderReadPixels(impl.renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels.data(), width * 4) != 0) {
        return std::unexpected(sdlError("reading the rendered frame"));
    }
    return writePng(file, width, height, pixels);
}

void KioskShell::searchNow(const std::string& query)
{
    Impl& impl = *m_impl;
    impl.state->searchText() = query;
    impl.dependencies.content.requestSearch(query);
    impl.takeNewContent();
    for (int waited = 0; waited < 500; ++waited) {
        if (auto answer = impl.dependencies.content.takeSearchAnswer()) {
            impl.resolve(*answer);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
}

} // namespace kohtaamo
