// Where each widget was drawn in the latest frame, with the caption a person sees: the data behind
// window.oauthSetup.items(). Filled by Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE),
// which report every item's box (ItemAdd), most items' labels and check/open state (ItemInfo), and
// what the UI says a widget holds (ItemInfo with core/widget_semantics.h bits). The same items, as
// roles and values, feed the page's accessible mirror (accessible_mirror.h, web/host/mirror.js).
#pragma once

#include "imgui.h"

struct ImGuiWindow;

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace web {

// What the UI and Dear ImGui said about an item during the frame, beyond its box and caption.
struct ItemState {
    int status = 0;    // Dear ImGui's ImGuiItemStatusFlags: Checkable, Checked, Openable, Opened
    int semantics = 0; // core/widget_semantics.h bits
    std::string value;
    std::vector<std::string> options; // a combo's choices, in order
};

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
    bool disabled = false;
    bool focused = false; // keyboard focus (ImGui's nav or active id) as the frame ended
    ItemState state;
};

class ItemRegistry {
  public:
    // `unclipped`: the frame is drawn without clipping (imgui_backend.cpp), so every widget names itself.
    void beginFrame(bool unclipped);
    void endFrame(); // the frame's items become the published ones
    // Dear ImGui 1.86 reports a widget's caption only when it draws it, and it skips the drawing of a
    // widget outside its pane's clip rectangle: a button below the fold since load has no caption, and
    // would be missing from items() and the accessible mirror. True when the frame just ended had such
    // a widget, not yet drawn unclipped (and on the first frame): the next frame is to be unclipped.
    bool wantsUnclippedFrame() const { return wantUnclipped_; }
    void onItemAdd(unsigned id, const ImVec2& min, const ImVec2& max, bool textInput, bool focusable,
                   bool disabled);
    void onItemInfo(unsigned id, const char* label, int status);
    void onItemReport(unsigned id, int semantics, const char* text);

    const std::vector<ItemBox>& items() const { return published_; }
    const ItemBox* find(unsigned id) const;
    // The first visible item whose box holds the point (CSS pixels), or null.
    const ItemBox* at(float x, float y) const;
    std::string toJson() const;

    static std::string displayLabel(const char* label);

  private:
    std::vector<ItemBox> building_, published_;
    std::unordered_map<unsigned, std::string> labels_;
    std::unordered_map<unsigned, std::string> seenLabels_; // labels of earlier frames, by id
    std::unordered_map<unsigned, ItemState> states_;
    std::unordered_set<unsigned> uncaptioned_; // widgets that had no caption even drawn unclipped
    bool unclipped_ = false, wantUnclipped_ = true;
};

ItemRegistry& Items();

} // namespace web
