// A person on a phone: a finger taps a widget found through window.oauthSetup.items(), drags the
// form to scroll it, and types through the soft keyboard (the hidden text element). Real touch
// events through the Chrome DevTools Protocol (Input.dispatchTouchEvent); never the mouse.
import { findItem, items, settle } from './browser.mjs';

async function cdp(page) {
  if (!page.touchSession) page.touchSession = await page.context().newCDPSession(page);
  return page.touchSession;
}

/**
 * Where a finger lands on the widget's middle, in the page's CSS pixels: the coordinates
 * Input.dispatchTouchEvent takes and the page's touch events carry as clientX/clientY. With the page
 * pinch-zoomed (Emulation.setPageScaleFactor 2) a touch at (100, 100) still arrives as clientX 100.
 */
export function centre(it) {
  return { x: it.x + it.w / 2, y: it.y + it.h / 2 };
}

/** A finger touches (x, y) on the screen and lifts, then the page settles. */
export async function tapAt(page, x, y) {
  const session = await cdp(page);
  await session.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await session.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(page);
}

/** A finger drags from (x, y) by (dx, dy) in `steps` moves, then lifts; the page settles. */
export async function drag(page, x, y, dx, dy, steps = 12) {
  const session = await cdp(page);
  await session.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= steps; i += 1) {
    await session.send('Input.dispatchTouchEvent', {
      type: 'touchMove', touchPoints: [{ x: x + (dx * i) / steps, y: y + (dy * i) / steps }],
    });
    await page.waitForTimeout(16);
  }
  await session.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(page);
}

/**
 * Drags the form (up, then down) until `label` is drawn, then once more to bring it to the middle of
 * the window, where no pane edge clips its box; resolves to its box.
 */
export async function swipeTo(page, label, opts = {}) {
  const vp = page.viewportSize();
  const find = async () => (await items(page)).find((i) => i.label === label && i.visible);
  for (const dy of [...Array(8).fill(-300), ...Array(16).fill(300)]) {
    const it = await find();
    if (it) {
      const off = vp.height / 2 - (it.y + it.h / 2);
      const inside = it.y >= 80 && it.y + it.h <= vp.height - 60;
      if (!inside && Math.abs(off) > 40) await drag(page, vp.width / 2, vp.height / 2 - Math.sign(off) * 150, 0, off);
      return (await find()) ?? findItem(page, label, opts);
    }
    await drag(page, vp.width / 2, dy < 0 ? vp.height * 0.75 : vp.height * 0.3, 0, dy);
  }
  return findItem(page, label, opts);
}

/** Swipes to a widget and taps its middle with a finger. */
export async function touch(page, label, opts) {
  const it = await swipeTo(page, label, opts);
  const at = centre(it);
  await tapAt(page, at.x, at.y);
  return it;
}

/** Taps a text field and enters `text` through the soft keyboard (replacing what it held). */
export async function touchType(page, label, text) {
  await touch(page, label);
  await page.keyboard.down('Control');
  await page.keyboard.press('a', { delay: 40 });
  await page.keyboard.up('Control');
  await page.keyboard.press('Delete', { delay: 40 });
  if (text) await page.keyboard.insertText(text);
  await settle(page);
}
