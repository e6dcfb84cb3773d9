// DOM input forwarded to the C++ input queue (src/platform/web/input_queue.h): pointer, wheel,
// keys, text through the hidden text element (IME, soft keyboards, non-ASCII), paste, the display
// size and devicePixelRatio, the colour scheme.
import { wasm, call } from './wasm.js';
import { isStarted } from './frames.js';
import { isMirrorElement } from './mirror.js';

const NAMED_KEYS = new Set(['Tab', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp',
  'PageDown', 'Home', 'End', 'Insert', 'Delete', 'Backspace', 'Enter', 'Escape', ' ']);
const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta']);
const SHORTCUT_LETTERS = new Set(['a', 'c', 'x', 'y', 'z']);
let textEl = null;
let dprQuery = null;

export function resize() {
  const canvas = document.getElementById('canvas');
  const dpr = window.devicePixelRatio || 1;
  const w = window.innerWidth, h = window.innerHeight;
  canvas.width = Math.max(1, Math.round(w * dpr));
  canvas.height = Math.max(1, Math.round(h * dpr));
  wasm()._osu_resize(w, h, dpr);
  // devicePixelRatio changes (zoom, moving between screens) fire no resize event on their own.
  if (dprQuery) dprQuery.removeEventListener('change', resize);
  dprQuery = matchMedia(`(resolution: ${dpr}dppx)`);
  dprQuery.addEventListener('change', resize);
}

function mods(e) {
  return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
}

function sendKey(key, down, m) { call('osu_key', ['string', 'number', 'number'], [key, down ? 1 : 0, m]); }
function sendText(text) { if (text) call('osu_text', ['string'], [text]); }

function onKey(e, down) {
  if (!isStarted() || e.isComposing || e.keyCode === 229) return; // IME composition: text comes later
  if (isMirrorElement(e.target)) return; // the accessible mirror's elements take their own keys
  const shortcut = (e.ctrlKey || e.metaKey) && !e.altKey;
  let key = e.key;
  if (shortcut && key.length === 1) key = key.toLowerCase();
  if (shortcut && key === 'v') return; // the browser fires 'paste' with the clipboard text
  if (MODIFIER_KEYS.has(key)) { sendKey(key, down, mods(e)); return; }
  if (NAMED_KEYS.has(key) || (shortcut && SHORTCUT_LETTERS.has(key))) {
    sendKey(key, down, mods(e));
    // Space is a key (activates buttons) and a character: in the hidden element it arrives
    // as text through 'input', so its default must stay.
    if (key === ' ' && !shortcut && document.activeElement === textEl) return;
    e.preventDefault();
    if (key !== ' ' || shortcut) return;
  }
  // A printable key while the hidden element has no focus (typed right after a click, before
  // the next frame moved the focus there): deliver it as text directly.
  if (down && !shortcut && [...e.key].length === 1 && document.activeElement !== textEl) {
    sendText(e.key);
    e.preventDefault();
  }
}

function onTextInput(e) {
  if (e.isComposing) return;
  if (e.inputType === 'insertText' || e.inputType === 'insertReplacementText') sendText(e.data || textEl.value);
  textEl.value = '';
}

// Presses the mouse button at the pointer. Focus moves inside the user's gesture, so that a soft
// keyboard appears for a text field.
function press(e) {
  wasm()._osu_mouse_move(e.clientX, e.clientY);
  wasm()._osu_mouse_button(button(e), 1);
  if (wasm()._osu_text_field_at(e.clientX, e.clientY)) textEl.focus({ preventScroll: true });
  else if (document.activeElement !== textEl) document.getElementById('canvas').focus({ preventScroll: true });
}

// A finger: a tap is a click where it lifted; a drag scrolls the pane under it instead (the press is
// only sent once the finger lifts without having moved). A second finger is the browser's pinch-zoom
// (touch-action: pinch-zoom), and clientX/Y stay in the layout viewport's CSS pixels when zoomed,
// which is what the canvas is laid out in.
const DRAG_SLOP_PX = 8;
// Dear ImGui 1.86 scrolls 5 lines of the 15 px UI font per wheel unit: so a drag follows the finger.
const WHEEL_UNIT_PX = 5 * 15;
let touch = null;

function touchDown(e) {
  if (touch) { touch = null; return; } // a second finger: a pinch, not a tap
  touch = { id: e.pointerId, x: e.clientX, y: e.clientY, lastX: e.clientX, lastY: e.clientY, dragging: false };
  wasm()._osu_mouse_move(e.clientX, e.clientY); // the pane under the finger is the one to scroll
}

function touchMove(e) {
  if (!touch || e.pointerId !== touch.id) return;
  if (!touch.dragging && Math.hypot(e.clientX - touch.x, e.clientY - touch.y) < DRAG_SLOP_PX) return;
  touch.dragging = true;
  wasm()._osu_wheel((e.clientX - touch.lastX) / WHEEL_UNIT_PX, (e.clientY - touch.lastY) / WHEEL_UNIT_PX);
  touch.lastX = e.clientX;
  touch.lastY = e.clientY;
}

function touchUp(e) {
  const tapped = touch && e.pointerId === touch.id && !touch.dragging;
  touch = null;
  if (!tapped) return;
  press(e);
  wasm()._osu_mouse_button(0, 0); // the input queue spreads press and release over frames
  // Lifted: no pointer hovers any more, so nothing stays highlighted as hovered.
  wasm()._osu_mouse_move(-Number.MAX_VALUE, -Number.MAX_VALUE);
}

function button(e) { return e.button === 2 ? 1 : e.button === 1 ? 2 : 0; }

export function installInput() {
  const canvas = document.getElementById('canvas');
  textEl = document.getElementById('text-input');
  canvas.addEventListener('pointermove', (e) => { if (e.pointerType !== 'touch') wasm()._osu_mouse_move(e.clientX, e.clientY); });
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    e.preventDefault();
    if (e.pointerType === 'touch') { touchDown(e); return; }
    press(e);
  });
  canvas.addEventListener('pointerup', (e) => {
    if (e.pointerType === 'touch') { touchUp(e); return; }
    wasm()._osu_mouse_move(e.clientX, e.clientY);
    wasm()._osu_mouse_button(button(e), 0);
  });
  canvas.addEventListener('pointermove', (e) => { if (e.pointerType === 'touch') touchMove(e); });
  canvas.addEventListener('pointercancel', () => { touch = null; wasm()._osu_focus_lost(); });
  canvas.addEventListener('pointerleave', (e) => {
    if (e.pointerType === 'mouse' && !e.buttons) wasm()._osu_mouse_move(-Number.MAX_VALUE, -Number.MAX_VALUE);
  });
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  canvas.addEventListener('wheel', (e) => {
    // Pixels to ImGui's lines: one notch of a mouse wheel is about 100 pixels.
    const scale = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? 10 : 1 / 100;
    wasm()._osu_wheel(-e.deltaX * scale, -e.deltaY * scale);
    e.preventDefault();
  }, { passive: false });
  window.addEventListener('keydown', (e) => onKey(e, true), true);
  window.addEventListener('keyup', (e) => onKey(e, false), true);
  textEl.addEventListener('input', onTextInput);
  textEl.addEventListener('compositionend', (e) => { sendText(e.data); textEl.value = ''; });
  window.addEventListener('paste', (e) => {
    const text = (e.clipboardData && e.clipboardData.getData('text/plain')) || '';
    call('osu_paste', ['string'], [text]);
    e.preventDefault();
  });
  window.addEventListener('blur', () => wasm()._osu_focus_lost());
  window.addEventListener('resize', resize);
  if (window.visualViewport) window.visualViewport.addEventListener('resize', keepFieldInSight);
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const applyScheme = () => wasm()._osu_color_scheme(scheme.matches ? 1 : 0);
  scheme.addEventListener('change', applyScheme);
  applyScheme();
  wasm()._osu_set_mac(/Mac|iPhone|iPad/.test(navigator.platform) ? 1 : 0);
}

// The active text field's box, while one is edited.
let activeBox = null;
let scrolledFor = null;

// A soft keyboard covers the bottom of the window: the visual viewport (what is still in sight)
// shrinks, the layout viewport the canvas fills does not. Scroll the field being edited up above it,
// once per field and keyboard height, with the wheel over that field's pane.
function keepFieldInSight() {
  const vv = window.visualViewport;
  if (!activeBox || !vv) return;
  const bottom = vv.offsetTop + vv.height;
  const key = `${activeBox.x},${activeBox.y},${bottom}`;
  const hidden = activeBox.y + activeBox.h + 12 - bottom;
  if (hidden <= 0 || scrolledFor === key) return;
  scrolledFor = key;
  wasm()._osu_mouse_move(activeBox.x + 4, activeBox.y + activeBox.h / 2);
  wasm()._osu_wheel(0, -hidden / WHEEL_UNIT_PX);
}

// Keeps the hidden text element over the active text field (called by C++ after each frame).
export function textInput(active, x, y, w, h) {
  if (!textEl) return;
  activeBox = active ? { x, y, w, h } : null;
  if (active) keepFieldInSight();
  if (active) {
    textEl.style.left = `${x}px`;
    textEl.style.top = `${y}px`;
    textEl.style.width = `${Math.max(1, w)}px`;
    textEl.style.height = `${Math.max(1, h)}px`;
    // An element of the accessible mirror keeps the focus (its text reaches the field from there).
    if (document.activeElement !== textEl && !isMirrorElement(document.activeElement)) textEl.focus({ preventScroll: true });
  } else {
    textEl.style.top = '-100px';
    if (document.activeElement === textEl) textEl.blur();
  }
}
