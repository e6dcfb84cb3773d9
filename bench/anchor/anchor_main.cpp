// The benchmark's anchor page (bench/bench.mjs): Dear ImGui 1.86 with one window (a text field and a
// button), WebGL2 and emscripten_fetch, and no app. It is what any Dear ImGui page in the browser
// costs, so that the page's figures can be read as ratios to it.
//
// Frames are drawn on demand the way the page draws them (src/main_web.cpp, web/boot.js): an input
// event or a finished fetch asks for an animation frame, a frame asks for kSettleFrames more while
// Dear ImGui settles (hover, focus, window sizes), and nothing runs while idle. Input comes straight
// from <emscripten/html5.h> callbacks; there is no GLFW and no page host beyond bench/anchor/host.js.
#include "platform/web/webgl_context.h"

#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/fetch.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

extern "C" {
// bench/anchor/library_anchor.js: the host's side (frame counter, the request to send).
void anchor_js_frame_drawn();
char* anchor_js_request_field(int which); // malloc'd; 0 url, 1 Authorization header, 2 body
}

namespace {

// The same number of frames the page draws after a change (src/main_web.cpp kSettleFrames).
constexpr int kSettleFrames = 3;

// Browser events arrive between frames, several at a time; Dear ImGui 1.86 reads key and button
// state once per frame. As in the page (src/platform/web/input_queue.cpp), each frame takes the
// longest prefix of the queue that changes no key or button twice.
struct InputEvent {
    enum Kind { Move, Button, Key, Text } kind;
    float x = 0, y = 0;
    int code = 0;
    bool down = false;
    std::string text;
};

struct Anchor {
    std::vector<InputEvent> input;
    bool framePending = false;
    int settleFrames = 0;
    double lastTime = 0;
    char text[256] = "";
    ImVec2 textMin, textMax, buttonMin, buttonMax;
    int fetchesDone = 0;
    int lastStatus = -1;
    std::string lastBody;
};

Anchor& A() {
    static Anchor anchor;
    return anchor;
}

void drawFrame();

EM_BOOL onAnimationFrame(double, void*) {
    A().framePending = false;
    drawFrame();
    return EM_FALSE;
}

void requestFrame() {
    if (A().framePending)
        return;
    A().framePending = true;
    emscripten_request_animation_frame(onAnimationFrame, nullptr);
}

void wakeUp() {
    A().settleFrames = kSettleFrames;
    requestFrame();
}

void push(InputEvent::Kind kind, float x, float y, int code = 0, bool down = false, std::string text = {}) {
    A().input.push_back({kind, x, y, code, down, std::move(text)});
    wakeUp();
}

void applyInput() {
    ImGuiIO& io = ImGui::GetIO();
    std::set<int> keys, buttons;
    size_t n = 0;
    for (; n < A().input.size(); ++n) {
        const InputEvent& e = A().input[n];
        if (e.kind == InputEvent::Move)
            io.MousePos = ImVec2(e.x, e.y);
        else if (e.kind == InputEvent::Button && buttons.insert(e.code).second)
            io.MouseDown[e.code] = e.down;
        else if (e.kind == InputEvent::Key && keys.insert(e.code).second)
            io.KeysDown[e.code] = e.down;
        else if (e.kind == InputEvent::Text)
            io.AddInputCharactersUTF8(e.text.c_str());
        else
            break; // the same key or button again: next frame
    }
    A().input.erase(A().input.begin(), A().input.begin() + static_cast<long>(n));
}

// ---- The fetch: the request bench/bench.mjs hands the host, sent as is -------------------------

void fetchDone(emscripten_fetch_t* fetch) {
    A().fetchesDone += 1;
    A().lastStatus = fetch->status;
    A().lastBody.assign(fetch->data ? fetch->data : "", static_cast<size_t>(fetch->numBytes));
    emscripten_fetch_close(fetch);
    wakeUp();
}

void startFetch() {
    char* url = anchor_js_request_field(0);
    char* authorization = anchor_js_request_field(1);
    char* body = anchor_js_request_field(2);
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strcpy(attr.requestMethod, "POST");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    const char* headers[] = {"Content-Type",  "application/x-www-form-urlencoded",
                             "Accept",        "application/json",
                             "Authorization", authorization,
                             nullptr};
    attr.requestHeaders = headers; // copied by emscripten_fetch
    attr.requestData = body;
    attr.requestDataSize = std::strlen(body);
    attr.onsuccess = fetchDone;
    attr.onerror = fetchDone;
    emscripten_fetch(&attr, url);
    std::free(url);
    std::free(authorization);
    std::free(body);
}

// ---- The one window --------------------------------------------------------------------------

void drawWindow() {
    // One window over the whole canvas, as the page's (src/ui/app.cpp), so both frames cover as
    // many pixels and differ only in what they draw on them.
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::Begin("Anchor", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::InputText("Text", A().text, sizeof A().text);
    A().textMin = ImGui::GetItemRectMin();
    A().textMax = ImGui::GetItemRectMax();
    if (ImGui::Button("Fetch"))
        startFetch();
    A().buttonMin = ImGui::GetItemRectMin();
    A().buttonMax = ImGui::GetItemRectMax();
    if (A().lastStatus >= 0)
        ImGui::Text("HTTP %d, %d bytes (fetch %d)", A().lastStatus, static_cast<int>(A().lastBody.size()),
                    A().fetchesDone);
    ImGui::End();
}

void drawFrame() {
    ImGuiIO& io = ImGui::GetIO();
    double cssWidth = 0, cssHeight = 0;
    emscripten_get_element_css_size("#canvas", &cssWidth, &cssHeight);
    const double dpr = emscripten_get_device_pixel_ratio();
    const int width = static_cast<int>(cssWidth * dpr), height = static_cast<int>(cssHeight * dpr);
    int canvasWidth = 0, canvasHeight = 0;
    emscripten_get_canvas_element_size("#canvas", &canvasWidth, &canvasHeight);
    if (canvasWidth != width || canvasHeight != height) // a resize clears the canvas: only when needed
        emscripten_set_canvas_element_size("#canvas", width, height);
    io.DisplaySize = ImVec2(static_cast<float>(cssWidth), static_cast<float>(cssHeight));
    io.DisplayFramebufferScale = ImVec2(static_cast<float>(dpr), static_cast<float>(dpr));
    const double now = emscripten_get_now() / 1000.0;
    io.DeltaTime = static_cast<float>(std::max(now - A().lastTime, 1e-4));
    A().lastTime = now;
    applyInput();

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    drawWindow();
    ImGui::Render();
    glViewport(0, 0, width, height);
    glClearColor(0.1f, 0.1f, 0.1f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    anchor_js_frame_drawn();

    if (!A().input.empty() || A().settleFrames-- > 0)
        requestFrame();
}

// ---- Browser input ---------------------------------------------------------------------------

EM_BOOL onMouse(int type, const EmscriptenMouseEvent* e, void*) {
    // The canvas fills the window from its top left corner: client coordinates are canvas coordinates.
    const float x = static_cast<float>(e->clientX), y = static_cast<float>(e->clientY);
    push(InputEvent::Move, x, y);
    // DOM buttons 0 left, 1 middle, 2 right; Dear ImGui's 0 left, 1 right, 2 middle.
    const int button = e->button == 2 ? 1 : e->button == 1 ? 2 : 0;
    if (type != EMSCRIPTEN_EVENT_MOUSEMOVE && e->button < 3)
        push(InputEvent::Button, x, y, button, type == EMSCRIPTEN_EVENT_MOUSEDOWN);
    return EM_TRUE;
}

// DOM keyCode doubles as the KeysDown index (io.KeyMap below).
EM_BOOL onKey(int type, const EmscriptenKeyboardEvent* e, void*) {
    const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    const int code = static_cast<int>(e->keyCode);
    if (code > 0 && code < 512)
        push(InputEvent::Key, 0, 0, code, down);
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = e->ctrlKey;
    io.KeyShift = e->shiftKey;
    io.KeyAlt = e->altKey;
    io.KeySuper = e->metaKey;
    // One character: text. Preventing keydown's default also cancels keypress, so text is taken here.
    const size_t length = std::strlen(e->key);
    const bool printable = length == 1 || (length > 1 && (e->key[0] & 0x80) != 0);
    if (down && printable && !e->ctrlKey && !e->metaKey)
        push(InputEvent::Text, 0, 0, 0, false, e->key);
    return EM_TRUE;
}

void mapKeys() {
    ImGuiIO& io = ImGui::GetIO();
    const std::pair<ImGuiKey, int> keys[] = {
        {ImGuiKey_Tab, 9},        {ImGuiKey_LeftArrow, 37}, {ImGuiKey_RightArrow, 39}, {ImGuiKey_UpArrow, 38},
        {ImGuiKey_DownArrow, 40}, {ImGuiKey_Home, 36},      {ImGuiKey_End, 35},        {ImGuiKey_Delete, 46},
        {ImGuiKey_Backspace, 8},  {ImGuiKey_Space, 32},     {ImGuiKey_Enter, 13},      {ImGuiKey_Escape, 27},
        {ImGuiKey_A, 65},         {ImGuiKey_C, 67},         {ImGuiKey_V, 86},          {ImGuiKey_X, 88},
        {ImGuiKey_Y, 89},         {ImGuiKey_Z, 90}};
    for (const auto& [key, code] : keys)
        io.KeyMap[key] = code;
}

void installInput() {
    emscripten_set_mousedown_callback("#canvas", nullptr, EM_FALSE, onMouse);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, onMouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, onMouse);
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, onKey);
    emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, onKey);
}

} // namespace

// For bench/anchor/host.js (window.anchor): where the widgets are, and what the fetch answered.
extern "C" {
EMSCRIPTEN_KEEPALIVE float anchor_box(int widget, int corner) {
    const ImVec2 min = widget == 0 ? A().textMin : A().buttonMin;
    const ImVec2 max = widget == 0 ? A().textMax : A().buttonMax;
    return corner == 0 ? min.x : corner == 1 ? min.y : corner == 2 ? max.x : max.y;
}
EMSCRIPTEN_KEEPALIVE int anchor_fetches_done() {
    return A().fetchesDone;
}
EMSCRIPTEN_KEEPALIVE int anchor_last_status() {
    return A().lastStatus;
}
}

int main() {
    if (!web::MakeWebGL2Context("#canvas"))
        return 1;
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigInputTextCursorBlink = false; // as the page: a blinking caret would draw frames forever
    mapKeys();
    ImGui_ImplOpenGL3_Init("#version 300 es");
    A().lastTime = emscripten_get_now() / 1000.0;
    installInput();
    wakeUp(); // the first frame
    return 0;
}
