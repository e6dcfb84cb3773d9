// The list of profiles by Token Name, with New, Duplicate, Delete (confirmed) and a filter.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "core/presets.h"

#include "imgui.h"
#include "imgui_stdlib.h"

#include <algorithm>
#include <cctype>

namespace ui {

namespace {

constexpr int kFilterFrom = 6; // the filter box appears once the list is this long

bool containsIgnoringCase(const std::string& text, const std::string& needle) {
    auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != text.end();
}

// New, Duplicate, and Delete with its confirmation.
void ProfileButtons(app::AppState& state) {
    IntentButton(state, "New", app::Intent::New);
    ImGui::SameLine();
    IntentButton(state, "Duplicate", app::Intent::Duplicate);
    ImGui::SameLine();
    if (ImGui::Button("Delete")) {
        state.confirmDelete = true;
        ImGui::OpenPopup("Delete profile?");
    }
    if (!ImGui::BeginPopupModal("Delete profile?", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
        return;
    const oauth::Profile* p = state.current();
    ImGui::Text("Delete \"%s\"? Its settings and token are removed from this browser.",
                p ? p->tokenName.c_str() : "");
    if (ImGui::Button("Delete profile")) {
        state.emit(app::Intent::Delete, state.selected);
        state.confirmDelete = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Keep") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        state.confirmDelete = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void PresetMenu(app::AppState& state) {
    if (ImGui::Button("New from Preset"))
        ImGui::OpenPopup("presets");
    if (!ImGui::BeginPopup("presets"))
        return;
    for (const oauth::Preset& preset : oauth::Presets())
        if (ImGui::Selectable(preset.name.c_str()))
            state.emit(app::Intent::NewFromPreset, -1, preset.id);
    ImGui::EndPopup();
}

// One profile by Token Name, with a dot before it for its State and an accent bar when selected.
void ProfileRow(app::AppState& state, int i) {
    const oauth::Profile& p = state.profiles[static_cast<std::size_t>(i)];
    const float dot = ImGui::GetFontSize() * 0.3f;
    ImGui::PushID(i);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    std::string label = "      " + p.tokenName;
    // Stacked (a phone): a row as tall as a button, so a finger hits it.
    const ImVec2 size(0, Stacked() ? ImGui::GetFrameHeight() : 0);
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0, 0.5f));
    const bool pressed = ImGui::Selectable(label.c_str(), i == state.selected, 0, size);
    ImGui::PopStyleVar();
    if (pressed)
        state.emit(app::Intent::Select, i);
    CaptionLastItem(p.tokenName.c_str());
    ReportListRow(i == state.selected);
    if (ImGui::IsItemHovered()) {
        // The full name, however narrow the list.
        ImGui::BeginTooltip();
        CaptionedText(p.tokenName);
        ImGui::EndTooltip();
    }
    if (i == state.selected) {
        // The selected row also carries an accent bar, so it never looks like a hovered one.
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddRectFilled(a, ImVec2(a.x + 3, b.y),
                                                  ImGui::GetColorU32(Colors().accent));
    }
    // A dot before the name says the profile's State at a glance.
    const ImVec4& color = StateColor(p.state);
    ImVec2 center(pos.x + dot * 2.5f, pos.y + (size.y > 0 ? size.y : ImGui::GetTextLineHeight()) * 0.5f);
    if (p.state == oauth::ProfileState::None)
        ImGui::GetWindowDrawList()->AddCircle(center, dot, ImGui::GetColorU32(color), 12, 1.2f);
    else
        ImGui::GetWindowDrawList()->AddCircleFilled(center, dot, ImGui::GetColorU32(color), 12);
    ImGui::PopID();
}

// The filter box (once the list is long) and the profiles it lets through.
void ProfileRows(app::AppState& state) {
    if (static_cast<int>(state.profiles.size()) >= kFilterFrom) {
        ImGui::SetNextItemWidth(-FLT_MIN);
        ImGui::InputTextWithHint("##filter", "Filter by name", &state.filter);
        CaptionLastItem("Filter");
        ReportValue(state.filter);
    }
    ImGui::Separator();
    for (int i = 0; i < static_cast<int>(state.profiles.size()); ++i)
        if (state.filter.empty() ||
            containsIgnoringCase(state.profiles[static_cast<std::size_t>(i)].tokenName, state.filter))
            ProfileRow(state, i);
}

void ExportImport(app::AppState& state) {
    IntentButton(state, "Export All", app::Intent::ExportAll);
    ImGui::SameLine();
    IntentButton(state, "Import", app::Intent::Import);
    if (!state.droppedOnImport.empty()) {
        IntentButton(state, "Keep Previous Secrets", app::Intent::KeepDroppedCredentials);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "The import pointed a profile at another token endpoint, client or issuer, so its "
                "secret, password and tokens were dropped. Keep them only if they belong there.");
    }
    ImGui::Checkbox("With secrets", &state.includeSecretsInExportAll);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Export All leaves client secrets, passwords and tokens out unless this is ticked.");
}

// Asks for the new passphrase twice before the secrets are sealed with it.
void LockPopup(app::AppState& state) {
    if (!ImGui::BeginPopupModal("Lock with a passphrase", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
    ImGui::TextUnformatted(
        "Client secrets, passwords and tokens will be stored encrypted with this passphrase. "
        "Without it they cannot be recovered.");
    ImGui::PopTextWrapPos();
    ImGui::SetNextItemWidth(300);
    ImGui::InputTextWithHint("##new", "Passphrase (8 characters or more)", &state.passphraseInput,
                             ImGuiInputTextFlags_Password);
    CaptionLastItem("New Passphrase");
    ReportSecret(state.passphraseInput);
    ImGui::SetNextItemWidth(300);
    ImGui::InputTextWithHint("##repeat", "Repeat Passphrase", &state.passphraseRepeat,
                             ImGuiInputTextFlags_Password);
    CaptionLastItem("Repeat Passphrase");
    ReportSecret(state.passphraseRepeat);
    if (ImGui::Button("Encrypt Secrets")) {
        state.emit(app::Intent::SetPassphrase);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel##lock")) {
        state.passphraseInput.clear();
        state.passphraseRepeat.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// Passphrase lock: secrets encrypted at rest (WebCrypto, AES-GCM, PBKDF2-SHA-256).
void LockControls(app::AppState& state) {
    if (!state.lockEnabled) {
        if (ImGui::Button("Lock with Passphrase"))
            ImGui::OpenPopup("Lock with a passphrase");
    } else if (!state.locked) {
        IntentButton(state, "Lock Now", app::Intent::LockNow);
        ImGui::SameLine();
        IntentButton(state, "Remove Passphrase", app::Intent::RemovePassphrase);
    } else {
        MutedText("Locked: unlock at the top.");
    }
    LockPopup(state);
}

} // namespace

void DrawProfileList(app::AppState& state) {
    ProfileButtons(state);
    PresetMenu(state);
    ProfileRows(state);
    ImGui::Spacing();
    ImGui::Separator();
    ExportImport(state);
    ImGui::Spacing();
    ImGui::Separator();
    LockControls(state);
}

} // namespace ui
