// Browser input reaches the page as DOM events, at any time, possibly several between two frames.
// Dear ImGui 1.86 reads key and button *state* once per frame, so a key pressed and released
// between two frames would be lost. InputQueue keeps the events in order and hands ImGui, per frame,
// the longest prefix that does not change the same key or button twice.
#pragma once

#include <string>
#include <vector>

namespace web {

enum class InputKind { MouseMove, MouseButton, Wheel, Key, Text, FocusLost };

struct InputEvent {
    InputKind kind = InputKind::MouseMove;
    float x = 0, y = 0; // MouseMove: position in CSS pixels; Wheel: delta in lines
    int code = 0;       // MouseButton: button 0..4; Key: ImGuiKey_ index or a modifier code
    bool down = false;  // MouseButton, Key
    int mods = 0;       // Key: modifier state after the event (see Mod*)
    std::string text;   // Text: UTF-8
};

enum Mod { ModCtrl = 1, ModShift = 2, ModAlt = 4, ModSuper = 8 };

// Keys the page handles itself rather than handing them to ImGui 1.86, whose Tab visits only text
// fields of one window, whose Escape throws away what was typed, and whose buttons ignore Enter.
struct FocusRequests {
    int tab = 0;            // +1 Tab, -1 Shift+Tab: move keyboard focus to the next/previous widget
    bool leaveText = false; // Escape in a text field: stop editing, keep the text and the focus
};

class InputQueue {
  public:
    void push(InputEvent e) { events_.push_back(std::move(e)); }
    bool empty() const { return events_.empty(); }
    // Applies this frame's share of the queue to ImGui's IO; the rest waits for the next frame.
    // Returns the focus moves the backend carries out (see FocusRequests).
    FocusRequests applyFrame();

  private:
    struct FrameInput; // what this frame has applied so far (input_queue.cpp)
    // Each applies one event to ImGui's IO, or returns false when it must wait for the next frame.
    bool applyEvent(const InputEvent& e, FrameInput& frame);
    bool applyMouseButton(const InputEvent& e, FrameInput& frame);
    bool applyFocusKey(const InputEvent& e, FrameInput& frame);
    bool applyKey(const InputEvent& e, FrameInput& frame);
    bool applyText(const InputEvent& e, const FrameInput& frame);

    std::vector<InputEvent> events_;
    // Tab moves focus over the next frames; text typed meanwhile waits for the new field.
    int textHoldFrames_ = 0;
    bool enterAsSpace_ = false; // Enter is held down as Space (see applyKey)
};

} // namespace web
