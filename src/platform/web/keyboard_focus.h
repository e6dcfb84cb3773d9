// Keyboard focus across the whole page, in reading order: Dear ImGui 1.86's own Tab visits only
// the text fields of one window, so the page moves focus itself, over the widgets of the latest
// frame (the item registry, in the order they were drawn), and lets ImGui's keyboard navigation
// draw the focus and activate the widget (Space/Enter).
#pragma once

namespace web {

struct ItemBox;

// Gives the widget keyboard focus, drawn visibly, and scrolls it into view; a text field starts
// editing when `startEditing` (as Tab does). Also used by the accessible mirror.
void FocusItem(const ItemBox& item, bool startEditing);

// Tab (+1) or Shift+Tab (-1): focus the next or previous widget; text fields start editing. With
// nothing focused, Tab goes to the first text field and Shift+Tab to the last widget. While a
// popup is open, focus cycles within it.
void MoveKeyboardFocus(int direction);
// Escape in a text field: stop editing, keep what was typed, keep the field focused.
void LeaveTextField();

} // namespace web
