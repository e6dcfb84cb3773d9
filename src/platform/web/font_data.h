// The page's two fonts, subset at build time from Debian font packages (scripts/embed_fonts.py):
// Inter for the interface, JetBrains Mono for tokens, secrets and raw responses. The ImGui backend
// rasterises them; the UI receives the resulting ImFont pointers as ui::Fonts.
#pragma once

#include <cstddef>

namespace web {

struct FontBlob {
    const unsigned char* data;
    std::size_t size;
};

FontBlob UiFontData();
FontBlob MonoFontData();

} // namespace web
