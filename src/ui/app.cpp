#include "ui/ui.h"
#include "ui/widgets.h"

#include "imgui.h"
#include "imgui_stdlib.h"

#include <algorithm>
#include <cmath>

namespace ui {

bool IntentButton(app::AppState& state, const char* caption, app::Intent::Kind intent) {
    const bool pressed = ImGui::Button(caption);
    if (pressed)
        state.emit(intent);
    return pressed;
}

namespace {

// The title line, a storage problem's banner, and the unlock bar while secrets are locked.
void Header(app::AppState& state) {
    ImGui::TextUnformatted("OAuth Setup");
    ImGui::SameLine();
    MutedText("Set up an OAuth 2.0 client, get a token, and see at once whether it works.");
    if (!state.storageBanner.empty()) {
        WarningText(state.storageBanner);
        if (state.hasBackup && ImGui::Button("Download Stored Text"))
            state.emit(app::Intent::DownloadBackup);
    }
    if (!state.locked)
        return;
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
    ImGui::TextUnformatted("Client secrets, passwords and tokens are locked with a passphrase.");
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(220);
    const bool enter =
        ImGui::InputTextWithHint("##unlock", "Passphrase", &state.passphraseInput,
                                 ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
    CaptionLastItem("Passphrase");
    ReportSecret(state.passphraseInput);
    ImGui::SameLine();
    ImGui::BeginDisabled(state.lockBusy);
    if (ImGui::Button("Unlock") || enter)
        state.emit(app::Intent::Unlock);
    ImGui::EndDisabled();
}

// The bar between the list and the form: drag it to widen the list.
void Splitter(app::AppState& state) {
    ImGui::PushAllowKeyboardFocus(false); // a mouse handle, not a stop for Tab
    ImGui::InvisibleButton("##splitter", ImVec2(10, ImGui::GetContentRegionAvail().y));
    ImGui::PopAllowKeyboardFocus();
    CaptionLastItem("Resize profile list");
    if (ImGui::IsItemHovered() || ImGui::IsItemActive())
        ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (ImGui::IsItemActive())
        state.listWidth = std::clamp(state.listWidth + ImGui::GetIO().MouseDelta.x, 160.0f,
                                     std::max(160.0f, ImGui::GetWindowWidth() - 420.0f));
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float x = (a.x + b.x) * 0.5f;
    ImGui::GetWindowDrawList()->AddLine(
        ImVec2(x, a.y + 4), ImVec2(x, b.y - 4),
        ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_SeparatorActive : ImGuiCol_Separator), 2);
}

// A phone: the profile list is a collapsible section above the form, in the one scrolling pane.
void PhoneLayout(app::AppState& state) {
    ImGui::BeginChild("Setup", ImVec2(0, 0), true);
    if (ImGui::CollapsingHeader("Profiles", ImGuiTreeNodeFlags_DefaultOpen)) {
        DrawProfileList(state);
        ImGui::Separator();
    }
    DrawSetupForm(state);
    DrawTokenPanel(state);
    DrawSetupCheck(state);
    DrawExchangeLog(state);
    ImGui::EndChild();
}

// The list beside the form (or above it, in a window a little too narrow for both side by side).
void SideBySideLayout(app::AppState& state) {
    const bool narrow = ImGui::GetContentRegionAvail().x < 640;
    const float listWidth = narrow ? -FLT_MIN : state.listWidth;
    const float listHeight = narrow ? ImGui::GetFrameHeightWithSpacing() * 5.5f : 0.0f;
    ImGui::BeginChild("Profiles", ImVec2(listWidth, listHeight), true);
    DrawProfileList(state);
    ImGui::EndChild();
    if (!narrow) {
        ImGui::SameLine(0, 0);
        Splitter(state);
        ImGui::SameLine(0, 0);
    }
    ImGui::BeginChild("Setup", ImVec2(0, 0), true);
    DrawSetupForm(state);
    DrawTokenPanel(state);
    DrawSetupCheck(state);
    DrawExchangeLog(state);
    ImGui::EndChild();
}

} // namespace

void DrawApp(app::AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    // Below about 600 CSS px (phones) captions stack above full-width fields, and every tap target is
    // at least 32 px tall: a frame is the font's line plus twice FramePadding.y.
    const bool stacked = viewport->Size.x < 600;
    SetStacked(stacked);
    if (stacked)
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                            ImVec2(ImGui::GetStyle().FramePadding.x,
                                   std::max(5.0f, std::ceil((32 - ImGui::GetFontSize()) / 2))));
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::Begin("OAuth Setup", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    Header(state);
    ImGui::Spacing();
    if (stacked)
        PhoneLayout(state);
    else
        SideBySideLayout(state);
    ImGui::End();
    if (stacked)
        ImGui::PopStyleVar();
}

} // namespace ui
