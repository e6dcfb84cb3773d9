// The device grant's user code (RFC 8628 section 3.3): large, copyable, with the verification
// page to open and the time left.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "imgui.h"

#include <cmath>

namespace ui {

void DrawDeviceCode(app::AppState& state) {
    if (state.attempt.busy != app::Busy::DevicePolling)
        return;
    const app::DeviceCode& d = state.attempt.device;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("On another device or tab, open the verification page and enter this code:");
    ImGui::PushFont(LargeMonoFont());
    ImGui::PushStyleColor(ImGuiCol_Text, Colors().accent);
    ImGui::TextUnformatted(d.userCode.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ReadOnlyField("User Code", d.userCode, nullptr, true, 0);
    if (ImGui::Button("Copy Code"))
        state.emit(app::Intent::Copy, -1, d.userCode);
    ImGui::SameLine();
    const std::string& open =
        d.verificationUriComplete.empty() ? d.verificationUri : d.verificationUriComplete;
    if (ImGui::Button("Open Verification Page"))
        state.emit(app::Intent::OpenUrl, -1, open);
    ImGui::SameLine();
    MutedText(d.verificationUri.c_str());
    const long left = static_cast<long>(std::max(0.0, std::floor(d.expiresAt - state.now)));
    ImGui::Text("The code expires in %ld min %ld s.", left / 60, left % 60);
}

} // namespace ui
