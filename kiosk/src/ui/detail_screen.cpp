#include "detail_screen.hpp"

#include "event_cards.hpp"
#include "formatting.hpp"

#include <SDL.h>
#include <fmt/format.h>

namespace kohtaamo {
namespace {

constexpr std::size_t kUpcomingShown = 5;

std::string icalText(std::string_view text)
{
    std::string escaped;
    for (char c : text) {
        if (c == '\\' || c == ';' || c == ',') escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

std::string compactUtc(Instant t)
{
    std::string text = formatUtc(t);   // 2026-03-10T07:30:00Z
    std::erase(text, '-');
    std::erase(text, ':');
    return text;
}

void field(const UiContext& ctx, std::string_view labelKey, std::string_view value)
{
    if (value.empty()) return;
    ui::text(ctx, ctx.t(labelKey), ctx.fonts.bold, ctx.palette.textMuted);
    ui::text(ctx, value, ctx.fonts.body, ctx.palette.text);
    ImGui::Dummy({1, ctx.metrics.px(8)});
}

std::string addressText(const UiContext& ctx, const Address& address)
{
    std::string text(ctx.text(address.street));
    const std::string city = fmt::format("{} {}", address.postalCode, ctx.text(address.city));
    if (city.size() > 1) text += (text.empty() ? "" : ", ") + city;
    return text;
}

void hoursTable(const UiContext& ctx, const OpeningHours& hours)
{
    const TimeZone& zone = TimeZone::helsinki();
    ui::text(ctx, ctx.t("detail.hours"), ctx.fonts.bold, ctx.palette.textMuted);
    if (hours.alwaysOpen) ui::text(ctx, ctx.t("detail.always_open"), ctx.fonts.body, ctx.palette.text);
    if (hours.byAppointment) ui::text(ctx, ctx.t("detail.by_appointment"), ctx.fonts.body, ctx.palette.text);
    const LocalDate today = zone.localDate(ctx.now);
    const float dayColumn = ctx.metrics.px(220) * ctx.metrics.textScale;
    for (int offset = 0; offset < 7 && !hours.alwaysOpen; ++offset) {
        const LocalDate day = today + date::days{offset};
        auto intervals = openingsBetween(hours, zone.toInstant(LocalDateTime{day}),
                                         zone.toInstant(LocalDateTime{day + date::days{1}}));
        std::erase_if(intervals, [&](const OpenInterval& i) { return zone.localDate(i.start) != day; });
        std::string line;
        for (const OpenInterval& interval : intervals) {
            if (!line.empty()) line += ", ";
            line += ui::timeRange(interval.start, interval.end);
            if (interval.kind == HoursKind::DropIn) line += fmt::format(" ({})", ctx.t("nav.dropin"));
        }
        if (line.empty()) line = std::string(ctx.t("home.closed"));
        for (const LocalizedText* note : notesOn(hours, day)) line += " · " + std::string(ctx.text(*note));
        ImFont* font = offset == 0 ? ctx.fonts.bold : ctx.fonts.body;
        ui::text(ctx, ui::dayLabel(ctx, day), font, ctx.palette.text, dayColumn);
        ImGui::SameLine(0, 0);
        ui::text(ctx, line, font, ctx.palette.text);
    }
    if (!hours.notes.empty()) ui::text(ctx, ctx.text(hours.notes), ctx.fonts.small, ctx.palette.textMuted);
    ImGui::Dummy({1, ctx.metrics.px(8)});
}

std::string costText(const UiContext& ctx, const Cost& cost)
{
    std::string text(ctx.text(cost.description));
    if (cost.isFree == true && text.empty()) text = std::string(ctx.t("event.free"));
    return text;
}

} // namespace

std::string calendarEntry(const Occurrence& occurrence, std::string_view title, std::string_view location)
{
    // The bare VEVENT form phone cameras read as "add to calendar"; every byte left out makes the
    // code coarser and easier to scan from arm's length.
    std::string text = "BEGIN:VEVENT\r\n";
    text += fmt::format("DTSTART:{}\r\n", compactUtc(occurrence.start));
    if (occurrence.end > occurrence.start) text += fmt::format("DTEND:{}\r\n", compactUtc(occurrence.end));
    text += fmt::format("SUMMARY:{}\r\n", icalText(title));
    if (!location.empty()) text += fmt::format("LOCATION:{}\r\n", icalText(location));
    text += "END:VEVENT\r\n";
    return text;
}

void DetailScreen::draw(const UiContext& ctx, const ContentArea&)
{
    const auto& target = ctx.state.detail();
    const Place* place = target && target->kind == DetailKind::Place ? ctx.snapshot.place(target->id) : nullptr;
    const Service* service = target && target->kind == DetailKind::Service ? ctx.snapshot.service(target->id) : nullptr;
    const Event* event = target && target->kind == DetailKind::Event ? ctx.snapshot.event(target->id) : nullptr;
    if (!place && !service && !event) {
        // New content may have removed what was open: say so instead of showing a blank.
        ui::heading(ctx, ctx.t("detail.not_found"));
        return;
    }
    if (place) drawPlace(ctx, *place);
    if (service) drawService(ctx, *service);
    if (event) drawEvent(ctx, *event);
}

void DetailScreen::drawQrCodes(const UiContext& ctx, const QrCodes& codes, bool vertical)
{
    const Metrics& m = ctx.metrics;
    ImGui::BeginGroup();
    ui::text(ctx, ctx.t("detail.take_with_you"), ctx.fonts.bold, ctx.palette.text, vertical ? m.px(330) : 0);
    const float side = m.px(vertical ? 260 : 240);
    bool first = true;
    for (const auto& [labelKey, payload] : codes) {
        if (payload.empty() || !ctx.shell.qrTexture) continue;
        SDL_Texture* texture = ctx.shell.qrTexture(payload);
        if (!texture) continue;
        if (!vertical && !first) ImGui::SameLine(0, m.gap() * 2);
        first = false;
        ImGui::BeginGroup();
        ui::text(ctx, ctx.t(labelKey), ctx.fonts.body, ctx.palette.text, side + 2 * m.px(16));
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        // A quiet zone of white around the code, whatever the theme, so phones can read it.
        const float quiet = m.px(16);
        ImGui::GetWindowDrawList()->AddRectFilled(pos, {pos.x + side + 2 * quiet, pos.y + side + 2 * quiet},
                                                  IM_COL32_WHITE);
        ImGui::SetCursorScreenPos({pos.x + quiet, pos.y + quiet});
        ImGui::Image(reinterpret_cast<ImTextureID>(texture), {side, side});
        ImGui::SetCursorScreenPos({pos.x, pos.y + side + 2 * quiet + m.px(4)});
        ImGui::Dummy({1, m.gap()});
        ImGui::EndGroup();
    }
    ImGui::EndGroup();
}

namespace {

// Lays out a detail page: text on the left and QR codes on the right in landscape; in portrait the
// codes go below the text.
template <class DrawText>
void detailLayout(const UiContext& ctx, ui::TouchScroller& scroller, const DetailScreen::QrCodes& codes,
                  DrawText&& drawText, std::function<void(const DetailScreen::QrCodes&, bool)> drawCodes)
{
    const Metrics& m = ctx.metrics;
    const ImVec2 available = ImGui::GetContentRegionAvail();
    const bool hasCodes = std::any_of(codes.begin(), codes.end(), [](const auto& c) { return !c.second.empty(); });
    const float qrColumn = hasCodes && !m.portrait() ? m.px(380) : 0;
    if (ui::beginScrollArea(ctx, "##detail", {available.x - qrColumn, available.y}, scroller)) {
        drawText();
        if (hasCodes && m.portrait()) {
            ImGui::Dummy({1, m.gap() * 2});
            drawCodes(codes, false);
        }
        ImGui::Dummy({1, m.gap() * 2});
    }
    ui::endScrollArea(ctx);
    if (qrColumn > 0) {
        ImGui::SameLine(0, m.gap());
        ImGui::BeginChild("##codes", {0, available.y}, false, ImGuiWindowFlags_NoBackground);
        drawCodes(codes, true);
        ImGui::EndChild();
    }
}

} // namespace

const std::vector<EventOccurrence>& DetailScreen::eventsAt(const UiContext& ctx, const Place& place)
{
    // A scan of every session in the window: once per place, snapshot and minute, not per frame.
    const CacheKey key = ctx.cacheKey(std::hash<std::string>{}(place.id));
    if (!(m_placeEventsKey == key)) {
        m_placeEventsKey = key;
        m_placeEvents = ctx.snapshot.occurrences(EventQuery{.from = ctx.now, .to = ctx.snapshot.window().to, .placeId = place.id});
        if (m_placeEvents.size() > kUpcomingShown) m_placeEvents.resize(kUpcomingShown);
    }
    return m_placeEvents;
}

void DetailScreen::drawPlace(const UiContext& ctx, const Place& place)
{
    QrCodes codes{{"detail.qr_web", place.contact.url},
                  {"detail.qr_phone", place.contact.phone.empty() ? "" : "tel:" + place.contact.phone}};
    detailLayout(
        ctx, m_scroller, codes,
        [&] {
            ui::text(ctx, ctx.text(place.name), ctx.fonts.heading, ctx.palette.text);
            if (isOpenAt(place.hours, ctx.now, TimeZone::helsinki(), HoursFilter::DropInOnly)) {
                ui::text(ctx, ctx.t("dropin.open_now"), ctx.fonts.bold, ctx.palette.open);
            }
            ui::text(ctx, ctx.text(ctx.detailTexts.description), ctx.fonts.body, ctx.palette.text);
            ImGui::Dummy({1, ctx.metrics.gap()});
            field(ctx, "detail.address", addressText(ctx, place.address));
            field(ctx, "detail.phone", place.contact.phone);
            field(ctx, "detail.email", place.contact.email);
            field(ctx, "detail.web", place.contact.url);
            field(ctx, "detail.accessibility", ctx.text(ctx.detailTexts.accessibility));
            if (!place.hours.empty()) hoursTable(ctx, place.hours);
            const auto& upcoming = eventsAt(ctx, place);
            if (!upcoming.empty()) {
                ui::text(ctx, ctx.t("detail.events_here"), ctx.fonts.bold, ctx.palette.textMuted);
                for (std::size_t i = 0; i < upcoming.size() && i < kUpcomingShown; ++i) {
                    ui::eventCardButton(ctx, upcoming[i], true, static_cast<int>(i));
                }
            }
            const auto services = ctx.snapshot.services(ServiceQuery{.placeId = place.id});
            if (!services.empty()) {
                ui::text(ctx, ctx.t("detail.services_here"), ctx.fonts.bold, ctx.palette.textMuted);
                int index = 0;
                for (const Service* service : services) {
                    ui::Card card;
                    card.title = std::string(ctx.text(service->name));
                    card.line1 = std::string(ctx.text(service->summary));
                    if (ui::card(ctx, fmt::format("##place-service-{}", index++), card)) {
                        ctx.state.openDetail(DetailTarget{DetailKind::Service, service->id, std::nullopt});
                    }
                }
            }
        },
        [&](const QrCodes& c, bool vertical) { drawQrCodes(ctx, c, vertical); });
}

void DetailScreen::drawService(const UiContext& ctx, const Service& service)
{
    QrCodes codes{{"detail.qr_web", service.contact.url},
                  {"detail.qr_phone", service.contact.phone.empty() ? "" : "tel:" + service.contact.phone}};
    detailLayout(
        ctx, m_scroller, codes,
        [&] {
            ui::text(ctx, ctx.text(service.name), ctx.fonts.heading, ctx.palette.text);
            ui::text(ctx, ctx.t(ui::categoryKey(service.category)), ctx.fonts.bold, ctx.palette.textMuted);
            ui::text(ctx, ctx.text(service.summary), ctx.fonts.bold, ctx.palette.text);
            ui::text(ctx, ctx.text(ctx.detailTexts.description), ctx.fonts.body, ctx.palette.text);
            ImGui::Dummy({1, ctx.metrics.gap()});
            field(ctx, "detail.for_whom", ui::audienceLabel(ctx, service.audience));
            field(ctx, "detail.languages", ui::languagesLabel(service.languages));
            field(ctx, "detail.cost", costText(ctx, service.cost));
            field(ctx, "detail.organiser", ctx.text(service.organisationName));
            field(ctx, "detail.phone", service.contact.phone);
            field(ctx, "detail.email", service.contact.email);
            field(ctx, "detail.web", service.contact.url);
            int index = 0;
            for (const auto& placeId : service.placeIds) {
                const Place* place = ctx.snapshot.place(placeId);
                if (!place) continue;
                ui::Card card;
                card.title = std::string(ctx.text(place->name));
                card.line1 = addressText(ctx, place->address);
                if (ui::card(ctx, fmt::format("##service-place-{}", index++), card)) {
                    ctx.state.openDetail(DetailTarget{DetailKind::Place, place->id, std::nullopt});
                }
                for (const auto& own : service.hoursAtPlaces) {
                    if (own.placeId == placeId) hoursTable(ctx, own.hours);
                }
            }
        },
        [&](const QrCodes& c, bool vertical) { drawQrCodes(ctx, c, vertical); });
}

void DetailScreen::drawEvent(const UiContext& ctx, const Event& event)
{
    const auto& target = *ctx.state.detail();
    const Instant from = std::min(ctx.now, target.occurrenceStart.value_or(ctx.now));
    std::vector<EventOccurrence> own = ctx.snapshot.occurrencesOf(event);
    std::erase_if(own, [&](const EventOccurrence& item) { return item.occurrence.end < from; });
    const EventOccurrence* chosen = nullptr;
    for (const auto& item : own) {
        if (!chosen && (!target.occurrenceStart || item.occurrence.start == *target.occurrenceStart)) chosen = &item;
    }
    const Place* place = ctx.snapshot.place(event.placeId);
    const std::string placeName = place ? std::string(ctx.text(place->name)) : std::string(ctx.text(event.locationText));
    const std::string title(chosen ? ctx.text(chosen->title()) : ctx.text(event.title));
    QrCodes codes{{"detail.qr_web", event.url},
                  {"detail.qr_calendar", chosen ? calendarEntry(chosen->occurrence, title, placeName) : ""},
                  {"detail.qr_phone", place && !place->contact.phone.empty() ? "tel:" + place->contact.phone : ""}};
    detailLayout(
        ctx, m_scroller, codes,
        [&] {
            if (chosen) {
                ui::Card card = ui::eventCard(ctx, *chosen, true);
                ui::card(ctx, "##event-headline", card);
            } else {
                ui::text(ctx, title, ctx.fonts.heading, ctx.palette.text);
            }
            ui::text(ctx, ctx.text(ctx.detailTexts.description), ctx.fonts.body, ctx.palette.text);
            ImGui::Dummy({1, ctx.metrics.gap()});
            field(ctx, "detail.for_whom", ui::audienceLabel(ctx, event.audience));
            field(ctx, "detail.languages", ui::languagesLabel(event.languages.empty() ? std::vector<std::string>{"fi"}
                                                                                      : event.languages));
            field(ctx, "detail.cost", costText(ctx, event.cost));
            field(ctx, "event.registration",
                  event.registration == Registration::Required ? ctx.t("event.registration") : ctx.t("event.no_registration"));
            if (place) {
                field(ctx, "detail.where", fmt::format("{}\n{}", placeName, addressText(ctx, place->address)));
                if (ui::button(ctx, "##open-place", placeName, {0, 0}, ui::ButtonStyle::Secondary)) {
                    ctx.state.openDetail(DetailTarget{DetailKind::Place, place->id, std::nullopt});
                }
            } else {
                field(ctx, "detail.where", placeName);
            }
            field(ctx, "detail.web", event.url);
            if (own.size() > 1) {
                ui::text(ctx, ctx.t("detail.when"), ctx.fonts.bold, ctx.palette.textMuted);
                std::size_t shown = 0;
                for (const auto& item : own) {
                    if (&item == chosen || shown >= kUpcomingShown) continue;
                    ui::eventCardButton(ctx, item, true, static_cast<int>(100 + shown++));
                }
            }
        },
        [&](const QrCodes& c, bool vertical) { drawQrCodes(ctx, c, vertical); });
}

} // namespace kohtaamo
