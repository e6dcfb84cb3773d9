#include "ui/app_state.h"
#include "ui/fonts.h"

#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_stdlib.h"

namespace ui {

ImFont* MonoFont() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    return atlas->Fonts.Size > 1 ? atlas->Fonts[1] : ImGui::GetFont();
}

void ApplyTheme(bool dark) {
    ImGuiStyle& style = ImGui::GetStyle();
    if (dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.FrameRounding = 4;
    style.GrabRounding = 4;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(10, 8);
    style.WindowPadding = ImVec2(20, 16);
    style.WindowBorderSize = 0;
    if (!dark) style.Colors[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.965f, 0.97f, 1);
}

// Gives the last widget the caption a person sees beside it, for window.oauthSetup.items():
// fields here draw their caption as a separate text on the left, not as ImGui's label.
static void CaptionLastItem(const char* caption) {
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(), caption, 0);
}

static void CaptionText(const char* caption) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(caption);
    ImGui::SameLine(160);
}

static void LabeledInput(const char* caption, std::string* value, ImGuiInputTextFlags flags = 0) {
    CaptionText(caption);
    ImGui::SetNextItemWidth(-1);
    ImGui::PushID(caption);
    ImGui::InputText("##field", value, flags);
    ImGui::PopID();
    CaptionLastItem(caption);
}

void DrawApp(AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::Begin("OAuth Setup", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::TextUnformatted("OAuth Setup");
    ImGui::Separator();
    LabeledInput("Token Name", &state.tokenName);
    LabeledInput("Client ID", &state.clientId);
    CaptionText("Client Secret");
    ImGui::PushFont(MonoFont());
    ImGui::SetNextItemWidth(-90);
    ImGui::InputText("##secret", &state.clientSecret, state.showSecret ? 0 : ImGuiInputTextFlags_Password);
    CaptionLastItem("Client Secret");
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::Checkbox("Show", &state.showSecret);
    CaptionText("Scope(s)");
    ImGui::InputTextMultiline("##scopes", &state.scopes, ImVec2(-1, 60));
    CaptionLastItem("Scope(s)");
    if (ImGui::Button("Get Access Token")) state.status = "Not wired yet: the setup form arrives with the next issue.";
    if (!state.status.empty()) ImGui::TextWrapped("%s", state.status.c_str());
    ImGui::End();
}

} // namespace ui
