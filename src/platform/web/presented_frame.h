// Which frame the canvas shows, so a frame that would draw the same pixels is not rendered again.
//
// The page draws frames only when something may have changed, but many of those frames draw exactly
// what is on screen: Dear ImGui's settle frames after a change, a mouse move over nothing that
// reacts. Rendering such a frame again costs the GPU the most of a frame's time (under SwiftShader,
// ~50 ms at 1200 x 800) and holds back the next animation frame, so a finished request waits for
// it. A WebGL canvas keeps showing its last rendered frame until it is drawn to again, so a frame
// whose draw data is the one on screen can simply not be rendered.
#pragma once

#include "imgui.h"

namespace web {

class PresentedFrame {
  public:
    // True when `data`, drawn into a width x height drawing buffer, differs from what the canvas
    // shows (and is then taken as shown). Compares the lists' vertices, indices and commands
    // (clip rectangles, textures, offsets) by Dear ImGui's CRC32 plus their sizes.
    bool changed(const ImDrawData& data, int width, int height);
    // The canvas was cleared (a new size, even an equal one, clears it): render the next frame.
    void forget() { known_ = false; }

  private:
    struct Key {
        ImU32 hash = 0;
        int vertices = 0, indices = 0, commands = 0, width = 0, height = 0;
        bool operator==(const Key&) const = default;
    };
    Key shown_;
    bool known_ = false;
};

// The page's one canvas.
PresentedFrame& Canvas();

} // namespace web
