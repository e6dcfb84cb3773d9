// The deferred half of the app: app.wasm holds what the page runs to come up, be looked at and be
// typed into; app.deferred.wasm holds the rest (grants, tools, exports, checks), split off at build
// time by Binaryen's wasm-split from a profile of those first steps (scripts/split_wasm.mjs).
//
// A person who only opens the page downloads app.wasm alone. The deferred module is fetched and
// compiled in the background as soon as the person first acts (a press, a key, a wheel turn, a
// focus, click or input on the accessible mirror), so by the time a click needs it, it is usually there. Should the
// app call deferred code before that (Emscripten's placeholder functions call loadSplitModule),
// it is fetched synchronously: the call waits, but nothing is lost.
import { showError } from './page.js';

const FILE = 'app.deferred.wasm';
// A screen reader may activate a mirror button with a click alone, and fill a field with input alone.
const FIRST_ACTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'focusin', 'click', 'input'];

let compiled = null; // the WebAssembly.Module, once fetched and compiled
let pending = null;

/** Starts fetching and compiling the deferred module (once; again after a failed attempt). */
export function prefetchDeferred() {
  if (compiled || pending) return;
  pending = WebAssembly.compileStreaming(fetch(FILE, { credentials: 'same-origin' }))
    .then((module) => { compiled = module; })
    .catch(() => {}) // a later loadSplitModule fetches it again, synchronously
    .finally(() => { pending = null; });
}

/** Prefetches on the first act of a person, then stops listening. */
export function prefetchOnFirstAct() {
  const act = () => {
    for (const type of FIRST_ACTS) window.removeEventListener(type, act, true);
    prefetchDeferred();
  };
  for (const type of FIRST_ACTS) window.addEventListener(type, act, { capture: true, passive: true });
}

/** The bytes of `url`, fetched synchronously (a binary response through a text XHR). */
function fetchSync(url) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  xhr.overrideMimeType('text/plain; charset=x-user-defined');
  xhr.send(null);
  if (xhr.status !== 200) throw new Error(`HTTP ${xhr.status}`);
  const text = xhr.responseText;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/**
 * Module.loadSplitModule (Emscripten's SPLIT_MODULE hook): instantiates the deferred module with
 * the primary's exports. Instantiating it fills the function table's placeholder slots, so it is
 * called once.
 */
export function loadSplitModule(file, imports) {
  try {
    compiled = compiled || new WebAssembly.Module(fetchSync(file));
  } catch (e) {
    showError(`OAuth Setup could not load the rest of its code (${FILE}: ${e.message}). Reload the page to start again.`);
    throw e;
  }
  return new WebAssembly.Instance(compiled, imports);
}

/** Emscripten's loader reports each load on stderr; it is not a problem worth a console line. */
export const isLoaderChatter = (text) => /^(placeholder function called: |instantiated deferred module)/.test(text);
