// The page's two fonts, subset at build time from Debian font packages (scripts/embed_fonts.py):
// Inter for the interface, JetBrains Mono for tokens, secrets and raw responses.
// Fonts()[0] of ImGui's atlas is the UI font and Fonts()[1] the monospace one.
#pragma once

#include <cstddef>

struct ImFont;

namespace ui {

struct FontBlob {
    const unsigned char* data;
    std::size_t size;
};

FontBlob UiFontData();
FontBlob MonoFontData();

// The monospace font, or the default font before the atlas is built.
ImFont* MonoFont();

} // namespace ui
