// The public automation interface, window.oauthSetup (described in README.md): scripts and
// browser tests find widgets through items() and read results through snapshot().
import { jsonFrom } from './wasm.js';
import { ready, isStarted, frames } from './frames.js';
import { mirrorStats } from './mirror.js';

export function installAutomation() {
  window.oauthSetup = Object.freeze({
    ready,
    items() { return isStarted() ? jsonFrom('_osu_items_json') : []; },
    snapshot() { return isStarted() ? jsonFrom('_osu_snapshot_json') : null; },
    frames,
    mirrorStats,
  });
}
