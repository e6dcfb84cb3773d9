#pragma once
// The page's WebGL2 context, also used by the benchmark's anchor page (bench/anchor), so the two
// draw with the same context attributes and compare.

#include <emscripten/html5.h>

namespace web {

// Creates a WebGL2 context on the canvas and makes it current; false when the browser has none.
// No alpha, depth, stencil or antialiasing: Dear ImGui draws opaque 2D triangles.
inline bool MakeWebGL2Context(const char* canvasSelector) {
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = false;
    attrs.depth = false;
    attrs.stencil = false;
    attrs.antialias = false;
    attrs.premultipliedAlpha = false;
    attrs.powerPreference = EM_WEBGL_POWER_PREFERENCE_LOW_POWER;
    const EMSCRIPTEN_WEBGL_CONTEXT_HANDLE context = emscripten_webgl_create_context(canvasSelector, &attrs);
    if (context <= 0)
        return false;
    emscripten_webgl_make_context_current(context);
    return true;
}

} // namespace web
