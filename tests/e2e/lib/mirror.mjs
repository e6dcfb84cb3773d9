// A person who uses the page through its accessible mirror (web/host/mirror.js) alone, as a screen
// reader user or a password manager does: elements found by their role and accessible name with
// Playwright's locators, focused, filled and pressed from the keyboard. The mirror is visually
// hidden (no pixel of it can be clicked), so buttons are pressed with Enter and checkboxes with
// Space, as from a screen reader's focus mode. Results are read back through snapshot().
import assert from 'node:assert/strict';
import { settle, snapshot } from './browser.mjs';
import { selectedOf, waitFor } from './app.mjs';

/** The mirror's root: every locator of a mirror test is scoped to it. */
export const mirrorOf = (page) => page.locator('#accessible-mirror');

/** The mirror's field captioned `caption` (its <label>). */
export const field = (page, caption) => mirrorOf(page).getByLabel(caption, { exact: true });

/** The mirror's button named `name`. */
export const button = (page, name) => mirrorOf(page).getByRole('button', { name, exact: true });

/** Presses a mirror button with Enter (a screen reader's "activate"), then lets the page settle. */
export async function pressButton(page, name) {
  await button(page, name).press('Enter');
  await settle(page);
}

/**
 * Fills a mirror field (Playwright's fill: focus, select all, insert the text) and waits until the
 * selected profile's `key` holds it, so a field that does not reach the profile fails here.
 */
export async function fillField(page, caption, key, text) {
  await field(page, caption).fill(text);
  await waitFor(page, (s) => selectedOf(s)?.[key] === text, `${caption} to hold ${JSON.stringify(text)}`);
  await settle(page);
}

/** Chooses an option of a mirror <select> and waits until the selected profile's `key` is `value`. */
export async function chooseOption(page, caption, option, key, value) {
  await field(page, caption).selectOption({ label: option });
  await waitFor(page, (s) => selectedOf(s)?.[key] === value, `${caption} to be ${option}`);
  await settle(page);
}

/** The lines of the mirror's live region (role status, aria-live polite). */
export async function liveLines(page) {
  return mirrorOf(page).locator('[aria-live="polite"] > p').allTextContents();
}

/** The State line the page shows for a snapshot: "State: Connected at 2026-12-01 17:20:03 UTC". */
export function stateLine(snap) {
  const at = new Date(Math.floor(snap.stateAt) * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return `State: ${snap.state} at ${at} UTC`;
}

/**
 * Chromium's own accessibility tree (CDP Accessibility.getFullAXTree), as {role, name, value,
 * checked, expanded, ...} per node that is not ignored.
 */
export async function axTree(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.filter((n) => !n.ignored).map((n) => {
      const props = Object.fromEntries((n.properties ?? []).map((p) => [p.name, p.value?.value]));
      return { role: n.role?.value, name: n.name?.value ?? '', value: n.value?.value, ...props };
    });
  } finally {
    await cdp.detach();
  }
}

/** The accessibility node named `name` with role `role`; fails unless there is exactly one. */
export function axNode(tree, role, name) {
  const hits = tree.filter((n) => n.role === role && n.name === name);
  assert.equal(hits.length, 1, `one ${role} named "${name}" in the accessibility tree; found ${hits.length}`);
  return hits[0];
}

/** Counts the mirror's DOM mutations while `fn` runs (nodes added or removed, attributes, text). */
export async function mirrorMutations(page, fn) {
  await page.evaluate(() => {
    window.mirrorMutationCount = { added: 0, removed: 0, other: 0 };
    window.mirrorRemoved = [];
    window.mirrorObserver = new MutationObserver((records) => {
      for (const r of records) {
        window.mirrorMutationCount.added += r.addedNodes.length;
        window.mirrorMutationCount.removed += r.removedNodes.length;
        for (const n of r.removedNodes) window.mirrorRemoved.push(n.outerHTML || n.textContent);
        if (r.type !== 'childList') window.mirrorMutationCount.other += 1;
      }
    });
    window.mirrorObserver.observe(document.getElementById('accessible-mirror'),
      { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await fn();
  return page.evaluate(() => {
    window.mirrorObserver.takeRecords().forEach(() => {});
    window.mirrorObserver.disconnect();
    return window.mirrorMutationCount;
  });
}

export { snapshot };

/**
 * The names of the mirror's controls a person can act on (enabled inputs, selects, buttons, list
 * rows and section toggles), in the mirror's order. The number fields' "-"/"+" buttons are left out:
 * on the canvas they are for the mouse and touch, and Tab passes them by.
 */
export async function mirrorControls(page) {
  return page.evaluate(() => [...document.querySelectorAll('#accessible-mirror [data-mirror-id]')]
    .filter((el) => !el.disabled && !/^(Decrease|Increase) /.test(el.getAttribute('aria-label') ?? ''))
    .map((el) => (el.labels?.length ? el.labels[0].textContent : el.textContent)));
}

/** Whether the mirror's section toggle (a disclosure: a tree node, a collapsing header) `name` is open. */
export async function expanded(page, name) {
  const states = await page.evaluate((text) => [...document.querySelectorAll('#accessible-mirror h3 > button')]
    .filter((el) => el.textContent === text).map((el) => el.getAttribute('aria-expanded')), name);
  assert.equal(states.length, 1, `one section toggle "${name}" in the mirror; found ${states.length}`);
  return states[0] === 'true';
}
