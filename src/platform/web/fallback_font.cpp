#include "platform/web/fallback_font.h"

#include "platform/web/js_bridge.h"

#include "imgui_internal.h"

#include <emscripten/fetch.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace web {
namespace {

// The blocks fonts/fallback.ttf covers (scripts/embed_fonts.py FALLBACK): Hangul Jamo, CJK radicals,
// punctuation, kana, Bopomofo, CJK Unified Ideographs and Extension A, compatibility ideographs,
// vertical and half/full-width forms. Other codepoints never start the download.
constexpr ImWchar kCovered[][2] = {
    {0x1100, 0x11FF}, {0x2E80, 0x9FFF}, {0xF900, 0xFAFF}, {0xFE10, 0xFE4F}, {0xFF00, 0xFFEF}};

enum class Stage { Unneeded, Fetching, Ready, Failed };

struct Fallback {
    Stage stage = Stage::Unneeded;
    std::vector<unsigned char> data;
    std::vector<ImWchar> wanted; // sorted: the codepoints noted so far
    std::vector<ImWchar> ranges; // the atlas's glyph ranges for them, alive while it is built
    bool rebuild = false;
};

Fallback& F() {
    static Fallback fallback;
    return fallback;
}

bool covered(unsigned int c) {
    return std::any_of(std::begin(kCovered), std::end(kCovered),
                       [c](const ImWchar(&r)[2]) { return c >= r[0] && c <= r[1]; });
}

void fetched(emscripten_fetch_t* fetch) {
    Fallback& f = F();
    if (fetch->status == 200 && fetch->numBytes > 0) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(fetch->data);
        f.data.assign(bytes, bytes + fetch->numBytes);
        f.stage = Stage::Ready;
        f.rebuild = true;
    } else {
        f.stage = Stage::Failed; // the glyphs stay U+FFFD; nothing retries on every frame
    }
    emscripten_fetch_close(fetch);
    osu_js_request_frame(0);
}

void startFetch() {
    F().stage = Stage::Fetching;
    emscripten_fetch_attr_t attr;
    emscripten_fetch_attr_init(&attr);
    std::strcpy(attr.requestMethod, "GET");
    attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
    attr.onsuccess = fetched;
    attr.onerror = fetched;
    emscripten_fetch(&attr, "fonts/fallback.ttf"); // beside the page, same origin (connect-src 'self')
}

} // namespace

void FallbackNoteText(const std::string& text, const ImFont* font) {
    Fallback& f = F();
    if (f.stage == Stage::Failed || !font)
        return;
    const char* p = text.c_str();
    const char* end = p + text.size();
    bool added = false;
    while (p < end) {
        if (static_cast<unsigned char>(*p) < 0x80) {
            ++p;
            continue;
        }
        unsigned int c = 0;
        p += ImTextCharFromUtf8(&c, p, end);
        if (!covered(c) || font->FindGlyphNoFallback(static_cast<ImWchar>(c)))
            continue;
        const auto w = static_cast<ImWchar>(c);
        const auto at = std::lower_bound(f.wanted.begin(), f.wanted.end(), w);
        if (at != f.wanted.end() && *at == w)
            continue; // noted before: in the atlas already, or not in the fallback either
        f.wanted.insert(at, w);
        added = true;
    }
    if (!added)
        return;
    if (f.stage == Stage::Unneeded)
        startFetch();
    else if (f.stage == Stage::Ready) {
        f.rebuild = true;
        osu_js_request_frame(0);
    }
}

bool FallbackTakeRebuild() {
    const bool rebuild = F().rebuild;
    F().rebuild = false;
    return rebuild;
}

void FallbackMergeInto(float size) {
    Fallback& f = F();
    if (f.stage != Stage::Ready || f.wanted.empty())
        return;
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
    cfg.OversampleH = 1; // ideographs are dense: no horizontal oversampling needed to read them
    cfg.OversampleV = 1;
    cfg.MergeMode = true;
    ImGui::GetIO().Fonts->AddFontFromMemoryTTF(f.data.data(), static_cast<int>(f.data.size()), size, &cfg,
                                               f.ranges.data());
}

} // namespace web
