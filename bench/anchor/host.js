// The anchor page's host: the Emscripten module, and window.anchor, the few figures bench/bench.mjs
// reads (frames drawn, where the two widgets are, what the fetch answered). It schedules nothing:
// the C++ side asks for animation frames only when something changed, as the page does.
'use strict';

(function () {
  let readyResolve;
  const ready = new Promise((resolve) => { readyResolve = resolve; });
  let frameCount = 0;
  let request = { url: '', authorization: '', body: '' };

  window.anchorHost = {
    frameDrawn() {
      frameCount += 1;
      if (frameCount === 1) readyResolve();
    },
    requestField(which) { return [request.url, request.authorization, request.body][which] || ''; },
  };

  function box(widget) {
    const m = window.Module;
    const [x0, y0, x1, y1] = [0, 1, 2, 3].map((corner) => m._anchor_box(widget, corner));
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  window.anchor = Object.freeze({
    ready,
    frames() { return frameCount; },
    // The request the Fetch button sends: {url, authorization, body} (a form POST).
    setRequest(r) { request = { url: String(r.url), authorization: String(r.authorization), body: String(r.body) }; },
    boxes() { return { text: box(0), button: box(1) }; },
    fetches() { return window.Module._anchor_fetches_done(); },
    lastStatus() { return window.Module._anchor_last_status(); },
  });

  window.Module = { print: (text) => console.log(text), printErr: (text) => console.warn(text) };
})();
