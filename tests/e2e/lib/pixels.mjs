// The pixels a person sees: a screenshot of a box of the page, decoded to RGBA by the browser
// itself (no PNG library needed), and a count of the pixels that differ between two of them.

/** The page's box {x, y, width, height} (CSS pixels) as {width, height, rgba} in device pixels. */
export async function boxImage(page, box) {
  const png = await page.screenshot({ clip: box });
  const data = await page.evaluate(async (b64) => {
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' });
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, rgba: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data) };
  }, png.toString('base64'));
  return { ...data, rgba: Uint8ClampedArray.from(data.rgba) };
}

/** RGBA bytes of the page's box {x, y, width, height} in CSS pixels. */
export async function boxPixels(page, box) {
  return (await boxImage(page, box)).rgba;
}

/**
 * The box of the last `columns` CSS pixels of a widget's box from items(), its border included,
 * less `inset` pixels at the top and bottom (where a rounded frame's corners curve).
 */
export function rightEdge(it, columns, inset = 0) {
  const right = Math.round(it.x + it.w);
  const top = Math.round(it.y) + inset;
  return { x: right - columns, y: top, width: columns, height: Math.round(it.y + it.h) - inset - top };
}

/** How many pixels differ by more than `threshold` in any colour channel. */
export function differingPixels(a, b, threshold = 40) {
  let n = 0;
  for (let i = 0; i + 3 < Math.min(a.length, b.length); i += 4) {
    if (Math.abs(a[i] - b[i]) > threshold || Math.abs(a[i + 1] - b[i + 1]) > threshold
      || Math.abs(a[i + 2] - b[i + 2]) > threshold) n += 1;
  }
  return n;
}
