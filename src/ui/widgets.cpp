#include "ui/widgets.h"

#include "core/widget_semantics.h"

#include "imgui_internal.h"
#include "imgui_stdlib.h"

#include <algorithm>

namespace ui {

namespace {
Palette gPalette;
Fonts gFonts;
bool gStacked = false;
// Reports what widget `id` holds through the test-engine hook (see core/widget_semantics.h).
void Describe(unsigned id, int bits, const char* text) {
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), id, text, bits);
}

void DescribeField(unsigned id, const std::string& value, ImGuiInputTextFlags flags, int bits) {
    if (flags & ImGuiInputTextFlags_Password)
        Describe(id, semantics::kSecret | bits, value.empty() ? "" : "set");
    else
        Describe(id,
                 semantics::kValue | bits |
                     ((flags & ImGuiInputTextFlags_ReadOnly) ? semantics::kReadOnly : 0),
                 value.c_str());
}

} // namespace

void SetStacked(bool stacked) {
    gStacked = stacked;
}

bool Stacked() {
    return gStacked;
}

float BesideWidth(float width) {
    return gStacked ? 0.0f : width;
}

void Beside(float spacing) {
    if (!gStacked)
        ImGui::SameLine(0, spacing);
}

const Palette& Colors() {
    return gPalette;
}

void SetFonts(const Fonts& fonts) {
    gFonts = fonts;
}

ImFont* MonoFont() {
    return gFonts.mono ? gFonts.mono : ImGui::GetFont();
}

ImFont* LargeMonoFont() {
    return gFonts.large ? gFonts.large : MonoFont();
}

namespace {

// The theme's own colours over ImGui's dark or light style, one row per theme.
struct ThemeColors {
    ImVec4 windowBg, childBg, frameBg, border;
    // A hovered row is a faint grey; only the selected one is tinted with the accent.
    ImVec4 header, headerHovered, headerActive;
    Palette palette;
};

ImVec4 Rgb(float r, float g, float b) {
    return ImVec4(r, g, b, 1);
}

// Window, child, frame, border; header, hovered, active; ok, error, warning, muted, accent.
const ThemeColors kDarkTheme{Rgb(0.11f, 0.118f, 0.133f),
                             Rgb(0.13f, 0.14f, 0.16f),
                             Rgb(0.17f, 0.18f, 0.21f),
                             Rgb(0.26f, 0.28f, 0.32f),
                             Rgb(0.22f, 0.34f, 0.58f),
                             Rgb(0.20f, 0.21f, 0.24f),
                             Rgb(0.26f, 0.38f, 0.62f),
                             {Rgb(0.40f, 0.82f, 0.52f), Rgb(1.0f, 0.45f, 0.42f), Rgb(0.98f, 0.75f, 0.35f),
                              Rgb(0.62f, 0.65f, 0.70f), Rgb(0.45f, 0.65f, 1.0f)}};
const ThemeColors kLightTheme{Rgb(0.96f, 0.965f, 0.972f),
                              Rgb(1, 1, 1),
                              Rgb(1, 1, 1),
                              Rgb(0.80f, 0.82f, 0.85f),
                              Rgb(0.80f, 0.87f, 0.99f),
                              Rgb(0.93f, 0.94f, 0.95f),
                              Rgb(0.74f, 0.83f, 0.98f),
                              {Rgb(0.10f, 0.50f, 0.22f), Rgb(0.75f, 0.12f, 0.12f), Rgb(0.62f, 0.40f, 0.0f),
                               Rgb(0.40f, 0.43f, 0.48f), Rgb(0.15f, 0.40f, 0.85f)}};

void ApplyColors(ImGuiStyle& style, const ThemeColors& theme) {
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = theme.windowBg;
    c[ImGuiCol_ChildBg] = theme.childBg;
    c[ImGuiCol_FrameBg] = theme.frameBg;
    c[ImGuiCol_Border] = theme.border;
    c[ImGuiCol_Header] = theme.header;
    c[ImGuiCol_HeaderHovered] = theme.headerHovered;
    c[ImGuiCol_HeaderActive] = theme.headerActive;
    gPalette = theme.palette;
}

} // namespace

void ApplyTheme(bool dark) {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    if (dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.ChildRounding = 6;
    style.FrameRounding = 4;
    style.PopupRounding = 6;
    style.GrabRounding = 4;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(10, 7);
    style.WindowPadding = ImVec2(18, 14);
    style.CellPadding = ImVec2(6, 4);
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 1;
    style.FrameBorderSize = 1;
    ApplyColors(style, dark ? kDarkTheme : kLightTheme);
    if (!dark) {
        // Light buttons a shade darker than ImGui's, so they stand out on white.
        style.Colors[ImGuiCol_Button] = ImVec4(0.90f, 0.92f, 0.95f, 1);
        style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.86f, 0.96f, 1);
        style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.68f, 0.78f, 0.95f, 1);
    }
}

void CaptionItem(unsigned id, const char* caption) {
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), id, caption, 0);
}

void CaptionLastItem(const char* caption) {
    CaptionItem(ImGui::GetItemID(), caption);
}

void BeginRow(const char* caption, const char* tooltip) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    if (!gStacked)
        ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(caption);
    if (tooltip && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextUnformatted(tooltip);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    if (!gStacked) // stacked: the field goes on the next line of the one column
        ImGui::TableSetColumnIndex(1);
}

bool BeginFormTable(const char* id) {
    if (!ImGui::BeginTable(id, gStacked ? 1 : 2, ImGuiTableFlags_SizingStretchProp))
        return false;
    if (gStacked)
        return true;
    ImGui::TableSetupColumn("caption", ImGuiTableColumnFlags_WidthFixed, 170);
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthStretch);
    return true;
}

bool TextField(const char* caption, std::string* value, ImGuiInputTextFlags flags, bool mono) {
    ImGui::PushID(caption);
    if (mono)
        ImGui::PushFont(MonoFont());
    ImGui::SetNextItemWidth(-FLT_MIN);
    bool edited = ImGui::InputText("##field", value, flags);
    CaptionLastItem(caption);
    DescribeField(ImGui::GetItemID(), *value, flags, 0);
    if (mono)
        ImGui::PopFont();
    ImGui::PopID();
    return edited;
}

bool TextArea(const char* caption, std::string* value, float lines, bool mono) {
    ImGui::PushID(caption);
    if (mono)
        ImGui::PushFont(MonoFont());
    float height = ImGui::GetTextLineHeight() * lines + ImGui::GetStyle().FramePadding.y * 2;
    bool edited = ImGui::InputTextMultiline("##field", value, ImVec2(-FLT_MIN, height));
    CaptionLastItem(caption);
    DescribeField(ImGui::GetItemID(), *value, 0, semantics::kMultiline);
    if (mono)
        ImGui::PopFont();
    ImGui::PopID();
    return edited;
}

void ReadOnlyField(const char* caption, const std::string& value, const ImVec4* color, bool mono,
                   float widthFromRight) {
    ImGui::PushID(caption);
    if (mono)
        ImGui::PushFont(MonoFont());
    if (color)
        ImGui::PushStyleColor(ImGuiCol_Text, *color);
    ImGui::SetNextItemWidth(widthFromRight > 0 ? -widthFromRight : -FLT_MIN);
    std::string copy = value; // read-only: ImGui still wants a buffer
    ImGui::InputText("##field", &copy, ImGuiInputTextFlags_ReadOnly);
    CaptionLastItem(caption);
    DescribeField(ImGui::GetItemID(), value, ImGuiInputTextFlags_ReadOnly, 0);
    if (color)
        ImGui::PopStyleColor();
    if (mono)
        ImGui::PopFont();
    ImGui::PopID();
}

float LinesOf(const std::string& text, float extra, float most) {
    return std::min(most, extra + static_cast<float>(std::count(text.begin(), text.end(), '\n')));
}

void ReadOnlyText(const char* id, const char* caption, std::string text, float height) {
    ImGui::PushFont(MonoFont());
    ImGui::InputTextMultiline(id, &text, ImVec2(-FLT_MIN, height), ImGuiInputTextFlags_ReadOnly);
    if (caption)
        CaptionLastItem(caption);
    ImGui::PopFont();
}

namespace {

// `text` with a line break wherever a line would run wider than `width` in the current font: after
// the last character that fits, as a terminal wraps. The values this is for (base64url key parts,
// thumbprints) have no blanks to break at, and every wrapped line stays full.
std::string WrappedToWidth(const std::string& text, float width) {
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    std::string wrapped;
    const char* s = text.data();
    const char* const end = s + text.size();
    while (s < end) {
        const char* const eol = std::find(s, end, '\n');
        const char* cut = eol;
        font->CalcTextSizeA(size, width, 0.0f, s, eol, &cut);
        if (cut == s && s < eol) { // narrower than one character: one character a line
            unsigned int c = 0;
            cut = s + ImTextCharFromUtf8(&c, s, eol);
        }
        wrapped.append(s, cut);
        if (cut == end)
            break;
        wrapped += '\n';
        s = cut == eol ? eol + 1 : cut;
    }
    return wrapped;
}

} // namespace

void ReadOnlyWrappedText(const char* id, const char* caption, const std::string& text, float mostLines) {
    ImGui::PushFont(MonoFont());
    const ImGuiStyle& style = ImGui::GetStyle();
    // The text starts FramePadding.x inside the box; the same padding stays free on its right.
    const float width = ImGui::GetContentRegionAvail().x - 2 * style.FramePadding.x;
    std::string shown = WrappedToWidth(text, width);
    float lines = LinesOf(shown, 1.0f, mostLines + 1.0f);
    if (lines > mostLines) { // more than fit: the vertical scrollbar takes its width from the text
        shown = WrappedToWidth(text, width - style.ScrollbarSize);
        lines = mostLines;
    }
    ImGui::InputTextMultiline(id, &shown,
                              ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * lines + 2 * style.FramePadding.y),
                              ImGuiInputTextFlags_ReadOnly);
    if (caption)
        CaptionLastItem(caption);
    ImGui::PopFont();
}

bool NumberField(const char* caption, const char* id, int* value, int step, int stepFast, float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button = ImGui::GetFrameHeight();
    const float spacing = style.ItemInnerSpacing.x;
    ImGui::BeginGroup();
    // The steppers' room comes out of the field, as ImGui::InputInt lays them out.
    ImGui::SetNextItemWidth(step > 0 ? std::max(1.0f, width - (button + spacing) * 2) : width);
    ImGui::InputInt(id, value, 0, 0);
    CaptionLastItem(caption);
    ReportValue(std::to_string(*value));
    bool done = ImGui::IsItemDeactivatedAfterEdit();
    if (step > 0) {
        const int by = ImGui::GetIO().KeyCtrl ? stepFast : step;
        ImGui::PushID(id);
        ImGui::PushItemFlag(ImGuiItemFlags_NoTabStop, true);
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(style.FramePadding.y, style.FramePadding.y));
        for (const int sign : {-1, 1}) {
            ImGui::SameLine(0, spacing);
            if (ImGui::ButtonEx(sign < 0 ? "-" : "+", ImVec2(button, button), ImGuiButtonFlags_Repeat)) {
                *value += sign * by;
                done = true;
            }
        }
        ImGui::PopStyleVar();
        ImGui::PopItemFlag();
        ImGui::PopID();
    }
    ImGui::EndGroup();
    return done;
}

bool Choice(const char* caption, int* current, const char* const options[], int count) {
    ImGui::PushID(caption);
    ImGuiID id = ImGui::GetID("##choice");
    bool changed = false;
    ImGui::SetNextItemWidth(-FLT_MIN);
    bool open = ImGui::BeginCombo("##choice", options[*current]);
    CaptionItem(id, caption);
    Describe(id, semantics::kCombo | semantics::kValue, options[*current]);
    for (int i = 0; i < count; ++i)
        Describe(id, semantics::kOption, options[i]);
    // Alt+Down opens a focused combo, as a native select does (Enter and Space open it too).
    const ImGuiIO& io = ImGui::GetIO();
    if (!open && ImGui::IsItemFocused() && io.KeyAlt &&
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow), false)) {
        ImGui::NavMoveRequestCancel(); // Down opens here; it does not also move the focus
        ImGui::OpenPopupEx(ImHashStr("##ComboPopup", 0, id));
    }
    if (open) {
        for (int i = 0; i < count; ++i) {
            bool selected = i == *current;
            if (ImGui::Selectable(options[i], selected)) {
                changed = i != *current;
                *current = i;
            }
            if (selected)
                ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    ImGui::PopID();
    return changed;
}

void StatusBadge(const char* caption, const std::string& text, const ImVec4& color) {
    const ImVec2 pad(10, 3);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    ImGui::PushID(caption);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(size.x + pad.x * 2, size.y + pad.y * 2));
    const ImGuiID id = ImGui::GetID("##badge");
    ImGuiTestEngineHook_ItemAdd(ImGui::GetCurrentContext(),
                                ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()), id);
    CaptionItem(id, caption);
    Describe(id, semantics::kValue | semantics::kLive, text.c_str());
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImVec4 fill = color;
    fill.w = 0.16f;
    const ImVec2 end(pos.x + size.x + pad.x * 2, pos.y + size.y + pad.y * 2);
    draw->AddRectFilled(pos, end, ImGui::GetColorU32(fill), size.y);
    draw->AddRect(pos, end, ImGui::GetColorU32(color), size.y);
    draw->AddText(ImVec2(pos.x + pad.x, pos.y + pad.y), ImGui::GetColorU32(color), text.c_str());
    ImGui::PopID();
}

void CaptionedText(const std::string& text) {
    ImGui::TextUnformatted(text.c_str());
    const ImGuiID id = ImGui::GetID(text.c_str());
    ImGuiTestEngineHook_ItemAdd(ImGui::GetCurrentContext(),
                                ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()), id);
    CaptionItem(id, text.c_str());
}

void CopiedMark(const std::string& copied, const char* button) {
    if (copied != button)
        return;
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().ok);
    ImGui::AlignTextToFramePadding();
    CaptionedText("Copied");
    ImGui::PopStyleColor();
}

float CopiedMarkWidth(const std::string& copied, const char* button) {
    return copied == button ? ImGui::CalcTextSize("Copied").x + ImGui::GetStyle().ItemSpacing.x + 4 : 0;
}

const ImVec4& StateColor(oauth::ProfileState state) {
    switch (state) {
    case oauth::ProfileState::Connected:
        return Colors().ok;
    case oauth::ProfileState::Error:
        return Colors().error;
    case oauth::ProfileState::None:
        break;
    }
    return Colors().muted;
}

void ReportValue(const std::string& value, unsigned id) {
    DescribeField(id ? id : ImGui::GetItemID(), value, 0, 0);
}

void ReportSecret(const std::string& value) {
    DescribeField(ImGui::GetItemID(), value, ImGuiInputTextFlags_Password, 0);
}

void ReportListRow(bool selected) {
    Describe(ImGui::GetItemID(), semantics::kSelected, selected ? "selected" : "");
}

void AnnounceText(const char* caption, const std::string& text) {
    const ImGuiID id = ImGui::GetID(caption);
    ImGuiTestEngineHook_ItemAdd(ImGui::GetCurrentContext(),
                                ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()), id);
    CaptionItem(id, caption);
    Describe(id, semantics::kValue | semantics::kLive, text.c_str());
}

namespace {
void WrappedText(const ImVec4& color, const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}
} // namespace

void ErrorText(const std::string& message) {
    WrappedText(Colors().error, message.c_str());
}

void WarningText(const std::string& message) {
    WrappedText(Colors().warning, message.c_str());
}

void MutedText(const char* text) {
    WrappedText(Colors().muted, text);
}

} // namespace ui
