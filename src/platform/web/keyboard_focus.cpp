#include "platform/web/keyboard_focus.h"

#include "platform/web/item_registry.h"

#include "imgui.h"
#include "imgui_internal.h"

#include <vector>

namespace web {
namespace {

// The widgets Tab may stop at: inside the topmost popup while one is open, else everywhere.
std::vector<const ItemBox*> tabStops() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* popup = g.OpenPopupStack.Size > 0 ? g.OpenPopupStack.back().Window : nullptr;
    std::vector<const ItemBox*> stops;
    for (const ItemBox& item : Items().items()) {
        if (!item.focusable)
            continue;
        if (popup && item.imguiWindow->RootWindow != popup->RootWindow)
            continue;
        stops.push_back(&item);
    }
    return stops;
}

int indexOf(const std::vector<const ItemBox*>& stops, ImGuiID id) {
    for (size_t i = 0; i < stops.size(); ++i)
        if (stops[i]->id == id)
            return static_cast<int>(i);
    return -1;
}

} // namespace

void FocusItem(const ItemBox& item, bool startEditing) {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.ActiveId)
        ImGui::ClearActiveID(); // a field being edited keeps its text
    ImGuiWindow* window = item.imguiWindow;
    if (g.NavWindow != window)
        ImGui::FocusWindow(window);
    ImGui::SetFocusID(item.id, window);
    g.NavDisableHighlight = false; // focus is always visible
    g.NavDisableMouseHover = true;
    if (item.textInput && startEditing) {
        // Start editing, as a browser's Tab does (as an "input" activation: ImGui's Enter).
        ImGui::ActivateItem(item.id);
        g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput;
    }
    // Scroll the window (and the windows around it) so the whole widget shows.
    ImGui::ScrollToRectEx(window, ImRect(item.fullMin, item.fullMax), ImGuiScrollFlags_KeepVisibleEdgeY);
}

void MoveKeyboardFocus(int direction) {
    const std::vector<const ItemBox*> stops = tabStops();
    if (stops.empty())
        return;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    // From the field being edited, else the focused widget (or the one clicked last).
    int current = g.ActiveId ? indexOf(stops, g.ActiveId) : -1;
    if (current < 0 && g.NavId)
        current = indexOf(stops, g.NavId);
    const int n = static_cast<int>(stops.size());
    int target = 0;
    if (current >= 0) {
        target = (current + direction + n) % n;
    } else if (direction > 0) {
        for (int i = 0; i < n; ++i)
            if (stops[static_cast<std::size_t>(i)]->textInput) {
                target = i;
                break;
            }
    } else {
        target = n - 1;
    }
    FocusItem(*stops[static_cast<std::size_t>(target)], true);
}

void LeaveTextField() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiID id = g.ActiveId;
    if (!id)
        return;
    ImGui::ClearActiveID();
    g.NavId = id;
    g.NavDisableHighlight = false;
}

} // namespace web
