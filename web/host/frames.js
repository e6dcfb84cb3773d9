// The frame scheduler: frames are drawn only when C++ asks for one (input, a finished request, a
// running countdown), so an idle page draws none. osu_frame() answers when it wants the next one.
//
// A visible page draws on requestAnimationFrame. A hidden tab gets no animation frames at all, so
// there the frame runs from a task instead: deadlines (a device poll, an auto-refresh, the
// countdowns) from setTimeout, which a background tab still runs (throttled to about once a
// second), and "as soon as possible" (a fetch answered, another tab saved) from a MessageChannel
// task, which is not throttled, so a result or another tab's save is applied when it arrives.
import { wasm } from './wasm.js';

let started = false;
let framePending = false; // a frame is asked for and has not run yet
let timer = 0;
let frameCount = 0;
let readyResolve, readyReject;
export const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
const soon = new MessageChannel();

export function isStarted() { return started; }
export function start() {
  started = true;
  document.addEventListener('visibilitychange', onVisibilityChange);
}
export function frames() { return frameCount; }
export function fail(error) { readyReject(error); }

const hidden = () => document.visibilityState === 'hidden';

// Runs the one frame asked for, whichever of its schedulers comes first.
function runFrame() {
  if (!framePending) return;
  framePending = false;
  if (!started) return;
  requestFrame(wasm()._osu_frame());
}
// The frame from a task: one message on its way at a time, whoever asks (a hidden tab, a result).
let soonPosted = false;
soon.port1.onmessage = () => { soonPosted = false; runFrame(); };
function postSoon() {
  if (soonPosted) return;
  soonPosted = true;
  soon.port2.postMessage(0);
}

// An animation frame asked for just before the tab was hidden would wait until it is shown again.
// Shown again: one frame, so what changed in the background is on screen at once.
function onVisibilityChange() {
  if (hidden()) {
    if (framePending) postSoon();
  } else {
    requestFrame(0);
  }
}

// delayMs < 0: no frame; 0: as soon as possible (the next animation frame while visible); > 0:
// after that delay.
export function requestFrame(delayMs) {
  if (delayMs < 0 || !started) return;
  if (delayMs === 0) {
    if (framePending) return;
    framePending = true;
    if (hidden()) postSoon();
    else requestAnimationFrame(runFrame);
    return;
  }
  clearTimeout(timer);
  timer = setTimeout(() => requestFrame(0), delayMs);
}

// A result arrived (a fetch answered, a signature, the callback, another tab's save): its frame runs
// from a task at once rather than at the next animation frame, which on a busy machine can be a
// few frames away; the browser shows what it draws with its next frame. A frame already asked of
// requestAnimationFrame then finds nothing pending and does not run twice.
export function requestFrameNow() {
  if (!started) return;
  framePending = true;
  postSoon();
}

export function frameDrawn() {
  frameCount += 1;
  if (frameCount === 1) {
    const el = document.getElementById('loading');
    if (el) el.hidden = true;
    readyResolve();
  }
}
