// Functions C++ calls in the browser (declared in src/platform/web/js_bridge.h). Each forwards to
// window.oauthSetupHost, the page-side host defined in web/boot.js, so this file stays a thin bridge
// that Emscripten's JS compiler can process without knowing the page.
mergeInto(LibraryManager.library, {
  osu_js_started: function () {
    window.oauthSetupHost.started();
  },
  osu_js_fatal: function (message) {
    window.oauthSetupHost.fatal(UTF8ToString(message));
  },
  osu_js_request_frame: function (delayMs) {
    window.oauthSetupHost.requestFrame(delayMs);
  },
  osu_js_frame_drawn: function () {
    window.oauthSetupHost.frameDrawn();
  },
  osu_js_set_clipboard: function (text) {
    window.oauthSetupHost.setClipboard(UTF8ToString(text));
  },
  osu_js_text_input: function (active, x, y, w, h) {
    window.oauthSetupHost.textInput(!!active, x, y, w, h);
  },
  osu_js_set_cursor: function (css) {
    window.oauthSetupHost.setCursor(UTF8ToString(css));
  },
});
