#!/usr/bin/python3
"""Subsets the page's fonts and writes them as a C++ source file.

Usage: embed_fonts.py OUT.cpp UI_FONT MONO_FONT
       embed_fonts.py --fallback OUT_DIR/fonts/NAME.ttf SOURCE_FONT   (NAME.ttf: a FALLBACK_FILES key)


Keeps Latin-1, Latin Extended-A and a few punctuation marks in both fonts; Greek and Cyrillic
only in the interface font (Inter), and U+FFFD (the replacement character ImGui draws for a glyph
it lacks) only in the monospace font, which has it (Inter has none): the ImGui backend
(src/platform/web/imgui_backend.cpp) merges each into the other font, so no glyph is shipped twice.
Drops hinting (ImGui rasterises with stb_truetype, which ignores it) and layout tables: the
download stays small. Runs with Debian's python3, whose fontTools comes from python3-fonttools.
The ranges must match the backend's glyph ranges.

--fallback writes one of the fallback fonts of FALLBACK_FILES, subset to its Unicode blocks, as a
file served beside the page: never embedded, so the base download does not grow. The same table
goes into OUT.cpp as FallbackFiles() (platform/web/font_data.h), the blocks for which
src/platform/web/fallback_font.cpp fetches each file: one source, so the two cannot drift.
"""
import io
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

UNICODES = list(range(0x20, 0x7F)) + list(range(0xA0, 0x180)) + \
    list(range(0x2013, 0x2027)) + list(range(0x2190, 0x2194)) + [0x2713]
# Greek (with tonos) and Cyrillic: Russian, Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian.
GREEK_CYRILLIC = list(range(0x384, 0x3CF)) + list(range(0x400, 0x460)) + [0x490, 0x491]
REPLACEMENT = [0xFFFD]
# The fallback font files beside the page (fonts/NAME.ttf) and the Unicode blocks each is subset
# to. A codepoint belongs to the first file whose blocks hold it.
FALLBACK_FILES = {
    # Debian's fonts-droid-fallback (DroidSansFallbackFull): Hangul Jamo, CJK radicals,
    # punctuation, kana, Bopomofo, compatibility Jamo, CJK Unified Ideographs and Extension A,
    # compatibility ideographs, vertical and half/full-width forms.
    "fallback.ttf": [(0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE10, 0xFE4F),
                     (0xFF00, 0xFFEF)],
    # Debian's fonts-nanum (NanumGothic): the 11,172 Hangul syllables and the Jamo extensions,
    # which Droid Sans Fallback lacks, so Korean text is more than U+FFFD.
    "hangul.ttf": [(0xA960, 0xA97F), (0xAC00, 0xD7A3), (0xD7B0, 0xD7FF)],
    # Inter itself, the Latin the base subset leaves out: Latin Extended-B (Romanian s and t with
    # comma below, Pinyin tones, the horned o and u of Vietnamese), IPA (Azerbaijani schwa),
    # spacing modifiers, combining diacritics (decomposed text) and Latin Extended Additional (the
    # precomposed letters of Vietnamese).
    "latin.ttf": [(0x180, 0x36F), (0x1E00, 0x1EFF)],
    # Debian's fonts-tlwg-loma-ttf (Loma, TLWG's interface face): Thai. Its vowel and tone marks
    # have no advance and sit over the consonant before them, so unshaped text still reads.
    "thai.ttf": [(0xE00, 0xE7F)],
    # Debian's fonts-dejavu-core (DejaVu Sans): Armenian and Georgian (Mkhedruli, Asomtavruli,
    # Nuskhuri), left-to-right alphabets without shaping. Hebrew and Arabic are not here: Dear
    # ImGui 1.86 has no bidirectional layout or shaping, so their letters would come out in the
    # wrong order or form; they stay U+FFFD.
    "armenian-georgian.ttf": [(0x530, 0x58F), (0x10A0, 0x10FF), (0x2D00, 0x2D2F)],
}


def subset_font(path, unicodes):
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["GDEF", "GPOS", "GSUB"]  # stb_truetype reads none of them
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def c_array(name, data):
    lines = []
    for i in range(0, len(data), 24):
        lines.append(",".join(str(b) for b in data[i:i + 24]))
    return "alignas(4) const unsigned char %s[] = {\n%s};\n" % (name, ",\n".join(lines))


def write_fallback(out_path, font_path, blocks):
    data = subset_font(font_path, [c for lo, hi in blocks for c in range(lo, hi + 1)])
    with open(out_path, "wb") as out:
        out.write(data)
    print("embed_fonts: %s %d bytes" % (out_path, len(data)))


def fallback_table():
    rows = []
    for name, blocks in FALLBACK_FILES.items():
        ranges = ", ".join("{0x%04X, 0x%04X}" % block for block in blocks)
        rows.append('        {"fonts/%s", {%s}},\n' % (name, ranges))
    return ("const std::vector<FallbackFile>& FallbackFiles() {\n"
            "    static const std::vector<FallbackFile> files = {\n%s    };\n"
            "    return files;\n}\n" % "".join(rows))


def main():
    if sys.argv[1] == "--fallback":
        out_path, font_path = sys.argv[2:4]
        write_fallback(out_path, font_path, FALLBACK_FILES[os.path.basename(out_path)])
        return
    out_path, ui_path, mono_path = sys.argv[1:4]
    ui = subset_font(ui_path, UNICODES + GREEK_CYRILLIC)
    mono = subset_font(mono_path, UNICODES + REPLACEMENT)
    with open(out_path, "w") as out:
        out.write("// Generated by scripts/embed_fonts.py: do not edit.\n")
        out.write('#include "platform/web/font_data.h"\n\nnamespace {\n')
        out.write(c_array("kUi", ui))
        out.write(c_array("kMono", mono))
        out.write("} // namespace\n\nnamespace web {\n")
        out.write("FontBlob UiFontData() { return {kUi, sizeof kUi}; }\n")
        out.write("FontBlob MonoFontData() { return {kMono, sizeof kMono}; }\n")
        out.write(fallback_table())
        out.write("} // namespace web\n")
    print("embed_fonts: ui %d bytes, mono %d bytes" % (len(ui), len(mono)))


if __name__ == "__main__":
    main()
