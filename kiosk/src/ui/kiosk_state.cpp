#include "kiosk_state.hpp"

#include <algorithm>

namespace kohtaamo {

namespace {
constexpr int kCornerTapsToOpen = 5;
constexpr std::chrono::seconds kCornerTapWindow{3};
} // namespace

KioskState::KioskState(std::string defaultLanguage, IdleSettings idle, Instant now)
    : m_defaultLanguage(std::move(defaultLanguage)), m_idle(idle), m_language(m_defaultLanguage), m_lastInput(now)
{
}

void KioskState::open(Screen screen)
{
    if (screen == Screen::Home) return goHome();
    if (screen == Screen::Services) m_serviceCategory.reset();
    if (m_stack.back() == screen && screen != Screen::Detail) return;
    m_stack.push_back(screen);
    m_detailStack.push_back(m_detail);
    resetScroll(screen);
}

void KioskState::openDetail(DetailTarget target)
{
    m_stack.push_back(Screen::Detail);
    m_detailStack.push_back(m_detail);
    m_detail = std::move(target);
    resetScroll(Screen::Detail);
}

void KioskState::back()
{
    // In Services, Back first leaves the chosen category for the category grid.
    if (screen() == Screen::Services && m_serviceCategory) {
        m_serviceCategory.reset();
        return;
    }
    if (m_stack.size() <= 1) return;
    m_stack.pop_back();
    m_detail = m_detailStack.back();
    m_detailStack.pop_back();
}

void KioskState::goHome()
{
    m_stack.assign(1, Screen::Home);
    m_detailStack.clear();
    m_detail.reset();
}

void KioskState::setTextScale(float scale) { m_textScale = std::clamp(scale, 1.0f, 2.0f); }

void KioskState::noteInput(Instant now)
{
    m_lastInput = now;
    m_idlePhase = IdlePhase::Active;
}

bool KioskState::tick(Instant now)
{
    const auto idleFor = now - m_lastInput;
    // Time running backwards (an NTP step) must not leave the prompt up forever.
    if (idleFor < std::chrono::seconds{0}) {
        m_lastInput = now;
        return false;
    }
    switch (m_idlePhase) {
    case IdlePhase::Active:
        if (idleFor >= m_idle.promptAfter && !isPristine()) m_idlePhase = IdlePhase::Prompt;
        break;
    case IdlePhase::Prompt:
        if (idleFor >= m_idle.promptAfter + m_idle.countdown) {
            resetForNextFamily();
            m_idlePhase = IdlePhase::Active;
            return true;
        }
        break;
    }
    return false;
}

std::size_t KioskState::fingerprint() const
{
    std::size_t hash = std::hash<std::string>{}(m_language) ^ (std::hash<std::string>{}(m_searchText) << 1);
    auto mix = [&](std::size_t value) { hash = hash * 1'000'003u ^ value; };
    for (Screen screen : m_stack) mix(static_cast<std::size_t>(screen));
    if (m_detail) mix(std::hash<std::string>{}(m_detail->id));
    mix(m_eventFilters.ageBand ? static_cast<std::size_t>(*m_eventFilters.ageBand) + 1 : 0);
    mix(m_eventFilters.category ? static_cast<std::size_t>(*m_eventFilters.category) + 1 : 0);
    mix(std::hash<std::string>{}(m_eventFilters.language));
    mix(static_cast<std::size_t>(m_eventFilters.freeOnly) * 2 + static_cast<std::size_t>(m_eventFilters.dropInOnly));
    mix(m_serviceCategory ? static_cast<std::size_t>(*m_serviceCategory) + 1 : 0);
    mix(static_cast<std::size_t>(m_textScale * 100));
    mix(static_cast<std::size_t>(m_contrast));
    mix(static_cast<std::size_t>(m_pinPadOpen) * 64 + m_pinEntry.size());
    mix(static_cast<std::size_t>(m_idlePhase));
    return hash;
}

bool KioskState::isPristine() const
{
    // Nothing a family could have left behind: no prompt needed, the screen can idle as it is.
    return m_stack.size() == 1 && m_language == m_defaultLanguage && m_eventFilters == EventFilters{} &&
           !m_serviceCategory && m_searchText.empty() && !m_pinPadOpen && m_textScale == 1.0f &&
           m_contrast == Contrast::Normal;
}

int KioskState::promptSecondsLeft(Instant now) const
{
    const auto left = m_lastInput + m_idle.promptAfter + m_idle.countdown - now;
    return static_cast<int>(std::max<std::int64_t>(0, std::chrono::ceil<std::chrono::seconds>(left).count()));
}

void KioskState::resetForNextFamily()
{
    goHome();
    m_language = m_defaultLanguage;
    m_eventFilters = {};
    m_serviceCategory.reset();
    m_searchText.clear();
    m_textScale = 1.0f;
    m_contrast = Contrast::Normal;
    for (auto& generation : m_scrollGeneration) ++generation;
    m_cornerTaps.clear();
    closePinPad();
}

bool KioskState::isScreenOff(Instant now) const
{
    if (!m_idle.night || m_idlePhase == IdlePhase::Prompt || now - m_lastInput < m_idle.promptAfter) return false;
    const auto local = TimeZone::helsinki().toLocal(now);
    const int minute = static_cast<int>(
        std::chrono::duration_cast<Minutes>(local - std::chrono::floor<date::days>(local)).count());
    const int off = m_idle.night->off.minutes;
    const int on = m_idle.night->on.minutes;
    return off <= on ? (minute >= off && minute < on) : (minute >= off || minute < on);
}

std::optional<Instant> KioskState::nextIdleDeadline(Instant now) const
{
    switch (m_idlePhase) {
    case IdlePhase::Active: {
        // The prompt is due, or (at night) the moment the screen goes dark.
        const Instant prompt = m_lastInput + m_idle.promptAfter;
        if (prompt > now && (!isPristine() || m_idle.night)) return prompt;
        return std::nullopt;
    }
    case IdlePhase::Prompt: return m_lastInput + m_idle.promptAfter + m_idle.countdown;
    }
    return std::nullopt;
}

bool KioskState::noteCornerTap(Instant now)
{
    std::erase_if(m_cornerTaps, [&](Instant tap) { return now - tap > kCornerTapWindow; });
    m_cornerTaps.push_back(now);
    if (static_cast<int>(m_cornerTaps.size()) < kCornerTapsToOpen) return false;
    m_cornerTaps.clear();
    m_pinPadOpen = true;
    m_pinEntry.clear();
    return true;
}

void KioskState::closePinPad()
{
    m_pinPadOpen = false;
    m_pinEntry.clear();
}

void KioskState::unlockStaff()
{
    closePinPad();
    open(Screen::Staff);
}

} // namespace kohtaamo
