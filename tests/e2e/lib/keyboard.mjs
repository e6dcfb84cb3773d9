// A person at the keyboard alone: Tab to a widget (read back through items()[].focused), type,
// press Enter or Space. Built on lib/browser.mjs; never touches the mouse.
import assert from 'node:assert/strict';
import { items, settle } from './browser.mjs';

/** The caption of the widget that has keyboard focus, or null. */
export async function focused(page) {
  const hit = (await items(page)).find((it) => it.focused);
  return hit ? hit.label : null;
}

/** Presses a key (or chord such as 'Shift+Tab'), holding it for a frame, then lets the page settle. */
export async function key(page, chord) {
  await page.keyboard.press(chord, { delay: 40 });
  await settle(page, { quietMs: 80 });
}

/** Tabs (forward, or backward with `back`) until `label` has focus; the captions passed on the way. */
export async function tabTo(page, label, { back = false, max = 80 } = {}) {
  const passed = [];
  for (let i = 0; i < max; i += 1) {
    await key(page, back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    passed.push(now);
    if (now === label) return passed;
  }
  assert.fail(`Tab never reached "${label}"; passed: ${passed.join(' | ')}`);
}

/** Replaces what the focused text field holds with `text`, typed key by key. */
export async function retype(page, text) {
  await page.keyboard.down('Control');
  await page.keyboard.press('a', { delay: 40 });
  await page.keyboard.up('Control');
  await page.keyboard.press('Delete', { delay: 40 });
  await page.keyboard.type(text, { delay: 10 });
  await settle(page);
}
