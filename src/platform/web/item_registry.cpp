#include "platform/web/item_registry.h"

#include "core/widget_semantics.h"
#include "platform/web/accessible_mirror.h"

#include "imgui_internal.h"

#include <nlohmann/json.hpp>

namespace web {

ItemRegistry& Items() {
    static ItemRegistry registry;
    return registry;
}

std::string ItemRegistry::displayLabel(const char* label) {
    if (!label)
        return {};
    // "Caption##id" and "Caption###id" show only "Caption" (Dear ImGui's ID syntax).
    const char* end = ImGui::FindRenderedTextEnd(label);
    return std::string(label, end);
}

void ItemRegistry::beginFrame(bool unclipped) {
    unclipped_ = unclipped;
    wantUnclipped_ = false;
    building_.clear();
    labels_.clear();
    states_.clear();
    MirrorBeginFrame();
}

void ItemRegistry::endFrame() {
    for (ItemBox& item : building_) {
        auto it = labels_.find(item.id);
        if (it != labels_.end()) {
            item.label = it->second;
            seenLabels_[item.id] = it->second;
        } else if (auto seen = seenLabels_.find(item.id); seen != seenLabels_.end()) {
            // Scrolled out of its window, Dear ImGui reports no label (its widget code stops at the
            // clipping test): the one shown before still names it, for items() and the mirror.
            item.label = seen->second;
        }
        auto state = states_.find(item.id);
        if (state != states_.end())
            item.state = std::move(state->second); // a multi-line field's inner copy is erased below
    }
    // A widget without a caption: clipped before it said it (ask for an unclipped frame, once), or one
    // that has none (the text of an open log entry).
    for (const ItemBox& item : building_) {
        if (!item.label.empty() || !(item.focusable || item.disabled))
            continue;
        if (unclipped_)
            uncaptioned_.insert(item.id);
        else if (!uncaptioned_.contains(item.id))
            wantUnclipped_ = true;
    }
    // A multi-line field adds its id twice (frame and inner child): keep the first, outer box.
    std::unordered_map<unsigned, bool> seen;
    std::erase_if(building_, [&](const ItemBox& item) {
        return item.label.empty() || !seen.emplace(item.id, true).second;
    });
    // Keyboard focus: the field being edited, else the widget ImGui's navigation highlights.
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    const unsigned focus = g.ActiveId && g.IO.WantTextInput ? g.ActiveId
                           : g.NavDisableHighlight          ? 0
                                                            : g.NavId;
    for (ItemBox& item : building_)
        item.focused = focus != 0 && item.id == focus;
    published_.swap(building_);
    if (seenLabels_.size() > 2 * published_.size() + 64) {
        uncaptioned_.clear();
        seenLabels_.clear();
        for (const ItemBox& item : published_)
            seenLabels_.emplace(item.id, item.label);
    }
    MirrorEndFrame();
}

void ItemRegistry::onItemAdd(unsigned id, const ImVec2& min, const ImVec2& max, bool textInput,
                             bool focusable, bool disabled) {
    ImGuiWindow* window = ImGui::GetCurrentContext()->CurrentWindow;
    ItemBox item;
    item.id = id;
    item.min = item.fullMin = min;
    item.max = item.fullMax = max;
    item.textInput = textInput;
    item.focusable = focusable && window;
    item.disabled = disabled;
    item.imguiWindow = window;
    if (window) {
        item.window = displayLabel(window->Name);
        ImRect clip = window->ClipRect;
        ImRect box(min, max);
        if (clip.Overlaps(box)) {
            box.ClipWithFull(clip);
            item.min = box.Min;
            item.max = box.Max;
        } else {
            item.visible = false;
        }
    }
    building_.push_back(std::move(item));
}

void ItemRegistry::onItemInfo(unsigned id, const char* label, int status) {
    std::string shown = displayLabel(label);
    if (!shown.empty())
        labels_[id] = std::move(shown);
    constexpr int kKept = ImGuiItemStatusFlags_Checkable | ImGuiItemStatusFlags_Checked |
                          ImGuiItemStatusFlags_Openable | ImGuiItemStatusFlags_Opened;
    if (status & kKept)
        states_[id].status = status & kKept;
}

void ItemRegistry::onItemReport(unsigned id, int bits, const char* text) {
    ItemState& state = states_[id];
    state.semantics |= bits & ~semantics::kOption;
    if (bits & semantics::kOption)
        state.options.emplace_back(text ? text : "");
    else
        state.value = text ? text : "";
}

const ItemBox* ItemRegistry::find(unsigned id) const {
    for (const ItemBox& item : published_)
        if (item.id == id)
            return &item;
    return nullptr;
}

const ItemBox* ItemRegistry::at(float x, float y) const {
    for (const ItemBox& item : published_)
        if (item.visible && x >= item.min.x && x < item.max.x && y >= item.min.y && y < item.max.y)
            return &item;
    return nullptr;
}

std::string ItemRegistry::toJson() const {
    nlohmann::json out = nlohmann::json::array();
    for (const ItemBox& item : published_) {
        out.push_back({{"label", item.label},
                       {"x", item.min.x},
                       {"y", item.min.y},
                       {"w", item.max.x - item.min.x},
                       {"h", item.max.y - item.min.y},
                       {"window", item.window},
                       {"visible", item.visible},
                       {"textInput", item.textInput},
                       {"focused", item.focused}});
    }
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace web

// Dear ImGui's test-engine hooks (declared in imgui_internal.h).
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
    const ImGuiItemFlags flags = ctx->LastItemData.InFlags;
    bool textInput = (flags & ImGuiItemFlags_Inputable) != 0;
    // Captions added by hand for text and badges (ui::CaptionedText, ui::StatusBadge) come after an
    // item without an id: they are not widgets a person can focus.
    const bool own = ctx->LastItemData.ID == id;
    const bool focusable =
        own && (flags & (ImGuiItemFlags_Disabled | ImGuiItemFlags_NoNav | ImGuiItemFlags_NoTabStop)) == 0;
    web::Items().onItemAdd(id, bb.Min, bb.Max, textInput, focusable,
                           own && (flags & ImGuiItemFlags_Disabled));
}

// Dear ImGui's widgets report their label and check/open state; the UI also reports values
// (core/widget_semantics.h bits in `flags`, the value as `label`).
void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
    if (flags & semantics::kAll)
        web::Items().onItemReport(id, flags & semantics::kAll, label);
    else
        web::Items().onItemInfo(id, label, flags);
    web::MirrorOnItemInfo(id);
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) {
    return nullptr;
}
