#pragma once
// Everything a screen needs to draw one frame, handed down by the shell. Screens read the
// snapshot and the state, and change only the state.

#include "content/snapshot.hpp"
#include "content/text_selection.hpp"
#include "fonts.hpp"
#include "kiosk_state.hpp"
#include "theme.hpp"
#include "translations.hpp"
#include "sync/kiosk_config.hpp"

#include <functional>
#include <string>

struct SDL_Texture;

namespace kohtaamo {

/// Results of the latest search request, filled off the frame thread.
struct SearchResults {
    std::string query;
    std::vector<const Place*> places;
    std::vector<const Service*> services;
    std::vector<const Event*> events;
};

/// What screens may ask of the shell beyond the state: things that need SDL or other threads.
struct ShellServices {
    std::function<SDL_Texture*(const std::string& text)> qrTexture;   ///< cached; null if it cannot be made
    std::function<void(const std::string& query)> requestSearch;      ///< answered in SearchResults later
    std::function<void()> syncNow;
    std::function<bool(const std::string& pin)> checkPin;
    std::function<void()> requestExit;                                ///< null when config forbids it
    std::function<void()> textScaleChanged;                           ///< fonts must be rebaked
    std::vector<std::string> deviceNotices;                           ///< e.g. the cache was rebuilt (staff panel)
};

/// Screens cache what they derive from the snapshot until the snapshot, the minute or their own
/// inputs change; a frame while scrolling then costs only drawing.
struct CacheKey {
    std::uint64_t snapshotGeneration = 0;
    std::int64_t minute = -1;
    std::size_t inputs = 0;   ///< a hash of whatever else the cached result depends on
    bool operator==(const CacheKey&) const = default;
};

struct UiContext {
    KioskState& state;
    const Snapshot& snapshot;
    const SearchResults& search;
    const DetailTexts& detailTexts;   ///< of the open detail page; empty until read from the cache
    const Translations& translations;
    const Fonts& fonts;
    const Palette& palette;
    const Metrics& metrics;
    const SiteConfig& site;
    const ShellServices& shell;
    Instant now;
    std::uint64_t snapshotGeneration = 0;   ///< changes whenever a new snapshot is shown
    std::string version;
    bool* animationRequested = nullptr;   ///< set to keep frames coming (inertia, countdowns)

    /// True for the moment between start-up and the first snapshot read from the cache.
    [[nodiscard]] bool loading() const { return snapshotGeneration == 0; }

    [[nodiscard]] CacheKey cacheKey(std::size_t inputs = 0) const
    {
        return CacheKey{snapshotGeneration,
                        std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count(), inputs};
    }

    void requestAnimationFrame() const
    {
        if (animationRequested) *animationRequested = true;
    }

    [[nodiscard]] std::string_view t(std::string_view key) const { return translations.text(state.language(), key); }
    [[nodiscard]] std::string tf(std::string_view key,
                                 std::initializer_list<std::pair<std::string_view, std::string>> values) const
    {
        return translations.format(state.language(), key, values);
    }
    /// Content text in the chosen language, falling back as the site configures.
    [[nodiscard]] std::string_view text(const LocalizedText& localized) const
    {
        // A newcomer reading Ukrainian or English more likely reads English than Finnish, so
        // English comes first for them; then the site's order (by default fi, sv, en).
        LanguageOrder order{state.language()};
        if (state.language() != "fi" && state.language() != "sv") order.emplace_back("en");
        order.insert(order.end(), site.fallback.begin(), site.fallback.end());
        return localized.in(order);
    }
};

/// What the kiosk's snapshots hold of the texts: the languages text() can read (the site's, its
/// default and the fallback chain) without the long texts, which a detail page reads from the cache.
[[nodiscard]] inline TextSelection snapshotTexts(const SiteConfig& site)
{
    TextSelection selection{.languages = site.languages, .longTexts = LongTexts::InCache};
    selection.languages.push_back(site.defaultLanguage);
    selection.languages.insert(selection.languages.end(), site.fallback.begin(), site.fallback.end());
    return selection;
}

} // namespace kohtaamo
