#include "platform/web/input_queue.h"

#include "imgui.h"

#include <algorithm>
#include <set>

namespace web {

struct InputQueue::FrameInput {
    bool editing = false; // a text field was active as the previous frame ended
    std::set<int> keysChanged, buttonsChanged;
    bool keyPressed = false; // InputText handles typed characters before key presses in a frame
    FocusRequests focus;
};

static void applyMods(ImGuiIO& io, int mods) {
    io.KeyCtrl = mods & ModCtrl;
    io.KeyShift = mods & ModShift;
    io.KeyAlt = mods & ModAlt;
    io.KeySuper = mods & ModSuper;
}

FocusRequests InputQueue::applyFrame() {
    FrameInput frame;
    frame.editing = ImGui::GetIO().WantTextInput;
    if (textHoldFrames_ > 0)
        --textHoldFrames_;
    size_t n = 0;
    while (n < events_.size() && applyEvent(events_[n], frame))
        ++n;
    events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
    return frame.focus;
}

bool InputQueue::applyEvent(const InputEvent& e, FrameInput& frame) {
    ImGuiIO& io = ImGui::GetIO();
    switch (e.kind) {
    case InputKind::MouseMove:
        // A move after a button change waits, so a drag or a release lands where it happened.
        if (!frame.buttonsChanged.empty() && (io.MousePos.x != e.x || io.MousePos.y != e.y))
            return false;
        io.MousePos = ImVec2(e.x, e.y);
        return true;
    case InputKind::MouseButton:
        return applyMouseButton(e, frame);
    case InputKind::Wheel:
        io.MouseWheel += e.y;
        io.MouseWheelH += e.x;
        return true;
    case InputKind::Key:
        if (e.code == ImGuiKey_Tab || (e.code == ImGuiKey_Escape && frame.editing))
            return applyFocusKey(e, frame);
        return applyKey(e, frame);
    case InputKind::Text:
        return applyText(e, frame);
    case InputKind::FocusLost:
        // Keys held while the page lost focus never see their key-up: release everything.
        std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
        std::fill(std::begin(io.MouseDown), std::end(io.MouseDown), false);
        applyMods(io, 0);
        return true;
    }
    return true;
}

// One change per button per frame: ImGui reads the button's state, not its events.
bool InputQueue::applyMouseButton(const InputEvent& e, FrameInput& frame) {
    if (e.code < 0 || e.code >= 5)
        return true;
    if (!frame.buttonsChanged.insert(e.code).second)
        return false;
    ImGui::GetIO().MouseDown[e.code] = e.down;
    return true;
}

// Tab, and Escape while editing, move the focus themselves (FocusRequests): one move per frame,
// so the next one starts from where this one landed.
bool InputQueue::applyFocusKey(const InputEvent& e, FrameInput& frame) {
    if (frame.focus.tab != 0 || frame.focus.leaveText)
        return false;
    if (e.down && e.code == ImGuiKey_Tab) {
        frame.focus.tab = (e.mods & ModShift) ? -1 : 1;
        textHoldFrames_ = 3;
    } else if (e.down) {
        frame.focus.leaveText = true;
    }
    applyMods(ImGui::GetIO(), e.mods);
    return true;
}

bool InputQueue::applyKey(const InputEvent& e, FrameInput& frame) {
    ImGuiIO& io = ImGui::GetIO();
    if (e.code >= 0 && e.code < IM_ARRAYSIZE(io.KeysDown)) {
        if (!frame.keysChanged.insert(e.code).second)
            return false;
        io.KeysDown[e.code] = e.down;
        frame.keyPressed = frame.keyPressed || e.down;
        // Enter activates the focused button, checkbox, combo or list row as Space does
        // (ImGui 1.86 reads only Space for that); Ctrl/Cmd+Enter is the page's shortcut.
        if (e.code == ImGuiKey_Enter && e.down && !frame.editing &&
            !(e.mods & (ModCtrl | ModSuper | ModAlt))) {
            io.KeysDown[ImGuiKey_Space] = true;
            enterAsSpace_ = true;
        } else if (e.code == ImGuiKey_Enter && !e.down && enterAsSpace_) {
            io.KeysDown[ImGuiKey_Space] = false;
            enterAsSpace_ = false;
        }
    }
    applyMods(io, e.mods);
    return true;
}

// Text waits behind a key press of the same frame and while a Tab moves the focus.
bool InputQueue::applyText(const InputEvent& e, const FrameInput& frame) {
    if (frame.keyPressed || textHoldFrames_ > 0)
        return false;
    ImGui::GetIO().AddInputCharactersUTF8(e.text.c_str());
    return true;
}

} // namespace web
