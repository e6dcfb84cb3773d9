// CJK from a fallback font fetched only when such text first appears (issue 10), so the base
// download stays as it is. Dear ImGui 1.86 has no missing-glyph hook and rasterises every glyph of
// a font's ranges into its atlas up front (20,000 ideographs would not fit), so the backend notes
// the codepoints the base fonts lack in the text the frame's widgets show, this part fetches the
// font file that covers them the first time (served beside the page, subset by
// scripts/embed_fonts.py: fonts/fallback.ttf from Debian's fonts-droid-fallback for CJK,
// fonts/hangul.ttf from fonts-nanum for the Hangul syllables), and the atlas is rebuilt between
// frames with just the glyphs noted so far merged in. A codepoint no file has stays U+FFFD.
#pragma once

#include "imgui.h"

#include <string>

namespace web {

// Notes the codepoints of `text` that `font` lacks and the fallback covers; the first one starts
// the download. Cheap for text without them (bytes below 0x80 are skipped).
void FallbackNoteText(const std::string& text, const ImFont* font);
// True (once) when the atlas is to be rebuilt: the font arrived, or it had and new codepoints came.
bool FallbackTakeRebuild();
// Merges the fallback's glyphs for the noted codepoints, at `size` pixels, into the font last added
// to the atlas; nothing before the font arrived.
void FallbackMergeInto(float size);

} // namespace web
