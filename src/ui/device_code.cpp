// The device grant's user code (RFC 8628 section 3.3): large, copyable, with the verification
// page to open and the time left.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "core/device_authorization.h"
#include "core/qr_code.h"

#include "imgui.h"
#include "imgui_internal.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace ui {

namespace {

// The verification page as a QR code (RFC 8628 section 3.3.1), for a phone's camera: dark modules
// on white with the 4-module quiet zone the standard asks for, whatever the theme. Encoded once
// per URI; nothing is drawn for a URI the page would not open itself.
void DrawVerificationQr(const std::string& uri) {
    static std::string encodedFor;
    static std::optional<oauth::QrCode> qr;
    if (uri != encodedFor) {
        encodedFor = uri;
        qr = oauth::RefuseToOpenVerificationUri(uri) ? std::nullopt : oauth::EncodeQr(uri);
    }
    if (!qr)
        return;
    const int quiet = 4;
    const float module = std::max(4.0f, std::floor(ImGui::GetFontSize() * 0.3f));
    const float side = module * static_cast<float>(qr->size + 2 * quiet);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImRect box(at, ImVec2(at.x + side, at.y + side));
    ImGui::ItemSize(box);
    // An image, not a control: no keyboard stop. Its caption names it for oauthSetup.items().
    ImGui::PushItemFlag(ImGuiItemFlags_NoNav, true);
    const ImGuiID id = ImGui::GetID("Verification QR code");
    const bool shown = ImGui::ItemAdd(box, id);
    ImGui::PopItemFlag();
    CaptionItem(id, "Verification QR code");
    if (!shown)
        return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(box.Min, box.Max, IM_COL32_WHITE);
    for (int y = 0; y < qr->size; ++y)
        for (int x = 0; x < qr->size; ++x)
            if (qr->at(x, y)) {
                const ImVec2 min(box.Min.x + module * static_cast<float>(x + quiet),
                                 box.Min.y + module * static_cast<float>(y + quiet));
                draw->AddRectFilled(min, ImVec2(min.x + module, min.y + module), IM_COL32_BLACK);
            }
}

} // namespace

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
    MutedText("Or scan this with a phone to open the verification page:");
    DrawVerificationQr(open);
    const long left = static_cast<long>(std::max(0.0, std::floor(d.expiresAt - state.now)));
    ImGui::Text("The code expires in %ld min %ld s.", left / 60, left % 60);
}

} // namespace ui
