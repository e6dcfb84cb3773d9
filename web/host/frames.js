// The frame scheduler: frames are drawn only when C++ asks for one (input, a finished request, a
// running countdown), so an idle page draws none. osu_frame() answers when it wants the next one.
import { wasm } from './wasm.js';

let started = false;
let rafPending = false;
let timer = 0;
let frameCount = 0;
let readyResolve, readyReject;
export const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });

export function isStarted() { return started; }
export function start() { started = true; }
export function frames() { return frameCount; }
export function fail(error) { readyReject(error); }

function runFrame() {
  rafPending = false;
  if (!started) return;
  requestFrame(wasm()._osu_frame());
}

// delayMs < 0: no frame; 0: on the next animation frame; > 0: after that delay.
export function requestFrame(delayMs) {
  if (delayMs < 0 || !started) return;
  if (delayMs === 0) {
    if (!rafPending) { rafPending = true; requestAnimationFrame(runFrame); }
    return;
  }
  clearTimeout(timer);
  timer = setTimeout(() => requestFrame(0), delayMs);
}

export function frameDrawn() {
  frameCount += 1;
  if (frameCount === 1) {
    const el = document.getElementById('loading');
    if (el) el.hidden = true;
    readyResolve();
  }
}
