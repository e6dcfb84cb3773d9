// The Emscripten module every host module talks to (window.Module, set up in boot.js), and the
// few ways of calling into it.
export function wasm() { return window.Module; }

export function call(name, types, args) { wasm().ccall(name, null, types, args); }

export function jsonFrom(fn) { return JSON.parse(wasm().UTF8ToString(wasm()[fn]())); }
