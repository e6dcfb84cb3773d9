// The page's two fonts, subset at build time from Debian font packages (scripts/embed_fonts.py):
// Inter for the interface, JetBrains Mono for tokens, secrets and raw responses. The ImGui backend
// rasterises them; the UI receives the resulting ImFont pointers as ui::Fonts. Also generated from
// the same script: the fallback font files beside the page and the Unicode blocks each covers.
#pragma once

#include <cstddef>
#include <vector>

namespace web {

struct FontBlob {
    const unsigned char* data;
    std::size_t size;
};

FontBlob UiFontData();
FontBlob MonoFontData();

// A fallback font file (a path beside the page) and the codepoint blocks it was subset to.
struct FallbackFile {
    struct Block {
        unsigned int first, last;
    };
    const char* path;
    std::vector<Block> blocks;
};
// In order: a codepoint belongs to the first file whose blocks hold it (embed_fonts.py FALLBACK_FILES).
const std::vector<FallbackFile>& FallbackFiles();

} // namespace web
