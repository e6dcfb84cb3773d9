// The C++ side of the accessible mirror (web/host/mirror.js): a visually hidden tree of real form
// elements that mirrors the frame's widgets, for screen readers and password managers. Dear ImGui
// 1.86 has no accessibility of its own (ocornut/imgui#4122), so the page builds it from the item
// registry: each captioned widget becomes an entry with a role, its caption and what it holds.
//
// The page reads the entries (osu_mirror_json) only after a frame in which they changed
// (osu_js_mirror_changed): an idle page, or a frame that only moves the mouse, costs it nothing.
// What a person does in the mirror comes back as actions on the same ImGui items: focus one,
// activate one (a button, checkbox, row, section), set a text field's text, choose a combo's option.
// They are queued and carried out at the start of the next frames, as Dear ImGui's own keyboard
// navigation would (focus, then activation), so the UI emits the same intents as for a click.
#pragma once

namespace web {

// Start of a frame, before ImGui::NewFrame: carries out the next queued action.
void MirrorBeginFrame();
// A widget just reported itself (test-engine ItemInfo): completes a text edit on that widget.
void MirrorOnItemInfo(unsigned id);
// The registry published the frame's items: tells the page when the mirror's entries changed.
void MirrorEndFrame();

} // namespace web
