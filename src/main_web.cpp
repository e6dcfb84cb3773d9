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

namespace {

app::AppState gState;
app::Controller* gController = nullptr;
int gSettleFrames = 0;

// Dear ImGui needs a few frames after a change to settle (window sizes, hover, focus moves).
constexpr int kSettleFrames = 3;

} // namespace

extern "C" {

// Draws one frame; returns when the next one is wanted (see osu_js_request_frame).
EMSCRIPTEN_KEEPALIVE int osu_frame() {
    // Results that arrived since the last frame (fetches, the popup) apply before anything is drawn.
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
    if (!gState.intents.empty()) {
        gController->applyIntents();
        gSettleFrames = kSettleFrames;
    }

    int width = 0, height = 0;
    emscripten_webgl_get_drawing_buffer_size(emscripten_webgl_get_current_context(), &width, &height);
    // A frame that draws what the canvas already shows is not rendered (presented_frame.h).
    if (web::Canvas().changed(*ImGui::GetDrawData(), width, height)) {
        glViewport(0, 0, width, height);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    }
    bool pendingInput = web::BackendEndFrame();
    osu_js_frame_drawn();

    if (pendingInput)
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
