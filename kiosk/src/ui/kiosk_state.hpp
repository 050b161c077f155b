#pragma once
// The kiosk's UI state as a plain model: which screen, which item, filters, language, text size,
// the idle timer and the staff gesture. No SDL, no ImGui: tests drive it directly, and the screens
// only read it and call its methods.

#include "content/snapshot.hpp"
#include "content/time.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kohtaamo {

enum class Screen { Home, Events, DropIn, Services, Detail, Search, Staff };
enum class DetailKind { Place, Service, Event };
enum class Contrast { Normal, High };

/// What the detail screen shows: a record by id (and for events, the session that was tapped).
struct DetailTarget {
    DetailKind kind = DetailKind::Place;
    std::string id;
    std::optional<Instant> occurrenceStart;
    bool operator==(const DetailTarget&) const = default;
};

struct EventFilters {
    std::optional<AgeBand> ageBand;
    std::string language;
    std::optional<EventCategory> category;
    bool freeOnly = false;
    bool dropInOnly = false;
    bool operator==(const EventFilters&) const = default;
};

/// The screen is dark from `off` until `on` (local time; may wrap past midnight), unless touched.
struct NightSchedule {
    TimeOfDay off;
    TimeOfDay on;
};

/// Idle behaviour; times come from config.
struct IdleSettings {
    std::chrono::seconds promptAfter{90};     ///< "Still here?" after this long without a touch
    std::chrono::seconds countdown{20};       ///< then back to the start after this long
    std::optional<NightSchedule> night;
};

enum class IdlePhase { Active, Prompt };

class KioskState {
public:
    KioskState(std::string defaultLanguage, IdleSettings idle, Instant now);

    // Navigation. Every screen but Home is pushed, so Back always has somewhere to go.
    void open(Screen screen);
    void openDetail(DetailTarget target);
    void back();
    void goHome();
    [[nodiscard]] Screen screen() const { return m_stack.back(); }
    [[nodiscard]] bool canGoBack() const { return m_stack.size() > 1 || (screen() == Screen::Services && m_serviceCategory); }
    [[nodiscard]] const std::optional<DetailTarget>& detail() const { return m_detail; }

    // What families choose.
    void setLanguage(std::string language) { m_language = std::move(language); }
    [[nodiscard]] const std::string& language() const { return m_language; }
    [[nodiscard]] EventFilters& eventFilters() { return m_eventFilters; }
    [[nodiscard]] const EventFilters& eventFilters() const { return m_eventFilters; }
    void setServiceCategory(std::optional<ServiceCategory> category) { m_serviceCategory = category; }
    [[nodiscard]] std::optional<ServiceCategory> serviceCategory() const { return m_serviceCategory; }
    [[nodiscard]] std::string& searchText() { return m_searchText; }
    [[nodiscard]] const std::string& searchText() const { return m_searchText; }
    void setTextScale(float scale);
    [[nodiscard]] float textScale() const { return m_textScale; }
    void setContrast(Contrast contrast) { m_contrast = contrast; }
    [[nodiscard]] Contrast contrast() const { return m_contrast; }
    /// Scroll areas of a screen go back to the top whenever this number changes: on opening the
    /// screen and when the kiosk resets for the next family.
    [[nodiscard]] unsigned scrollGeneration(Screen screen) const { return m_scrollGeneration[static_cast<std::size_t>(screen)]; }
    void resetScroll(Screen screen) { ++m_scrollGeneration[static_cast<std::size_t>(screen)]; }

    // The idle timer. Every touch, click or key calls noteInput(); the loop calls tick() with the clock.
    void noteInput(Instant now);
    /// Advances the idle phases; returns true when the state was reset for the next family.
    bool tick(Instant now);
    [[nodiscard]] IdlePhase idlePhase() const { return m_idlePhase; }
    /// Seconds left on the "Still here?" countdown.
    [[nodiscard]] int promptSecondsLeft(Instant now) const;
    /// Forget everything the last family did: home screen, default language, filters, search, scroll.
    void resetForNextFamily();
    /// The next moment tick() could change something (for the idle-waiting frame loop).
    [[nodiscard]] std::optional<Instant> nextIdleDeadline(Instant now) const;
    /// A hash of everything the screens show from the state; when it changes during a frame, that
    /// frame was drawn half with the old state and another one is needed.
    [[nodiscard]] std::size_t fingerprint() const;
    /// True when no family has changed anything since the last reset.
    [[nodiscard]] bool isPristine() const;
    /// True at night when nobody has touched the screen for the idle time: the shell shows a black
    /// frame (the panel may sleep). A touch wakes it until the next idle time has passed.
    [[nodiscard]] bool isScreenOff(Instant now) const;

    // The hidden staff panel: tap the top-left corner five times within three seconds, then a PIN.
    /// Returns true when the fifth tap opened the PIN keypad.
    bool noteCornerTap(Instant now);
    [[nodiscard]] bool pinPadOpen() const { return m_pinPadOpen; }
    void closePinPad();
    [[nodiscard]] std::string& pinEntry() { return m_pinEntry; }
    /// Called when the entered PIN checked out: opens the staff screen.
    void unlockStaff();

private:
    std::string m_defaultLanguage;
    IdleSettings m_idle;
    std::vector<Screen> m_stack{Screen::Home};
    std::optional<DetailTarget> m_detail;
    std::vector<std::optional<DetailTarget>> m_detailStack;
    std::string m_language;
    EventFilters m_eventFilters;
    std::optional<ServiceCategory> m_serviceCategory;
    std::string m_searchText;
    float m_textScale = 1.0f;
    Contrast m_contrast = Contrast::Normal;
    std::array<unsigned, 7> m_scrollGeneration{};
    Instant m_lastInput;
    IdlePhase m_idlePhase = IdlePhase::Active;
    std::vector<Instant> m_cornerTaps;
    bool m_pinPadOpen = false;
    std::string m_pinEntry;
};

} // namespace kohtaamo
