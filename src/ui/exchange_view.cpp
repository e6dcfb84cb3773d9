// What went over the wire: the flow diagram of the latest attempt (the failed step in red) and
// the exchange log, every request and response in order, masked unless revealed.
#include "ui/ui.h"
#include "ui/widgets.h"

#include "core/exchange_log.h"

#include "imgui.h"
#include "imgui_stdlib.h"

#include <string>

namespace ui {

void DrawFlow(app::AppState& state) {
    const oauth::Profile* p = state.current();
    if (!p || state.log.attempt <= state.flowHiddenUpTo || state.log.entries.empty())
        return; // a "Not sent" hides the older attempt's diagram
    if (state.log.entries.back().attempt != state.log.attempt)
        return;
    const auto steps =
        oauth::DescribeFlow(state.flowGrantType(), state.log, state.attempt.busy != app::Busy::None,
                            p->state == oauth::ProfileState::Error);
    if (steps.empty())
        return;
    ImGui::Spacing();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float h = ImGui::GetFrameHeight() + 6, gap = 28, pad = 12;
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float x = pos.x;
    for (size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        const ImVec2 size = ImGui::CalcTextSize(s.label.c_str());
        const float w = size.x + pad * 2;
        ImVec4 color = Colors().muted;
        bool filled = false;
        switch (s.state) {
        case oauth::FlowState::Ok:
            color = Colors().ok;
            filled = true;
            break;
        case oauth::FlowState::Failed:
            color = Colors().error;
            filled = true;
            break;
        case oauth::FlowState::Active:
            color = Colors().accent;
            break;
        default:
            break;
        }
        const ImU32 col = ImGui::GetColorU32(color);
        ImVec2 a(x, pos.y), b(x + w, pos.y + h);
        if (filled) {
            draw->AddRectFilled(a, b, ImGui::GetColorU32(ImVec4(color.x, color.y, color.z, 0.15f)), 6);
        }
        draw->AddRect(a, b, col, 6, 0, s.state == oauth::FlowState::Active ? 2.0f : 1.2f);
        draw->AddText(ImVec2(x + pad, pos.y + (h - size.y) / 2), ImGui::GetColorU32(ImGuiCol_Text),
                      s.label.c_str());
        x += w;
        if (i + 1 < steps.size()) {
            const float my = pos.y + h / 2;
            const ImU32 arrow = ImGui::GetColorU32(Colors().muted);
            draw->AddLine(ImVec2(x + 4, my), ImVec2(x + gap - 6, my), arrow, 1.5f);
            draw->AddTriangleFilled(ImVec2(x + gap - 4, my), ImVec2(x + gap - 10, my - 4),
                                    ImVec2(x + gap - 10, my + 4), arrow);
            x += gap;
        }
    }
    ImGui::Dummy(ImVec2(x - pos.x, h));
}

void DrawExchangeLog(app::AppState& state) {
    if (state.log.entries.empty())
        return;
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Exchange log"))
        return;
    ImGui::Checkbox("Reveal secrets in the log", &state.revealLog);
    ImGui::SameLine();
    MutedText(
        "Every request and answer of this session, oldest first. Secrets, codes and tokens are masked.");
    for (const oauth::ExchangeEntry& e : state.log.entries) {
        ImGui::PushID(static_cast<int>(e.id));
        const std::string summary = oauth::ExchangeEntrySummary(e);
        if (e.failed)
            ImGui::PushStyleColor(ImGuiCol_Text, Colors().error);
        const bool open = ImGui::TreeNode("entry", "#%d  %s", e.attempt, summary.c_str());
        if (e.failed)
            ImGui::PopStyleColor();
        if (open) {
            std::string text = app::ClipForDisplay(oauth::FormatExchangeEntry(e, state.revealLog));
            ImGui::PushFont(MonoFont());
            const float lines =
                std::min(20.0f, 1.5f + static_cast<float>(std::count(text.begin(), text.end(), '\n')));
            ImGui::InputTextMultiline("##text", &text, ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * lines),
                                      ImGuiInputTextFlags_ReadOnly);
            ImGui::PopFont();
            if (e.request.method == "POST" && ImGui::Button("Copy request as cURL"))
                state.emit(app::Intent::CopyExchangeCurl, static_cast<std::int64_t>(e.id));
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
}

} // namespace ui
