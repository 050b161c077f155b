#include "search_screen.hpp"

#include "formatting.hpp"

#include <fmt/format.h>

namespace kohtaamo {
namespace {

std::vector<std::string> splitUtf8(std::string_view letters)
{
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < letters.size();) {
        std::size_t length = 1;
        const auto byte = static_cast<unsigned char>(letters[i]);
        if (byte >= 0xF0) length = 4;
        else if (byte >= 0xE0) length = 3;
        else if (byte >= 0xC0) length = 2;
        keys.emplace_back(letters.substr(i, length));
        i += length;
    }
    return keys;
}

} // namespace

void popUtf8(std::string& text)
{
    while (!text.empty()) {
        const auto byte = static_cast<unsigned char>(text.back());
        text.pop_back();
        if ((byte & 0xC0) != 0x80) break;   // stop after removing a lead byte or ASCII
    }
}

std::vector<std::vector<std::string>> SearchScreen::keyboardRows(std::string_view language)
{
    if (language == "uk") return {splitUtf8("йцукенгшщзхї"), splitUtf8("фівапролджє"), splitUtf8("ґячсмитьбю")};
    if (language == "ru") return {splitUtf8("йцукенгшщзхъ"), splitUtf8("фывапролджэ"), splitUtf8("ячсмитьбю")};
    return {splitUtf8("1234567890"), splitUtf8("qwertyuiopå"), splitUtf8("asdfghjklöä"), splitUtf8("zxcvbnm-")};
}

void SearchScreen::draw(const UiContext& ctx, const ContentArea&)
{
    const Metrics& m = ctx.metrics;
    std::string& query = ctx.state.searchText();
    // The query line: what has been typed so far, as large as a heading.
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float lineHeight = ctx.fonts.heading->FontSize + m.px(28);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(pos, {pos.x + width, pos.y + lineHeight}, ctx.palette.surface);
    draw->AddRect(pos, {pos.x + width, pos.y + lineHeight}, ctx.palette.primary, 0, 0, m.px(3));
    const std::string shown = query.empty() ? std::string(ctx.t("search.hint")) : query + "|";
    draw->AddText(ctx.fonts.heading, ctx.fonts.heading->FontSize, {pos.x + m.px(20), pos.y + m.px(14)},
                  query.empty() ? ctx.palette.textMuted : ctx.palette.text, shown.c_str());
    ImGui::Dummy({width, lineHeight + m.gap()});

    if (query != m_requested) {
        m_requested = query;
        if (ctx.shell.requestSearch) ctx.shell.requestSearch(query);
    }
    const float rows = static_cast<float>(keyboardRows(ctx.state.language()).size() + 1);
    const float keyboardHeight = (m.touchTarget() + ImGui::GetStyle().ItemSpacing.y) * rows;
    const ImVec2 available = ImGui::GetContentRegionAvail();
    if (m.portrait()) {
        drawResults(ctx, {available.x, std::max(m.touchTarget(), available.y - keyboardHeight - m.gap())});
        drawKeyboard(ctx, keyboardHeight);
        return;
    }
    drawResults(ctx, {available.x * 0.45f, available.y});
    ImGui::SameLine(0, m.gap() * 2);
    ImGui::BeginGroup();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + std::max(0.0f, available.y - keyboardHeight));
    drawKeyboard(ctx, keyboardHeight);
    ImGui::EndGroup();
}

void SearchScreen::drawResults(const UiContext& ctx, ImVec2 size)
{
    const SearchResults& results = ctx.search;
    const std::string& query = ctx.state.searchText();
    if (ui::beginScrollArea(ctx, "##results", size, m_scroller)) {
        if (!query.empty() && results.query == query && results.places.empty() && results.services.empty() &&
            results.events.empty()) {
            ui::text(ctx, ctx.tf("search.none", {{"query", query}}), ctx.fonts.body, ctx.palette.textMuted);
        }
        if (results.query == query && !query.empty()) {
            int index = 0;
            auto section = [&](std::string_view key, auto& items, DetailKind kind, auto title) {
                if (items.empty()) return;
                ui::text(ctx, ctx.t(key), ctx.fonts.bold, ctx.palette.textMuted);
                for (const auto* item : items) {
                    ui::Card card;
                    card.title = std::string(ctx.text(title(*item)));
                    if (ui::card(ctx, fmt::format("##result-{}", index++), card)) {
                        ctx.state.openDetail(DetailTarget{kind, item->id, std::nullopt});
                    }
                }
            };
            section("search.events", results.events, DetailKind::Event, [](const Event& e) -> const LocalizedText& { return e.title; });
            section("search.places", results.places, DetailKind::Place, [](const Place& p) -> const LocalizedText& { return p.name; });
            section("search.services", results.services, DetailKind::Service,
                    [](const Service& s) -> const LocalizedText& { return s.name; });
        }
    }
    ui::endScrollArea(ctx);
}

void SearchScreen::drawKeyboard(const UiContext& ctx, float)
{
    const Metrics& m = ctx.metrics;
    std::string& query = ctx.state.searchText();
    const auto rows = keyboardRows(ctx.state.language());
    const float width = ImGui::GetContentRegionAvail().x;
    std::size_t widest = 0;
    for (const auto& row : rows) widest = std::max(widest, row.size());
    const float key = std::min(m.px(120), (width - m.gap() * static_cast<float>(widest)) / static_cast<float>(widest + 1));
    int index = 0;
    for (const auto& row : rows) {
        const float rowWidth = static_cast<float>(row.size()) * (key + m.gap());
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (width - rowWidth) / 2));
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) ImGui::SameLine(0, m.gap());
            if (ui::button(ctx, fmt::format("##key-{}", index++), row[i], {key, m.touchTarget()},
                           ui::ButtonStyle::Secondary, ctx.fonts.heading) &&
                query.size() < 60) {
                query += row[i];
            }
        }
    }
    const float bottomWidth = (width - 2 * m.gap()) / 4;
    if (ui::button(ctx, "##space", ctx.t("search.space"), {bottomWidth * 2, m.touchTarget()}, ui::ButtonStyle::Secondary) &&
        !query.empty() && query.back() != ' ') {
        query += ' ';
    }
    ImGui::SameLine(0, m.gap());
    if (ui::button(ctx, "##backspace", "«", {bottomWidth, m.touchTarget()}, ui::ButtonStyle::Secondary)) {
        popUtf8(query);
    }
    ImGui::SameLine(0, m.gap());
    if (ui::button(ctx, "##clear", ctx.t("search.clear"), {bottomWidth, m.touchTarget()}, ui::ButtonStyle::Secondary)) {
        query.clear();
    }
}

} // namespace kohtaamo
