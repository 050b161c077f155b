#include "ui/kiosk_state.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;
using namespace std::chrono_literals;

namespace {

const Instant kStart = *parseInstant("2026-03-10T10:00", TimeZone::helsinki());

KioskState makeState() { return KioskState("fi", IdleSettings{.promptAfter = 90s, .countdown = 20s}, kStart); }

} // namespace

TEST_CASE("navigation: screens stack, Back returns, Home clears")
{
    KioskState state = makeState();
    CHECK(state.screen() == Screen::Home);
    CHECK_FALSE(state.canGoBack());
    state.open(Screen::Events);
    state.openDetail(DetailTarget{DetailKind::Event, "vauva", kStart});
    CHECK(state.screen() == Screen::Detail);
    state.openDetail(DetailTarget{DetailKind::Place, "majakka", std::nullopt});
    CHECK(state.detail()->id == "majakka");
    state.back();
    CHECK(state.screen() == Screen::Detail);
    CHECK(state.detail()->id == "vauva");
    state.back();
    CHECK(state.screen() == Screen::Events);
    CHECK_FALSE(state.detail().has_value());
    state.open(Screen::Events);   // tapping the current screen again does not stack it
    state.back();
    CHECK(state.screen() == Screen::Home);
    state.open(Screen::Search);
    state.open(Screen::Home);
    CHECK_FALSE(state.canGoBack());
}

TEST_CASE("in Services, Back first leaves the chosen category")
{
    KioskState state = makeState();
    state.open(Screen::Services);
    state.setServiceCategory(ServiceCategory::Neuvola);
    state.back();
    CHECK(state.screen() == Screen::Services);
    CHECK_FALSE(state.serviceCategory().has_value());
    state.back();
    CHECK(state.screen() == Screen::Home);
}

TEST_CASE("walking away: a prompt after the idle time, then a full reset after the countdown")
{
    KioskState state = makeState();
    state.noteInput(kStart);
    state.setLanguage("sv");
    state.open(Screen::Events);
    state.eventFilters().ageBand = AgeBand::Baby;
    state.searchText() = "perhe";
    state.setTextScale(1.5f);
    state.setContrast(Contrast::High);
    const unsigned eventsScroll = state.scrollGeneration(Screen::Events);

    CHECK_FALSE(state.tick(kStart + 89s));
    CHECK(state.idlePhase() == IdlePhase::Active);
    CHECK(*state.nextIdleDeadline(kStart + 89s) == kStart + 90s);
    CHECK_FALSE(state.tick(kStart + 90s));
    CHECK(state.idlePhase() == IdlePhase::Prompt);
    CHECK(state.promptSecondsLeft(kStart + 90s) == 20);
    CHECK(state.promptSecondsLeft(kStart + 105s) == 5);
    CHECK(state.tick(kStart + 110s));   // reset
    CHECK(state.screen() == Screen::Home);
    CHECK(state.language() == "fi");
    CHECK(state.eventFilters() == EventFilters{});
    CHECK(state.searchText().empty());
    CHECK(state.textScale() == 1.0f);
    CHECK(state.contrast() == Contrast::Normal);
    CHECK(state.scrollGeneration(Screen::Events) != eventsScroll);   // scroll areas go back to the top
    CHECK(state.isPristine());
}

TEST_CASE("a touch during the prompt keeps everything")
{
    KioskState state = makeState();
    state.open(Screen::DropIn);
    state.tick(kStart + 95s);
    REQUIRE(state.idlePhase() == IdlePhase::Prompt);
    state.noteInput(kStart + 100s);
    CHECK(state.idlePhase() == IdlePhase::Active);
    CHECK_FALSE(state.tick(kStart + 150s));
    CHECK(state.screen() == Screen::DropIn);
}

TEST_CASE("an untouched home screen needs no prompt and sets no busy deadline")
{
    KioskState state = makeState();
    CHECK_FALSE(state.tick(kStart + 500s));
    CHECK(state.idlePhase() == IdlePhase::Active);
    CHECK_FALSE(state.nextIdleDeadline(kStart + 500s).has_value());
}

TEST_CASE("the clock stepping backwards does not strand the prompt")
{
    KioskState state = makeState();
    state.open(Screen::Events);
    state.noteInput(kStart);
    CHECK_FALSE(state.tick(kStart - 3600s));   // NTP step back an hour
    CHECK(state.idlePhase() == IdlePhase::Active);
    CHECK_FALSE(state.tick(kStart - 3600s + 90s));   // the prompt comes after the idle time …
    CHECK(state.idlePhase() == IdlePhase::Prompt);
    CHECK(state.tick(kStart - 3600s + 110s));        // … and the countdown still ends
}

TEST_CASE("staff panel: five corner taps within three seconds open the PIN pad")
{
    KioskState state = makeState();
    for (int i = 0; i < 4; ++i) CHECK_FALSE(state.noteCornerTap(kStart + std::chrono::seconds{i * 2}));
    CHECK_FALSE(state.pinPadOpen());   // too slow: the first taps expired
    for (int i = 0; i < 4; ++i) CHECK_FALSE(state.noteCornerTap(kStart + 20s + std::chrono::seconds{i / 2}));
    CHECK(state.noteCornerTap(kStart + 22s));
    CHECK(state.pinPadOpen());
    state.pinEntry() = "1234";
    state.unlockStaff();
    CHECK_FALSE(state.pinPadOpen());
    CHECK(state.pinEntry().empty());
    CHECK(state.screen() == Screen::Staff);
}

TEST_CASE("text scale stays between 1× and 2×")
{
    KioskState state = makeState();
    state.setTextScale(3.0f);
    CHECK(state.textScale() == 2.0f);
    state.setTextScale(0.5f);
    CHECK(state.textScale() == 1.0f);
}

TEST_CASE("night: the screen goes dark after the idle time between off and on, and a touch wakes it")
{
    IdleSettings idle{.promptAfter = 90s, .countdown = 20s, .night = NightSchedule{TimeOfDay{21 * 60}, TimeOfDay{7 * 60}}};
    const Instant evening = *parseInstant("2026-03-10T21:30", TimeZone::helsinki());
    KioskState state("fi", idle, evening);
    CHECK_FALSE(state.isScreenOff(evening + 30s));        // just touched
    CHECK(*state.nextIdleDeadline(evening + 30s) == evening + 90s);
    state.tick(evening + 91s);
    CHECK(state.isScreenOff(evening + 91s));
    CHECK(state.isScreenOff(evening + 8h));               // 05:30 next morning
    CHECK_FALSE(state.isScreenOff(evening + 10h));        // 07:30: day again
    state.noteInput(evening + 2h);
    CHECK_FALSE(state.isScreenOff(evening + 2h + 60s));   // woken by a touch
    CHECK(state.isScreenOff(evening + 2h + 100s));
    const Instant noon = *parseInstant("2026-03-11T12:00", TimeZone::helsinki());
    KioskState day("fi", idle, noon);
    CHECK_FALSE(day.isScreenOff(noon + 3h));
}
