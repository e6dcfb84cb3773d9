#pragma once
// What a widget is and what it holds, beyond its box and caption, for the page's accessible mirror
// (web/host/mirror.js: real form elements a screen reader and a password manager can use). The UI
// reports it through Dear ImGui's test-engine hook, ImGuiTestEngineHook_ItemInfo(ctx, id, text,
// flags), with these bits in `flags` and the widget's value as `text`; the platform's item registry
// reads it. It lives in core, as plain numbers, because the UI and the platform never see each other.
// Dear ImGui 1.86 uses status bits 0 to 8 and 20 to 23; these take bits it leaves free.

namespace semantics {

constexpr int kValue = 1 << 24;  // text is the widget's value: a field's text, a combo's choice, a status
constexpr int kSecret = 1 << 25; // a masked field; text is "" when it is empty, else "set" (never the secret)
constexpr int kMultiline = 1 << 26; // a multi-line text field
constexpr int kCombo = 1 << 27;     // a combo box (with kValue: its current choice)
constexpr int kOption = 1 << 28;    // text is one of the combo's options, reported in order
constexpr int kSelected = 1 << 29;  // a list row that is the selected one
constexpr int kLive = 1 << 30;      // a status announced to screen readers when it changes (aria-live)
constexpr int kReadOnly = 1 << 19;  // a text field that shows a value but cannot be edited

constexpr int kAll = kValue | kSecret | kMultiline | kCombo | kOption | kSelected | kLive | kReadOnly;

} // namespace semantics
