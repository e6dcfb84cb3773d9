// Dear ImGui platform backend for the browser: display size and devicePixelRatio, fonts rasterised
// for that ratio, time, clipboard, mouse cursor, and the input queue fed by web/host through the
// exported osu_* functions. Rendering itself is Dear ImGui's OpenGL3 backend on WebGL2.
#pragma once

struct ImFont;

namespace web {

// The atlas's fonts, rebuilt when devicePixelRatio changes: read them again after each
// BackendNewFrame().
struct Fonts {
    ImFont* ui = nullptr;
    ImFont* mono = nullptr;  // tokens, secrets, raw responses
    ImFont* large = nullptr; // the device grant's user code
};

struct BackendConfig {
    float uiFontSize = 15.0f;   // CSS pixels
    float monoFontSize = 14.0f; // CSS pixels
};

void BackendInit(const BackendConfig& config = {});
// Applies queued input and display changes; call before ImGui::NewFrame().
void BackendNewFrame();
// After rendering: cursor, hidden text element. Returns true while queued input remains.
bool BackendEndFrame();
const Fonts& BackendFonts();
// After a frame: true when Dear ImGui will draw the next frame differently with nothing new (a
// scroll asked for, a window measuring itself), so the frame just laid out is not the one to show.
bool BackendSettling();
// True when something happened since the last frame that needs frames drawn (input, resize).
bool BackendTakeWakeReason();

} // namespace web
