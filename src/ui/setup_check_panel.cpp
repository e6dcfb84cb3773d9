// "Setup check": the selected profile judged against RFC 9700 and its neighbours (core/setup_check.h),
// one row per rule: its verdict in colour, its title and RFC section, and the sentence saying why and
// what to change. Each sentence is a read-only text captioned with the rule's title, so items() and
// the accessible mirror (a labelled read-only text area) show it, and it can be selected and copied.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "core/setup_check.h"
#include "core/widget_semantics.h"

#include "imgui_internal.h"
#include "imgui_stdlib.h"

#include <algorithm>
#include <string_view>

namespace ui {

namespace {

// What a person reads as the rule's name (and the caption of its sentence).
const char* RuleTitle(std::string_view rule) {
    static constexpr std::pair<std::string_view, const char*> kTitles[] = {
        {oauth::kRulePkceS256, "PKCE with S256"},
        {oauth::kRuleIssParameter, "iss in the callback"},
        {oauth::kRuleLegacyGrants, "Password and implicit grants"},
        {oauth::kRuleHttpEndpoints, "https endpoints"},
        {oauth::kRuleBrowserSecret, "Client secret in a browser"},
        {oauth::kRuleRefreshProtection, "Refresh token protection"},
        {oauth::kRuleParDpopRequired, "PAR and DPoP the provider requires"},
        {oauth::kRuleIssuerMatch, "Issuer matches the discovery URL"},
        {oauth::kRuleNonce, "Nonce in the ID token"},
    };
    for (const auto& [id, title] : kTitles)
        if (id == rule)
            return title;
    return "Rule";
}

const ImVec4& VerdictColor(oauth::Verdict verdict) {
    switch (verdict) {
    case oauth::Verdict::Pass:
        return Colors().ok;
    case oauth::Verdict::Warning:
        return Colors().warning;
    case oauth::Verdict::Fail:
        return Colors().error;
    default:
        return Colors().muted;
    }
}

// `text` with line breaks where Dear ImGui would wrap it at `width` (1.86's multi-line input has no
// word wrap of its own).
std::string Wrapped(const std::string& text, float width) {
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    std::string out;
    const char* at = text.c_str();
    const char* end = at + text.size();
    while (at < end) {
        const char* cut = font->CalcWordWrapPositionA(scale, at, end, width);
        if (cut == at)
            ++cut; // one glyph wider than the box: keep going
        std::string_view line(at, static_cast<std::size_t>(cut - at));
        while (!line.empty() && line.back() == ' ')
            line.remove_suffix(1);
        out += (out.empty() ? "" : "\n") + std::string(line);
        at = cut;
        while (at < end && *at == ' ')
            ++at;
    }
    return out;
}

void CheckRow(const oauth::SetupCheckRow& row) {
    const char* title = RuleTitle(row.rule);
    ImGui::PushID(row.rule.c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, VerdictColor(row.verdict));
    ImGui::TextUnformatted(std::string(oauth::ToText(row.verdict)).c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextUnformatted(title);
    ImGui::SameLine();
    MutedText(row.section.c_str());
    const ImGuiStyle& style = ImGui::GetStyle();
    std::string shown =
        Wrapped(row.sentence, ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2 - 6);
    const float lines = 1.0f + static_cast<float>(std::count(shown.begin(), shown.end(), '\n'));
    ImGui::InputTextMultiline(
        "##sentence", &shown,
        ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * lines + style.FramePadding.y * 2 + 2),
        ImGuiInputTextFlags_ReadOnly);
    CaptionLastItem(title);
    // The mirror's read-only text area holds the verdict, the sentence and the section, unwrapped.
    const std::string value =
        std::string(oauth::ToText(row.verdict)) + ": " + row.sentence + " (" + row.section + ")";
    ImGuiTestEngineHook_ItemInfo(ImGui::GetCurrentContext(), ImGui::GetItemID(), value.c_str(),
                                 semantics::kValue | semantics::kMultiline | semantics::kReadOnly);
    ImGui::PopID();
}

} // namespace

void DrawSetupCheck(app::AppState& state) {
    if (!state.current())
        return;
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Setup check"))
        return;
    MutedText("Is this setup right, not just working? Each rule reads the profile, the provider's metadata "
              "(press Discover) and what the last run showed.");
    for (const oauth::SetupCheckRow& row : state.setupCheck())
        CheckRow(row);
}

} // namespace ui
