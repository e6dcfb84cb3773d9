// Functions the anchor's C++ (bench/anchor/anchor_main.cpp) calls in the browser; each forwards to
// window.anchorHost (bench/anchor/host.js).
mergeInto(LibraryManager.library, {
  anchor_js_frame_drawn: function () {
    window.anchorHost.frameDrawn();
  },
  anchor_js_request_field__deps: ['malloc'],
  anchor_js_request_field: function (which) {
    var text = window.anchorHost.requestField(which);
    var size = lengthBytesUTF8(text) + 1;
    var ptr = _malloc(size);
    stringToUTF8(text, ptr, size);
    return ptr;
  },
});
