// Small form helpers shared by the page's views: a caption column with tooltips, fields that
// report their caption to window.oauthSetup.items(), and colours that follow the theme.
#pragma once

#include "core/profile.h"
#include "imgui.h"

#include <string>

namespace ui {

struct Palette {
    ImVec4 ok, error, warning, muted, accent;
};
const Palette& Colors();
void ApplyTheme(bool dark);

// The fonts the platform's backend built; the UI never reads the atlas by index.
struct Fonts {
    ImFont* ui = nullptr;
    ImFont* mono = nullptr;
    ImFont* large = nullptr;
};
void SetFonts(const Fonts& fonts);
// The monospace font (tokens, secrets, raw responses), or the default font before the atlas exists.
ImFont* MonoFont();
// The large monospace font (ASCII) for codes a person copies by eye.
ImFont* LargeMonoFont();

// Narrow windows (phones): each caption above its field, fields the full width, buttons beside a field
// go below it. DrawApp decides once per frame.
void SetStacked(bool stacked);
bool Stacked();
// The room to leave right of a field for a button beside it: none when stacked (the button goes below).
float BesideWidth(float width);
// The next widget goes on this line (ImGui::SameLine), or on its own line when stacked.
void Beside(float spacing = -1.0f);

// Gives the last widget the caption a person sees beside it, for window.oauthSetup.items().
void CaptionItem(unsigned id, const char* caption);
void CaptionLastItem(const char* caption);

// A form row: the caption in the first table column (with its tooltip), the field in the second.
void BeginRow(const char* caption, const char* tooltip);

// The two-column table of a form (captions, then fields); EndTable closes it when this is true.
bool BeginFormTable(const char* id);

// Single- and multi-line text fields filling the column; true when edited this frame.
bool TextField(const char* caption, std::string* value, ImGuiInputTextFlags flags = 0, bool mono = false);
bool TextArea(const char* caption, std::string* value, float lines = 2.5f, bool mono = false);
// A read-only field in the monospace font, in a given colour (or the text colour).
void ReadOnlyField(const char* caption, const std::string& value, const ImVec4* color = nullptr,
                   bool mono = true, float widthFromRight = 0);
// A read-only multi-line text in the monospace font, `height` tall; `caption` (may be null) names it
// for window.oauthSetup.items().
void ReadOnlyText(const char* id, const char* caption, std::string text, float height);
// A read-only multi-line text in the monospace font, its lines wrapped to the box's width, as tall
// as its wrapped lines (at most `mostLines`, then it scrolls). For long unbroken values (a JWK's n)
// on a narrow window: Dear ImGui 1.86's multi-line field does not wrap and cuts them at its edge.
void ReadOnlyWrappedText(const char* id, const char* caption, const std::string& text, float mostLines);
// The lines `text` takes, plus `extra`, at most `most`: the height of a read-only text.
float LinesOf(const std::string& text, float extra, float most);
// A whole-number field `width` wide (as SetNextItemWidth takes it), with "-"/"+" steppers when
// `step` > 0 (Ctrl: `stepFast`); true once an edit is done. The steppers are for the mouse and touch:
// Tab passes them by, as it passes a native number field's arrows.
bool NumberField(const char* caption, const char* id, int* value, int step, int stepFast, float width);
// A combo box whose options are captions; true when the choice changed.
bool Choice(const char* caption, int* current, const char* const options[], int count);

// A read-only status: a coloured rounded badge holding `text`, registered under `caption` for
// window.oauthSetup.items() (it is not an input box).
void StatusBadge(const char* caption, const std::string& text, const ImVec4& color);
// Text that reports itself as an item (for items()), e.g. a tooltip's full profile name.
void CaptionedText(const std::string& text);
// "Copied" beside the button just drawn, when it is the one last confirmed.
void CopiedMark(const std::string& copied, const char* button);
// The room CopiedMark needs beside `button` (0 when it is not shown).
float CopiedMarkWidth(const std::string& copied, const char* button);

// What the last widget holds, for the page's accessible mirror (core/widget_semantics.h): the
// text of a field drawn without TextField, whether a masked field is empty (never its text), and
// whether a list row is the selected one.
void ReportValue(const std::string& value, unsigned id = 0); // id 0: the last widget
void ReportSecret(const std::string& value);
void ReportListRow(bool selected);
// The text just drawn, registered under `caption` as a status screen readers announce when it changes.
void AnnounceText(const char* caption, const std::string& text);

// The colour of a State: Connected green, Error red, none muted.
const ImVec4& StateColor(oauth::ProfileState state);

// Wrapped text in the error, warning or muted colour.
void ErrorText(const std::string& message);
void WarningText(const std::string& message);
void MutedText(const char* text);

} // namespace ui
