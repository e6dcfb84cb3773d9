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

/** The widget that has keyboard focus, with its box (CSS px), or null. */
export async function focusedItem(page) {
  return (await items(page)).find((it) => it.focused) ?? null;
}

/**
 * Tabs (or Shift+Tabs with `back`) from the focused widget until focus is back on it; the widgets
 * focused on the way, the starting one last, each {label, x, y, w, h}.
 */
export async function tabCycle(page, { back = false, max = 150 } = {}) {
  const start = await focusedItem(page);
  assert.ok(start, 'a widget has focus before the cycle');
  const visited = [];
  for (let i = 0; i < max; i += 1) {
    await key(page, back ? 'Shift+Tab' : 'Tab');
    const now = await focusedItem(page);
    assert.ok(now, `something has focus after ${i + 1} Tabs; passed: ${visited.map((it) => it.label).join(' | ')}`);
    visited.push(now);
    if (now.label === start.label && now.x === start.x && now.y === start.y) return visited;
  }
  return assert.fail(`Tab did not come back to "${start.label}" in ${max} steps`);
}

// Two boxes whose tops are this close are on one line (a checkbox beside a field, a button after it).
const SAME_LINE_PX = 4;

/**
 * Whether `b` comes after `a` in reading order: by column (`columnOf` gives 0 for the left one),
 * then top to bottom, then left to right on one line.
 */
export function readsAfter(a, b, columnOf = () => 0) {
  const ca = columnOf(a); const cb = columnOf(b);
  if (ca !== cb) return cb > ca;
  if (Math.abs(a.y - b.y) >= SAME_LINE_PX) return b.y > a.y;
  return b.x > a.x;
}

/**
 * The steps of a Tab cycle that go against reading order, as "A -> B". A cycle in reading order has
 * exactly one: from the last widget around to the first.
 */
export function againstReadingOrder(cycle, columnOf) {
  const steps = [];
  for (let i = 0; i < cycle.length; i += 1) {
    const a = cycle[i]; const b = cycle[(i + 1) % cycle.length];
    if (!readsAfter(a, b, columnOf)) steps.push(`${a.label} -> ${b.label}`);
  }
  return steps;
}
