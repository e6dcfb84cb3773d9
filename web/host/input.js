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

function button(e) { return e.button === 2 ? 1 : e.button === 1 ? 2 : 0; }

export function installInput() {
  const canvas = document.getElementById('canvas');
  textEl = document.getElementById('text-input');
  canvas.addEventListener('pointermove', (e) => wasm()._osu_mouse_move(e.clientX, e.clientY));
  canvas.addEventListener('pointerdown', (e) => {
    wasm()._osu_mouse_move(e.clientX, e.clientY);
    wasm()._osu_mouse_button(button(e), 1);
    canvas.setPointerCapture(e.pointerId);
    // Focus must move inside the user's gesture for a soft keyboard to appear.
    if (wasm()._osu_text_field_at(e.clientX, e.clientY)) textEl.focus({ preventScroll: true });
    else if (document.activeElement !== textEl) canvas.focus({ preventScroll: true });
    e.preventDefault();
  });
  canvas.addEventListener('pointerup', (e) => {
    wasm()._osu_mouse_move(e.clientX, e.clientY);
    wasm()._osu_mouse_button(button(e), 0);
  });
  canvas.addEventListener('pointercancel', () => wasm()._osu_focus_lost());
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
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const applyScheme = () => wasm()._osu_color_scheme(scheme.matches ? 1 : 0);
  scheme.addEventListener('change', applyScheme);
  applyScheme();
  wasm()._osu_set_mac(/Mac|iPhone|iPad/.test(navigator.platform) ? 1 : 0);
}

// Keeps the hidden text element over the active text field (called by C++ after each frame).
export function textInput(active, x, y, w, h) {
  if (!textEl) return;
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
