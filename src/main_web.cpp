// The page's entry point: sets up WebGL2 and Dear ImGui, then draws a frame only when web/boot.js
// asks for one (input arrived, a request finished, a timer is due). Nothing runs while idle.
#include "app/controller.h"
#include "platform/web/browser_platform.h"
#include "platform/web/imgui_backend.h"
#include "platform/web/js_bridge.h"
#include "platform/web/presented_frame.h"
#include "platform/web/webgl_context.h"
#include "ui/ui.h"
#include "ui/widgets.h"

#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <vector>

namespace {

app::AppState gState;
app::Controller* gController = nullptr;
int gSettleFrames = 0;

// Dear ImGui needs a few frames after a change to settle (window sizes, hover, focus moves).
constexpr int kSettleFrames = 3;
// Passes of Dear ImGui one frame may run before rendering (osu_frame): enough for a press, its
// release and the pass that shows what the click did, without letting a long queue of input hold
// one frame for long.
constexpr int kMaxPasses = 4;

// What one pass of Dear ImGui over the app left to do.
struct Pass {
    // Queued input remains for the next pass.
    bool pendingInput = false;
    // Intents changed the state after the UI was laid out from it, or Dear ImGui lays the next pass
    // out differently (web::BackendSettling).
    bool stale = false;
};

// Intents that change what the UI shows. Typing (Edited) only marks the profile unsaved: the field
// already shows what was typed.
bool ChangesTheView(const std::vector<app::Intent>& intents) {
    return std::any_of(intents.begin(), intents.end(),
                       [](const app::Intent& i) { return i.kind != app::Intent::Edited; });
}

// One pass of Dear ImGui over the app: queued results and this pass's share of the input applied,
// the UI laid out into draw data, its intents carried out (a request is sent here, in the pass that
// activated its button). Nothing is rendered.
Pass RunPass() {
    // Results that arrived since the last pass (fetches, the popup) apply before anything is drawn.
    if (web::BrowserPlatform().runQueued())
        gSettleFrames = kSettleFrames;
    if (web::BackendTakeWakeReason())
        gSettleFrames = kSettleFrames;
    gState.now = web::BrowserPlatform().now();
    gController->tick();
    web::BackendNewFrame();
    const web::Fonts& fonts = web::BackendFonts();
    ui::SetFonts({fonts.ui, fonts.mono, fonts.large});
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ui::DrawApp(gState);
    ImGui::Render();
    Pass pass;
    if (!gState.intents.empty()) {
        pass.stale = ChangesTheView(gState.intents);
        gController->applyIntents();
        gSettleFrames = kSettleFrames;
    }
    pass.pendingInput = web::BackendEndFrame();
    pass.stale = pass.stale || web::BackendSettling();
    return pass;
}

// Renders the last pass's draw data, unless the canvas already shows it (presented_frame.h).
void RenderPass() {
    int width = 0, height = 0;
    emscripten_webgl_get_drawing_buffer_size(emscripten_webgl_get_current_context(), &width, &height);
    if (!web::Canvas().changed(*ImGui::GetDrawData(), width, height))
        return;
    glViewport(0, 0, width, height);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// A frame that sent a request is rendered only once the request has taken this long (see osu_frame):
// about the longest wait that still feels instant.
constexpr int kBusyShownAfterMs = 100;

// Whether this frame, which sent a request, is not rendered. Never two frames in a row, so the
// busy state is on screen kBusyShownAfterMs after the click at the latest.
bool gDeferredLast = false;
bool DeferForAnswer(int fetchesBefore) {
    gDeferredLast = !gDeferredLast && web::FetchesStarted() != fetchesBefore;
    return gDeferredLast;
}

} // namespace

extern "C" {

// Draws one frame; returns when the next one is wanted (see osu_js_request_frame).
//
// Every rendered frame counts: under SwiftShader one costs 40-80 ms of GPU time and holds back the
// next animation frame and the result's frame. So a frame runs several passes of Dear ImGui and
// renders only the last (what ImGui sees is the same pass by pass):
// - Dear ImGui 1.86 reads button and key state once per pass, so a click takes a pass that sees the
//   button down and a later one that sees it up (input_queue.h). When the release is already queued
//   (a quick click, a tap, a key pressed between two frames), the press pass is not shown.
// - A pass whose intents changed the state (a grant started, a profile selected) laid the UI out
//   from the state before them: one more pass shows what they did. So does a pass after which Dear
//   ImGui still settles (a result scrolls the token into view on the next pass).
// - A frame that sent a request is not rendered; the next one comes kBusyShownAfterMs later (or
//   sooner, with input). A fast answer (a loopback provider answers in a few ms) then arrives first
//   and its frame, run from a task (Platform::wake), is the only one rendered, instead of waiting
//   for the GPU behind the busy state's frame; a slow one shows the busy state after that delay.
EMSCRIPTEN_KEEPALIVE int osu_frame() {
    const int fetchesBefore = web::FetchesStarted();
    Pass pass = RunPass();
    for (int n = 1; (pass.pendingInput || pass.stale) && n < kMaxPasses; ++n)
        pass = RunPass();
    if (DeferForAnswer(fetchesBefore)) {
        osu_js_frame_drawn();
        return pass.pendingInput || pass.stale ? 0 : kBusyShownAfterMs;
    }
    RenderPass();
    osu_js_frame_drawn();

    if (pass.pendingInput || pass.stale)
        return 0;
    if (gSettleFrames > 0) {
        --gSettleFrames;
        return 0;
    }
    // Going idle: the edits of this burst of frames are written now, once.
    if (gController->flushEdits())
        return 0;
    return gController->nextTimerMs(); // a live countdown ticks once a second; otherwise idle
}

// The page is hidden or closed (web/host/storage.js): no idle frame may come, so edits not written
// yet are written now.
EMSCRIPTEN_KEEPALIVE void osu_flush_edits() {
    if (gController && gController->flushEdits())
        osu_js_request_frame(0);
}

EMSCRIPTEN_KEEPALIVE void osu_color_scheme(int dark) {
    gState.darkMode = dark != 0;
    ui::ApplyTheme(gState.darkMode);
    osu_js_request_frame(0);
    gSettleFrames = kSettleFrames;
}

EMSCRIPTEN_KEEPALIVE const char* osu_snapshot_json() {
    static std::string json;
    json = gController->snapshotJson();
    return json.c_str();
}

} // extern "C"

int main() {
    if (!web::MakeWebGL2Context("#canvas")) {
        osu_js_fatal("OAuth Setup needs WebGL 2, which this browser did not provide.");
        return 1;
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    web::BackendInit();
    ui::ApplyTheme(false);
    static app::Controller controller(web::BrowserPlatform(), gState);
    gController = &controller;
    controller.load(); // the Controller is the platform's listener from here on (callback, popup, tabs)
    ImGui_ImplOpenGL3_Init("#version 300 es");
    osu_js_started();
    return 0;
}
