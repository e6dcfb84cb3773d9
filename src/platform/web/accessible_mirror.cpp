#include "platform/web/accessible_mirror.h"

#include "core/widget_semantics.h"
#include "platform/web/item_registry.h"
#include "platform/web/js_bridge.h"
#include "platform/web/keyboard_focus.h"

#include "imgui_internal.h"

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace web {
namespace {

// The states an entry may have, each written as a JSON flag ("checked": true).
const char* const kFlagNames[] = {"checked", "expanded", "selected", "disabled", "readOnly"};
enum EntryFlag { kChecked = 1, kExpanded = 2, kSelected = 4, kDisabled = 8, kReadOnly = 16 };

// One mirrored widget, as web/host/mirror.js renders it.
struct Entry {
    unsigned id = 0;
    const char* role = "";
    std::string label, value, section;
    std::vector<std::string> options;
    int flags = 0; // EntryFlag bits
};

struct Action {
    enum class Kind { Focus, Activate, Text, Choose } kind = Kind::Focus;
    unsigned id = 0;
    std::string text;
    int option = -1;
    int frames = 0;       // frames since it began
    bool started = false; // Text, Choose: the widget was focused / the combo opened
    int replacedAt = -1;  // Text: the frame whose widget took the new text
};

struct Mirror {
    std::vector<Entry> entries;
    // Since the page last read them: whether entries came, went or moved (it then reads them all),
    // else which ones changed in place (it reads only those: renaming a profile with 1,000 rows in
    // the list sends two entries), each with the id the page knows it by (a row's id comes from its
    // caption, so renaming changes it).
    bool reshaped = true;
    std::vector<std::pair<size_t, unsigned>> changed; // index, id before the change
    std::vector<Action> actions;                      // a few at most: a queue, front first
    unsigned generation = 0;
    double costMs = 0; // time spent in MirrorEndFrame since the page loaded (for the benchmark)
};

Mirror& M() {
    static Mirror mirror;
    return mirror;
}

// A text field that does not take its action within this many frames (gone, disabled) is left.
constexpr int kGiveUpFrames = 12;

bool startsWith(const char* text, const char* prefix) {
    return std::strncmp(text, prefix, std::strlen(prefix)) == 0;
}

// The heading a window's widgets go under: a child window's own name ("Profiles", "Setup"), a
// modal's title, "Menu" for an untitled popup.
std::string sectionOf(const ImGuiWindow* window) {
    while (window && (window->Flags & ImGuiWindowFlags_ChildWindow) &&
           !(window->Flags & ImGuiWindowFlags_Popup)) {
        // Dear ImGui names a child "Parent/Name_XXXXXXXX".
        std::string name = window->Name;
        name = name.substr(name.rfind('/') + 1);
        const size_t suffix = name.rfind('_');
        if (suffix != std::string::npos && name.size() - suffix == 9)
            name.resize(suffix);
        if (!name.empty() && name[0] != '#')
            return name;
        window = window->ParentWindow;
    }
    if (!window)
        return {};
    const std::string title = ItemRegistry::displayLabel(window->Name);
    return title.empty() && (window->Flags & ImGuiWindowFlags_Popup) ? "Menu" : title;
}

// What a widget is in the mirror, or "" when it has no place there: the options of an open combo
// (the combo itself lists them), tooltips, and text or mouse handles a person cannot act on.
const char* roleOf(const ItemBox& item) {
    const int sem = item.state.semantics, status = item.state.status;
    if (item.imguiWindow &&
        (startsWith(item.imguiWindow->Name, "##Combo_") || startsWith(item.imguiWindow->Name, "##Tooltip_")))
        return "";
    if (sem & semantics::kLive)
        return "status";
    if (sem & semantics::kCombo)
        return "combobox";
    if (item.textInput)
        return (sem & semantics::kSecret)      ? "password"
               : (sem & semantics::kMultiline) ? "textarea"
                                               : "textbox";
    if (status & ImGuiItemStatusFlags_Checkable)
        return "checkbox";
    if (status & ImGuiItemStatusFlags_Openable)
        return "disclosure";
    if (sem & semantics::kSelected)
        return "row";
    return item.focusable || item.disabled ? "button" : "";
}

int flagsOf(const ItemBox& item) {
    const int status = item.state.status, sem = item.state.semantics;
    return ((status & ImGuiItemStatusFlags_Checked) ? kChecked : 0) |
           ((status & ImGuiItemStatusFlags_Opened) ? kExpanded : 0) |
           ((sem & semantics::kSelected) && item.state.value == "selected" ? kSelected : 0) |
           (item.disabled ? kDisabled : 0) | ((sem & semantics::kReadOnly) ? kReadOnly : 0);
}

bool matches(const Entry& e, const ItemBox& item, const char* role, const std::string& section) {
    return e.id == item.id && std::strcmp(e.role, role) == 0 && e.label == item.label &&
           e.value == item.state.value && e.section == section && e.options == item.state.options &&
           e.flags == flagsOf(item);
}

// Brings the entries up to date with the frame's items, in place (a frame that changes nothing
// copies no string); true when anything changed.
bool updateEntries(Mirror& m, const std::vector<ItemBox>& items) {
    std::vector<Entry>& entries = m.entries;
    size_t n = 0;
    bool changed = false;
    const ImGuiWindow* window = nullptr;
    std::string section;
    for (const ItemBox& item : items) {
        const char* role = roleOf(item);
        if (!*role)
            continue;
        if (item.imguiWindow != window || n == 0) {
            window = item.imguiWindow;
            section = sectionOf(window);
        }
        if (n < entries.size() && matches(entries[n], item, role, section)) {
            ++n;
            continue;
        }
        if (n == entries.size())
            entries.emplace_back();
        // The same kind of widget in the same place: changed in place.
        if (std::strcmp(entries[n].role, role) == 0 && entries[n].section == section &&
            m.changed.size() < entries.size())
            m.changed.emplace_back(n, entries[n].id);
        else
            m.reshaped = true;
        entries[n++] = {item.id,      role, item.label, item.state.value, section, item.state.options,
                        flagsOf(item)};
        changed = true;
    }
    if (n != entries.size()) {
        m.reshaped = changed = true;
        entries.resize(n);
    }
    return changed;
}

// A JSON string (escaped by the JSON library the page already carries).
std::string quoted(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// {"generation": n, "entries": [{id, role, label, section, value?, options?, checked?, ...}]},
// written by hand: a thousand rows stay one pass over the entries.
std::string entryJson(const Entry& e) {
    std::string out;
    out += "{\"id\":" + std::to_string(e.id) + ",\"role\":\"" + e.role + "\",\"label\":" + quoted(e.label) +
           ",\"section\":" + quoted(e.section);
    if (!e.value.empty() && std::strcmp(e.role, "row") != 0)
        out += ",\"value\":" + quoted(e.value);
    for (size_t i = 0; i < e.options.size(); ++i)
        out += (i ? "," : ",\"options\":[") + quoted(e.options[i]) + (i + 1 == e.options.size() ? "]" : "");
    for (int bit = 0; bit < 5; ++bit)
        if (e.flags & (1 << bit))
            out += std::string(",\"") + kFlagNames[bit] + "\":true";
    out += '}';
    return out;
}

// {"generation": n, "full": true|false, "entries": [...]}: every entry, or (full false) only the
// ones that changed in place since the last read. Reading resets what changed.
std::string entriesJson(Mirror& m) {
    std::string out = "{\"generation\":" + std::to_string(m.generation) +
                      ",\"full\":" + (m.reshaped ? "true" : "false") + ",\"entries\":[";
    // One per index, with the id of its first change: the one the page knows.
    const auto byIndex = [](const auto& a, const auto& b) { return a.first < b.first; };
    const auto sameIndex = [](const auto& a, const auto& b) { return a.first == b.first; };
    std::stable_sort(m.changed.begin(), m.changed.end(), byIndex);
    m.changed.erase(std::unique(m.changed.begin(), m.changed.end(), sameIndex), m.changed.end());
    const size_t count = m.reshaped ? m.entries.size() : m.changed.size();
    for (size_t i = 0; i < count; ++i) {
        const Entry& e = m.entries[m.reshaped ? i : m.changed[i].first];
        std::string json = entryJson(e);
        if (!m.reshaped && m.changed[i].second != e.id)
            json.insert(1, "\"was\":" + std::to_string(m.changed[i].second) + ",");
        out += (i ? "," : "") + json;
    }
    m.reshaped = false;
    m.changed.clear();
    return out + "]}";
}

// The field's edit buffer takes `text` whole, the caret at its end; Dear ImGui copies it to the
// UI's string in the widget's next frame, as it does with typed text.
void replaceText(ImGuiInputTextState& state, const std::string& text) {
    state.TextW.resize(static_cast<int>(text.size()) + 1);
    const char* end = nullptr;
    state.CurLenW = ImTextStrFromUtf8(state.TextW.Data, state.TextW.Size, text.c_str(), nullptr, &end);
    state.CurLenA = static_cast<int>(end - text.c_str());
    state.Stb.cursor = state.Stb.select_start = state.Stb.select_end = state.CurLenW;
    state.CursorClamp();
}

// The option `caption` of the open combo popup, or null while it is not drawn yet.
const ItemBox* openOption(const std::string& caption) {
    for (const ItemBox& item : Items().items())
        if (item.imguiWindow && startsWith(item.imguiWindow->Name, "##Combo_") && item.label == caption)
            return &item;
    return nullptr;
}

void activate(const ItemBox& item) {
    FocusItem(item, false);
    ImGui::ActivateItem(item.id);
}

// Carries out the front action as far as it goes this frame; true when it is done.
bool advance(Action& a) {
    const ItemBox* item = Items().find(a.id);
    if (!item || ++a.frames > kGiveUpFrames)
        return true;
    switch (a.kind) {
    case Action::Kind::Focus:
        FocusItem(*item, false);
        return true;
    case Action::Kind::Activate:
        if (!item->disabled)
            activate(*item);
        return true;
    case Action::Kind::Text:
        // Editing starts at once, or again if the first request did not take (the field scrolled
        // into view meanwhile); MirrorOnItemInfo completes it.
        if (!item->textInput || item->disabled)
            return true;
        if (ImGui::GetCurrentContext()->ActiveId != a.id && (!a.started || a.frames % 3 == 0))
            FocusItem(*item, true);
        a.started = true;
        return false;
    case Action::Kind::Choose:
        if (a.option < 0 || a.option >= static_cast<int>(item->state.options.size()))
            return true;
        if (!a.started) {
            activate(*item); // opens the combo's popup
            a.started = true;
            return false;
        }
        if (const ItemBox* option = openOption(item->state.options[static_cast<size_t>(a.option)])) {
            activate(*option);
            return true;
        }
        return false;
    }
    return true;
}

void queue(Action::Kind kind, unsigned id, std::string text = {}, int option = -1) {
    Action a;
    a.kind = kind;
    a.id = id;
    a.text = std::move(text);
    a.option = option;
    std::vector<Action>& actions = M().actions;
    // Typing sends the whole text on every keystroke: a text not yet applied is replaced.
    if (a.kind == Action::Kind::Text && !actions.empty() && actions.back().kind == Action::Kind::Text &&
        actions.back().id == a.id && actions.back().replacedAt < 0) {
        actions.back().text = std::move(a.text);
        return;
    }
    actions.push_back(std::move(a));
    osu_js_request_frame(0);
}

} // namespace

void MirrorBeginFrame() {
    std::vector<Action>& actions = M().actions;
    while (!actions.empty()) {
        if (!advance(actions.front()))
            break;
        const bool activated = actions.front().kind != Action::Kind::Focus;
        actions.erase(actions.begin());
        if (activated)
            break; // Dear ImGui takes one activation per frame
    }
}

void MirrorOnItemInfo(unsigned id) {
    std::vector<Action>& actions = M().actions;
    if (actions.empty() || actions.front().kind != Action::Kind::Text || actions.front().id != id)
        return;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiInputTextState* state = ImGui::GetInputTextState(id);
    if (g.ActiveId != id || !state)
        return;
    // The mirror's element keeps the page's focus: the hidden text element is not wanted.
    g.WantTextInputNextFrame = 0;
    Action& a = actions.front();
    if (a.replacedAt < 0) {
        replaceText(*state, a.text);
        a.replacedAt = g.FrameCount;
    } else if (g.FrameCount > a.replacedAt) {
        ImGui::ClearActiveID(); // the text reached the UI this frame; editing ends, as on Enter
        actions.erase(actions.begin());
    }
}

void MirrorEndFrame() {
    Mirror& m = M();
    const double start = emscripten_get_now();
    if (updateEntries(m, Items().items())) {
        ++m.generation;
        osu_js_mirror_changed();
    }
    if (!m.actions.empty())
        osu_js_request_frame(0);
    m.costMs += emscripten_get_now() - start;
}

} // namespace web

// ---- Entry points for web/host/mirror.js -------------------------------------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* osu_mirror_json() {
    static std::string json;
    json = web::entriesJson(web::M());
    return json.c_str();
}

EMSCRIPTEN_KEEPALIVE double osu_mirror_cost_ms() {
    return web::M().costMs;
}

EMSCRIPTEN_KEEPALIVE void osu_mirror_focus(unsigned id) {
    web::queue(web::Action::Kind::Focus, id);
}

EMSCRIPTEN_KEEPALIVE void osu_mirror_activate(unsigned id) {
    web::queue(web::Action::Kind::Activate, id);
}

EMSCRIPTEN_KEEPALIVE void osu_mirror_set_text(unsigned id, const char* text) {
    web::queue(web::Action::Kind::Text, id, text ? text : "");
}

EMSCRIPTEN_KEEPALIVE void osu_mirror_choose(unsigned id, int option) {
    web::queue(web::Action::Kind::Choose, id, {}, option);
}

} // extern "C"
