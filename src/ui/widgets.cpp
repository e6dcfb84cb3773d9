#include "ui/widgets.h"

#include "imgui_internal.h"
#include "imgui_stdlib.h"

namespace ui {

namespace {
Palette gPalette;
Fonts gFonts;
} // namespace

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
    ImVec4* c = style.Colors;
    if (dark) {
        c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.118f, 0.133f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.16f, 1);
        c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.21f, 1);
        c[ImGuiCol_Border] = ImVec4(0.26f, 0.28f, 0.32f, 1);
        gPalette = {ImVec4(0.40f, 0.82f, 0.52f, 1), ImVec4(1.0f, 0.45f, 0.42f, 1),
                    ImVec4(0.98f, 0.75f, 0.35f, 1), ImVec4(0.62f, 0.65f, 0.70f, 1),
                    ImVec4(0.45f, 0.65f, 1.0f, 1)};
    } else {
        c[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.965f, 0.972f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_Border] = ImVec4(0.80f, 0.82f, 0.85f, 1);
        c[ImGuiCol_Button] = ImVec4(0.90f, 0.92f, 0.95f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.86f, 0.96f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.68f, 0.78f, 0.95f, 1);
        c[ImGuiCol_Header] = ImVec4(0.84f, 0.89f, 0.98f, 1);
        gPalette = {ImVec4(0.10f, 0.50f, 0.22f, 1), ImVec4(0.75f, 0.12f, 0.12f, 1),
                    ImVec4(0.62f, 0.40f, 0.0f, 1), ImVec4(0.40f, 0.43f, 0.48f, 1),
                    ImVec4(0.15f, 0.40f, 0.85f, 1)};
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
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(caption);
    if (tooltip && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextUnformatted(tooltip);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    ImGui::TableSetColumnIndex(1);
}

bool TextField(const char* caption, std::string* value, ImGuiInputTextFlags flags, bool mono) {
    ImGui::PushID(caption);
    if (mono)
        ImGui::PushFont(MonoFont());
    ImGui::SetNextItemWidth(-FLT_MIN);
    bool edited = ImGui::InputText("##field", value, flags);
    CaptionLastItem(caption);
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
    if (color)
        ImGui::PopStyleColor();
    if (mono)
        ImGui::PopFont();
    ImGui::PopID();
}

bool Choice(const char* caption, int* current, const char* const options[], int count) {
    ImGui::PushID(caption);
    ImGuiID id = ImGui::GetID("##choice");
    bool changed = false;
    ImGui::SetNextItemWidth(-FLT_MIN);
    bool open = ImGui::BeginCombo("##choice", options[*current]);
    CaptionItem(id, caption);
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

void ErrorText(const std::string& message) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().error);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void MutedText(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().muted);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

} // namespace ui
