#pragma once
// One way to show an event session as a card, shared by the home, events and detail screens.

#include "widgets.hpp"

namespace kohtaamo::ui {

[[nodiscard]] Card eventCard(const UiContext& ctx, const EventOccurrence& item, bool withDay);
/// Draws the card and opens the event's detail when tapped.
void eventCardButton(const UiContext& ctx, const EventOccurrence& item, bool withDay, int index);

} // namespace kohtaamo::ui
