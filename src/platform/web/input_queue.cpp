#include "platform/web/input_queue.h"

#include "imgui.h"

#include <algorithm>
#include <set>

namespace web {

static void applyMods(ImGuiIO& io, int mods) {
    io.KeyCtrl = mods & ModCtrl;
    io.KeyShift = mods & ModShift;
    io.KeyAlt = mods & ModAlt;
    io.KeySuper = mods & ModSuper;
}

FocusRequests InputQueue::applyFrame() {
    ImGuiIO& io = ImGui::GetIO();
    FocusRequests focus;
    const bool editing = io.WantTextInput; // as the previous frame ended
    std::set<int> keysChanged, buttonsChanged;
    bool keyPressed = false; // InputText handles typed characters before key presses in a frame
    if (textHoldFrames_ > 0)
        --textHoldFrames_;
    size_t n = 0;
    for (; n < events_.size(); ++n) {
        const InputEvent& e = events_[n];
        bool stop = false;
        switch (e.kind) {
        case InputKind::MouseMove:
            // A move after a button change waits, so a drag or a release lands where it happened.
            if (!buttonsChanged.empty() && (io.MousePos.x != e.x || io.MousePos.y != e.y)) {
                stop = true;
                break;
            }
            io.MousePos = ImVec2(e.x, e.y);
            break;
        case InputKind::MouseButton:
            if (e.code < 0 || e.code >= 5)
                break;
            if (!buttonsChanged.insert(e.code).second) {
                stop = true;
                break;
            }
            io.MouseDown[e.code] = e.down;
            break;
        case InputKind::Wheel:
            io.MouseWheel += e.y;
            io.MouseWheelH += e.x;
            break;
        case InputKind::Key:
            if (e.code == ImGuiKey_Tab || (e.code == ImGuiKey_Escape && editing)) {
                // One focus move per frame, so the next one starts from where this one landed.
                if (focus.tab != 0 || focus.leaveText) {
                    stop = true;
                    break;
                }
                if (e.down && e.code == ImGuiKey_Tab) {
                    focus.tab = (e.mods & ModShift) ? -1 : 1;
                    textHoldFrames_ = 3;
                } else if (e.down) {
                    focus.leaveText = true;
                }
                applyMods(io, e.mods);
                break;
            }
            if (e.code >= 0 && e.code < IM_ARRAYSIZE(io.KeysDown)) {
                if (!keysChanged.insert(e.code).second) {
                    stop = true;
                    break;
                }
                io.KeysDown[e.code] = e.down;
                keyPressed = keyPressed || e.down;
                // Enter activates the focused button, checkbox, combo or list row as Space does
                // (ImGui 1.86 reads only Space for that); Ctrl/Cmd+Enter is the page's shortcut.
                if (e.code == ImGuiKey_Enter && e.down && !editing &&
                    !(e.mods & (ModCtrl | ModSuper | ModAlt))) {
                    io.KeysDown[ImGuiKey_Space] = true;
                    enterAsSpace_ = true;
                } else if (e.code == ImGuiKey_Enter && !e.down && enterAsSpace_) {
                    io.KeysDown[ImGuiKey_Space] = false;
                    enterAsSpace_ = false;
                }
            }
            applyMods(io, e.mods);
            break;
        case InputKind::Text:
            if (keyPressed || textHoldFrames_ > 0) {
                stop = true;
                break;
            }
            io.AddInputCharactersUTF8(e.text.c_str());
            break;
        case InputKind::FocusLost:
            // Keys held while the page lost focus never see their key-up: release everything.
            std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
            std::fill(std::begin(io.MouseDown), std::end(io.MouseDown), false);
            applyMods(io, 0);
            break;
        }
        if (stop)
            break;
    }
    events_.erase(events_.begin(), events_.begin() + n);
    return focus;
}

} // namespace web
