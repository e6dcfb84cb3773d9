// Where each widget was drawn in the latest frame, with the caption a person sees: the data behind
// window.oauthSetup.items(). Filled by Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE),
// which report every item's box (ItemAdd) and most items' labels (ItemInfo).
#pragma once

#include "imgui.h"

struct ImGuiWindow;

#include <string>
#include <unordered_map>
#include <vector>

namespace web {

struct ItemBox {
    unsigned id = 0;
    std::string label;       // caption as shown: "Client ID", not "Client ID##form"
    std::string window;      // window title as shown
    ImVec2 min, max;         // CSS pixels, clipped to the window when partly hidden
    ImVec2 fullMin, fullMax; // the whole box, unclipped (for scrolling it into view)
    ImGuiWindow* imguiWindow = nullptr;
    bool visible = true;
    bool textInput = false;
    bool focusable = false; // a widget Tab stops at: submitted by ImGui itself, enabled, a tab stop
    bool focused = false;   // keyboard focus (ImGui's nav or active id) as the frame ended
};

class ItemRegistry {
  public:
    void beginFrame();
    void endFrame(); // the frame's items become the published ones
    void onItemAdd(unsigned id, const ImVec2& min, const ImVec2& max, bool textInput, bool focusable);
    void onItemInfo(unsigned id, const char* label);

    const std::vector<ItemBox>& items() const { return published_; }
    const ItemBox* find(unsigned id) const;
    // The first visible item whose box holds the point (CSS pixels), or null.
    const ItemBox* at(float x, float y) const;
    std::string toJson() const;

    static std::string displayLabel(const char* label);

  private:
    std::vector<ItemBox> building_, published_;
    std::unordered_map<unsigned, std::string> labels_;
};

ItemRegistry& Items();

} // namespace web
