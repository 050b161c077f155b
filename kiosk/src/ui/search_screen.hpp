#pragma once

#include "screen.hpp"
#include "widgets.hpp"

namespace kohtaamo {

/// Search with an on-screen keyboard drawn by the app (Finnish/Swedish letters, or Cyrillic when
/// the UI is in Ukrainian or Russian); results update as the family types.
class SearchScreen final : public ScreenView {
public:
    void draw(const UiContext& ctx, const ContentArea& area) override;

    /// Rows of keys for a UI language; UTF-8 letters, one per key.
    [[nodiscard]] static std::vector<std::vector<std::string>> keyboardRows(std::string_view language);

private:
    void drawKeyboard(const UiContext& ctx, float height);
    void drawResults(const UiContext& ctx, ImVec2 size);
    std::string m_requested;
    ui::TouchScroller m_scroller;
};

/// Removes the last UTF-8 character of `text`.
void popUtf8(std::string& text);

} // namespace kohtaamo
