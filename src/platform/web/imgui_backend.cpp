#include "platform/web/imgui_backend.h"

#include "platform/web/fallback_font.h"
#include "platform/web/font_data.h"
#include "platform/web/input_queue.h"
#include "platform/web/item_registry.h"
#include "platform/web/js_bridge.h"
#include "platform/web/keyboard_focus.h"
#include "platform/web/presented_frame.h"

#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "imgui_internal.h"

#include <emscripten/emscripten.h>

#include <cmath>
#include <cstring>
#include <string>

namespace web {
namespace {

struct BackendState {
    BackendConfig config;
    InputQueue input;
    std::string clipboard; // last text copied in the page or pasted into it
    float cssWidth = 800, cssHeight = 600, dpr = 1;
    float fontDpr = 0; // ratio the font atlas was rasterised for
    Fonts fonts;
    double lastTime = 0;
    bool wake = true;
    bool mac = false;
    ImGuiMouseCursor cursor = -1;
    bool textActive = false;
    ImVec2 textMin, textMax;
};

BackendState& S() {
    static BackendState state;
    return state;
}

void wakeUp() {
    S().wake = true;
    osu_js_request_frame(0);
}

const char* getClipboard(void*) {
    return S().clipboard.c_str();
}

void setClipboard(void*, const char* text) {
    S().clipboard = text ? text : "";
    osu_js_set_clipboard(S().clipboard.c_str());
}

// Latin-1, Latin Extended-A, and the few punctuation marks the page uses: in both fonts.
const ImWchar kGlyphRanges[] = {0x0020, 0x017F, 0x2013, 0x2026, 0x2190, 0x2193, 0x2713, 0x2713, 0};
// Greek and Cyrillic: in the interface font only (scripts/embed_fonts.py), merged into the mono font.
const ImWchar kGreekCyrillic[] = {0x0384, 0x03CE, 0x0400, 0x045F, 0x0490, 0x0491, 0};
// U+FFFD, drawn for any glyph the fonts lack (ImGui takes it as the fallback when the font has it,
// before '?'): in the monospace font only, merged into the interface font.
const ImWchar kReplacement[] = {0xFFFD, 0xFFFD, 0};
const ImWchar kMonoRanges[] = {0x0020, 0x017F, 0x2013, 0x2026, 0x2190, 0x2193,
                               0x2713, 0x2713, 0xFFFD, 0xFFFD, 0};

ImFont* addFont(const FontBlob& blob, float size, const ImWchar* ranges, bool merge = false) {
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    cfg.MergeMode = merge;
    return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(blob.data),
                                                      static_cast<int>(blob.size), size, &cfg, ranges);
}

// The frame's widgets all pass Dear ImGui's clipping test, so each one runs its whole code and
// reports its caption (item_registry.h, wantsUnclippedFrame): 1.86 skips that test while it logs
// text (IsClippedEx, ItemAdd), so this frame logs into the memory buffer, opening no tree node for it
// (LogDepthToExpand 0), until the first top-level window ends (End calls LogFinish, which empties
// the buffer). The scissor rectangles still clip what is drawn: the pixels are the same.
void beginUnclippedFrame() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.LogEnabled)
        return;
    g.LogEnabled = true;
    g.LogType = ImGuiLogType_Buffer;
    g.LogNextPrefix = g.LogNextSuffix = nullptr;
    g.LogDepthRef = 0;
    g.LogDepthToExpand = 0;
    g.LogLinePosY = FLT_MAX;
    g.LogLineFirstItem = true;
}

// Fonts are rasterised at devicePixelRatio and drawn scaled back, so text stays crisp on HiDPI.
void buildFonts(float dpr) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const FontBlob ui = UiFontData();
    const FontBlob mono = MonoFontData();
    Fonts& fonts = S().fonts;
    const float uiSize = std::round(S().config.uiFontSize * dpr);
    fonts.ui = addFont(ui, uiSize, kGlyphRanges);
    addFont(ui, uiSize, kGreekCyrillic, true);
    addFont(mono, uiSize, kReplacement, true);
    FallbackMergeInto(uiSize); // CJK, once such text appeared and the font arrived
    const float monoSize = std::round(S().config.monoFontSize * dpr);
    fonts.mono = addFont(mono, monoSize, kMonoRanges);
    addFont(ui, monoSize, kGreekCyrillic, true); // proportional, but drawn rather than replaced
    FallbackMergeInto(monoSize);
    // Large digits for the device grant's user code (RFC 8628 section 3.3: easy to read and type).
    static const ImWchar kCodeRanges[] = {0x0020, 0x007E, 0xFFFD, 0xFFFD, 0};
    fonts.large = addFont(mono, std::round(S().config.monoFontSize * 2.2f * dpr), kCodeRanges);
    io.FontGlobalScale = 1.0f / dpr;
    S().fontDpr = dpr;
}

int keyFromDom(const char* key) {
    struct Entry {
        const char* dom;
        ImGuiKey key;
    };
    static const Entry table[] = {
        {"Tab", ImGuiKey_Tab},
        {"ArrowLeft", ImGuiKey_LeftArrow},
        {"ArrowRight", ImGuiKey_RightArrow},
        {"ArrowUp", ImGuiKey_UpArrow},
        {"ArrowDown", ImGuiKey_DownArrow},
        {"PageUp", ImGuiKey_PageUp},
        {"PageDown", ImGuiKey_PageDown},
        {"Home", ImGuiKey_Home},
        {"End", ImGuiKey_End},
        {"Insert", ImGuiKey_Insert},
        {"Delete", ImGuiKey_Delete},
        {"Backspace", ImGuiKey_Backspace},
        {" ", ImGuiKey_Space},
        {"Enter", ImGuiKey_Enter},
        {"Escape", ImGuiKey_Escape},
        {"a", ImGuiKey_A},
        {"c", ImGuiKey_C},
        {"v", ImGuiKey_V},
        {"x", ImGuiKey_X},
        {"y", ImGuiKey_Y},
        {"z", ImGuiKey_Z},
    };
    for (const Entry& e : table)
        if (std::strcmp(e.dom, key) == 0)
            return e.key;
    return -1; // modifiers and other keys only update the modifier state
}

} // namespace

void BackendInit(const BackendConfig& config) {
    S().config = config;
    ImGuiIO& io = ImGui::GetIO();
    io.BackendPlatformName = "oauth-setup-web";
    io.IniFilename = nullptr; // layout is code, not a file
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false; // a blinking caret would draw frames forever
    io.GetClipboardTextFn = getClipboard;
    io.SetClipboardTextFn = setClipboard;
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    for (int k = 0; k < ImGuiKey_COUNT; ++k)
        io.KeyMap[k] = k;
    ImGui::GetCurrentContext()->TestEngineHookItems = true; // feeds window.oauthSetup.items()
    S().lastTime = emscripten_get_now() / 1000.0;
}

void BackendNewFrame() {
    BackendState& s = S();
    ImGuiIO& io = ImGui::GetIO();
    const bool fallbackArrived = FallbackTakeRebuild();
    if (s.fontDpr != s.dpr || fallbackArrived) {
        buildFonts(s.dpr);
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        Canvas().forget(); // the same vertices may now sample other glyphs
    }
    io.DisplaySize = ImVec2(s.cssWidth, s.cssHeight);
    io.DisplayFramebufferScale = ImVec2(s.dpr, s.dpr);
    double now = emscripten_get_now() / 1000.0;
    io.DeltaTime = static_cast<float>(std::max(now - s.lastTime, 1e-4));
    s.lastTime = now;
    const FocusRequests focus = s.input.applyFrame();
    if (focus.tab != 0)
        MoveKeyboardFocus(focus.tab);
    if (focus.leaveText)
        LeaveTextField();
    const bool unclipped = Items().wantsUnclippedFrame();
    if (unclipped)
        beginUnclippedFrame();
    Items().beginFrame(unclipped);
}

bool BackendEndFrame() {
    BackendState& s = S();
    Items().endFrame();
    // Text the base fonts cannot draw (a CJK Token Name, a provider's answer) brings the fallback.
    for (const ItemBox& item : Items().items()) {
        FallbackNoteText(item.label, s.fonts.ui);
        FallbackNoteText(item.state.value, s.fonts.ui);
    }

    ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
    if (cursor != s.cursor) {
        s.cursor = cursor;
        const char* css = "default";
        switch (cursor) {
        case ImGuiMouseCursor_TextInput:
            css = "text";
            break;
        case ImGuiMouseCursor_Hand:
            css = "pointer";
            break;
        case ImGuiMouseCursor_ResizeEW:
            css = "ew-resize";
            break;
        case ImGuiMouseCursor_ResizeNS:
            css = "ns-resize";
            break;
        case ImGuiMouseCursor_ResizeNWSE:
            css = "nwse-resize";
            break;
        case ImGuiMouseCursor_ResizeNESW:
            css = "nesw-resize";
            break;
        case ImGuiMouseCursor_NotAllowed:
            css = "not-allowed";
            break;
        default:
            break;
        }
        osu_js_set_cursor(css);
    }

    // The hidden text element follows the active text field, so IME, soft keyboards and
    // non-ASCII text reach it (and through it, ImGui).
    ImGuiContext& g = *ImGui::GetCurrentContext();
    bool active = ImGui::GetIO().WantTextInput;
    ImVec2 min, max;
    if (active) {
        if (const ItemBox* item = Items().find(g.ActiveId)) {
            min = item->min;
            max = item->max;
        }
    }
    if (active != s.textActive || min.x != s.textMin.x || min.y != s.textMin.y) {
        s.textActive = active;
        s.textMin = min;
        s.textMax = max;
        osu_js_text_input(active, min.x, min.y, max.x - min.x, max.y - min.y);
    }
    return !s.input.empty() || Items().wantsUnclippedFrame();
}

const Fonts& BackendFonts() {
    return S().fonts;
}

// Dear ImGui 1.86 carries some requests over to the next frame: a scroll (SetScrollHereY applies in
// the next Begin), a window's first frame (drawn hidden while it measures its contents), an
// auto-fit. Only windows drawn this frame count: a scroll asked of a window no longer drawn waits.
bool BackendSettling() {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    for (const ImGuiWindow* w : g.Windows) {
        if (!w->Active)
            continue;
        if (w->ScrollTarget.x != FLT_MAX || w->ScrollTarget.y != FLT_MAX)
            return true;
        if (w->HiddenFramesCannotSkipItems > 0 || w->HiddenFramesCanSkipItems > 0 || w->AutoFitFramesX > 0 ||
            w->AutoFitFramesY > 0)
            return true;
    }
    return false;
}

bool BackendTakeWakeReason() {
    bool wake = S().wake;
    S().wake = false;
    return wake;
}

} // namespace web

// ---- Entry points for web/host -------------------------------------------------------------
using web::InputEvent;
using web::InputKind;
using web::S;

static InputEvent Event(InputKind kind, float x = 0, float y = 0) {
    InputEvent e;
    e.kind = kind;
    e.x = x;
    e.y = y;
    return e;
}

extern "C" {

EMSCRIPTEN_KEEPALIVE void osu_resize(float cssWidth, float cssHeight, float dpr) {
    S().cssWidth = cssWidth;
    S().cssHeight = cssHeight;
    S().dpr = dpr > 0 ? dpr : 1;
    web::Canvas().forget(); // web/host/input.js set the canvas's size, which clears it
    web::wakeUp();
}

EMSCRIPTEN_KEEPALIVE void osu_set_mac(int mac) {
    S().mac = mac != 0;
    ImGui::GetIO().ConfigMacOSXBehaviors = S().mac;
}

EMSCRIPTEN_KEEPALIVE void osu_mouse_move(float x, float y) {
    S().input.push(Event(InputKind::MouseMove, x, y));
    web::wakeUp();
}

EMSCRIPTEN_KEEPALIVE void osu_mouse_button(int button, int down) {
    InputEvent e = Event(InputKind::MouseButton);
    e.code = button;
    e.down = down != 0;
    S().input.push(e);
    web::wakeUp();
}

EMSCRIPTEN_KEEPALIVE void osu_wheel(float dx, float dy) {
    S().input.push(Event(InputKind::Wheel, dx, dy));
    web::wakeUp();
}

EMSCRIPTEN_KEEPALIVE void osu_key(const char* key, int down, int mods) {
    InputEvent e = Event(InputKind::Key);
    e.code = web::keyFromDom(key);
    e.down = down != 0;
    e.mods = mods;
    S().input.push(e);
    web::wakeUp();
}

EMSCRIPTEN_KEEPALIVE void osu_text(const char* utf8) {
    InputEvent e = Event(InputKind::Text);
    e.text = utf8 ? utf8 : "";
    S().input.push(e);
    web::wakeUp();
}

// The browser hands clipboard text over only inside a 'paste' event: keep it as the clipboard and
// press the paste shortcut, so ImGui pastes it as it would its own (selection, undo, filters).
EMSCRIPTEN_KEEPALIVE void osu_paste(const char* utf8) {
    S().clipboard = utf8 ? utf8 : "";
    const int mod = S().mac ? web::ModSuper : web::ModCtrl;
    auto key = [](int code, bool down, int mods) {
        InputEvent e = Event(InputKind::Key);
        e.code = code;
        e.down = down;
        e.mods = mods;
        S().input.push(e);
    };
    key(-1, true, mod);
    key(ImGuiKey_V, true, mod);
    key(ImGuiKey_V, false, mod);
    key(-1, false, 0);
    web::wakeUp();
}

EMSCRIPTEN_KEEPALIVE void osu_focus_lost() {
    S().input.push(Event(InputKind::FocusLost));
    web::wakeUp();
}

// Whether a press at (x, y) lands on a text field of the latest frame: the host focuses the hidden
// text element inside the gesture, so a soft keyboard opens.
EMSCRIPTEN_KEEPALIVE int osu_text_field_at(float x, float y) {
    const web::ItemBox* item = web::Items().at(x, y);
    return item && item->textInput ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE const char* osu_items_json() {
    static std::string json;
    json = web::Items().toJson();
    return json.c_str();
}

} // extern "C"
