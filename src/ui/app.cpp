#include "ui/ui.h"
#include "ui/widgets.h"

#include "imgui.h"
#include "imgui_stdlib.h"

namespace ui {

void DrawApp(app::AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::Begin("OAuth Setup", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::TextUnformatted("OAuth Setup");
    ImGui::SameLine();
    MutedText("Set up an OAuth 2.0 client, get a token, and see at once whether it works.");
    if (!state.storageBanner.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(state.storageBanner.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        if (state.hasBackup && ImGui::Button("Download Stored Text"))
            state.emit(app::Intent::DownloadBackup);
    }
    if (state.locked) {
        ImGui::PushStyleColor(ImGuiCol_Text, Colors().warning);
        ImGui::TextUnformatted("Client secrets, passwords and tokens are locked with a passphrase.");
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::SetNextItemWidth(220);
        const bool enter =
            ImGui::InputTextWithHint("##unlock", "Passphrase", &state.passphraseInput,
                                     ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
        CaptionLastItem("Passphrase");
        ImGui::SameLine();
        if (state.lockBusy)
            ImGui::BeginDisabled();
        if (ImGui::Button("Unlock") || enter)
            state.emit(app::Intent::Unlock);
        if (state.lockBusy)
            ImGui::EndDisabled();
    }
    ImGui::Spacing();

    // Narrow windows (phones) stack the list above the form.
    const bool narrow = ImGui::GetContentRegionAvail().x < 640;
    const float listWidth = narrow ? -FLT_MIN : 230.0f;
    const float listHeight = narrow ? ImGui::GetFrameHeightWithSpacing() * 5.5f : 0.0f;
    ImGui::BeginChild("Profiles", ImVec2(listWidth, listHeight), true);
    DrawProfileList(state);
    ImGui::EndChild();
    if (!narrow)
        ImGui::SameLine();
    ImGui::BeginChild("Setup", ImVec2(0, 0), true);
    DrawSetupForm(state);
    DrawTokenPanel(state);
    DrawExchangeLog(state);
    ImGui::EndChild();
    ImGui::End();
}

} // namespace ui
