#include "platform/web/fallback_font.h"

#include "platform/web/font_data.h"
#include "platform/web/js_bridge.h"

#include "imgui_internal.h"

#include <emscripten/fetch.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace web {
namespace {

enum class Stage { Unneeded, Fetching, Ready, Failed };

// One font file beside the page (scripts/embed_fonts.py subsets each to its blocks and writes the
// table FallbackFiles()). A codepoint belongs to the first font whose blocks hold it; others never
// start a download.
struct Fallback {
    explicit Fallback(const FallbackFile& file) : path(file.path), covered(file.blocks) {}
    const char* path;
    std::vector<FallbackFile::Block> covered;
    Stage stage = Stage::Unneeded;
    std::vector<unsigned char> data;
    std::vector<ImWchar> wanted; // sorted: the codepoints noted so far
    std::vector<ImWchar> ranges; // the atlas's glyph ranges for them, alive while it is built
};

std::vector<Fallback>& Fonts() {
    static std::vector<Fallback> fonts(FallbackFiles().begin(), FallbackFiles().end());
    return fonts;
}

bool rebuildDue = false;

Fallback* fontFor(unsigned int c) {
    for (Fallback& f : Fonts())
        for (const FallbackFile::Block& r : f.covered)
            if (c >= r.first && c <= r.last)
                return &f;
    return nullptr;
}

void fetched(emscripten_fetch_t* fetch) {
    Fallback& f = Fonts()[static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(fetch->userData))];
    if (fetch->status == 200 && fetch->numBytes > 0) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(fetch->data);
        f.data.assign(bytes, bytes + fetch->numBytes);
        f.stage = Stage::Ready;
        rebuildDue = true;
    } else {
        f.stage = Stage::Failed; // the glyphs stay U+FFFD; nothing retries on every frame
    }
    emscripten_fetch_close(fetch);
    osu_js_request_frame(0);
}

void startFetch(Fallback& f) {
    f.stage = Stage::Fetching;
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strcpy(attr.requestMethod, "GET");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = fetched;
    attr.onerror = fetched;
    attr.userData = reinterpret_cast<void*>(static_cast<std::uintptr_t>(&f - Fonts().data()));
    emscripten_fetch(&attr, f.path); // beside the page, same origin (connect-src 'self')
}

// Notes `c` for its font; true when it is new and that font is already in the atlas's hands.
void note(Fallback& f, ImWchar c) {
    const auto at = std::lower_bound(f.wanted.begin(), f.wanted.end(), c);
    if (at != f.wanted.end() && *at == c)
        return; // noted before: in the atlas already, or not in the fallback either
    f.wanted.insert(at, c);
    if (f.stage == Stage::Unneeded)
        startFetch(f);
    else if (f.stage == Stage::Ready && !rebuildDue) {
        rebuildDue = true;
        osu_js_request_frame(0);
    }
}

} // namespace

void FallbackNoteText(const std::string& text, const ImFont* font) {
    if (!font)
        return;
    const char* p = text.c_str();
    const char* end = p + text.size();
    while (p < end) {
        if (static_cast<unsigned char>(*p) < 0x80) {
            ++p;
            continue;
        }
        unsigned int c = 0;
        p += ImTextCharFromUtf8(&c, p, end);
        Fallback* f = fontFor(c);
        if (f && f->stage != Stage::Failed && !font->FindGlyphNoFallback(static_cast<ImWchar>(c)))
            note(*f, static_cast<ImWchar>(c));
    }
}

bool FallbackTakeRebuild() {
    const bool rebuild = rebuildDue;
    rebuildDue = false;
    return rebuild;
}

void FallbackMergeInto(float size) {
    for (Fallback& f : Fonts()) {
        if (f.stage != Stage::Ready || f.wanted.empty())
            continue;
        if (f.ranges.size() != f.wanted.size() * 2 + 1) {
            f.ranges.clear();
            for (const ImWchar c : f.wanted) {
                f.ranges.push_back(c);
                f.ranges.push_back(c);
            }
            f.ranges.push_back(0);
        }
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false;
        cfg.OversampleH = 1; // ideographs and syllables are dense: no horizontal oversampling needed
        cfg.OversampleV = 1;
        cfg.MergeMode = true;
        ImGui::GetIO().Fonts->AddFontFromMemoryTTF(f.data.data(), static_cast<int>(f.data.size()), size, &cfg,
                                                   f.ranges.data());
    }
}

} // namespace web
