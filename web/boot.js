// The page-side host of the WebAssembly app: the frame scheduler (frames are drawn only when
// something changed), DOM input forwarded to the C++ input queue, the hidden text element,
// the clipboard, and the public automation interface window.oauthSetup (see README.md).
'use strict';

(function () {
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
  let frameCount = 0;
  let rafPending = false;
  let timer = 0;
  let started = false;

  function exports() { return window.Module; }

  function showError(message) {
    const el = document.getElementById('loading');
    if (el) { el.textContent = message; el.className = 'error'; el.hidden = false; }
  }

  // ---- Frame scheduling ---------------------------------------------------------------------
  function runFrame() {
    rafPending = false;
    if (!started) return;
    const next = exports()._osu_frame();
    requestFrame(next);
  }

  function requestFrame(delayMs) {
    if (delayMs < 0 || !started) return;
    if (delayMs === 0) {
      if (!rafPending) { rafPending = true; requestAnimationFrame(runFrame); }
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => requestFrame(0), delayMs);
  }

  // ---- Display size -------------------------------------------------------------------------
  let dprQuery = null;
  function resize() {
    const canvas = document.getElementById('canvas');
    const dpr = window.devicePixelRatio || 1;
    const w = window.innerWidth, h = window.innerHeight;
    canvas.width = Math.max(1, Math.round(w * dpr));
    canvas.height = Math.max(1, Math.round(h * dpr));
    exports()._osu_resize(w, h, dpr);
    // devicePixelRatio changes (zoom, moving between screens) fire no resize event on their own.
    if (dprQuery) dprQuery.removeEventListener('change', resize);
    dprQuery = matchMedia(`(resolution: ${dpr}dppx)`);
    dprQuery.addEventListener('change', resize);
  }

  // ---- Input --------------------------------------------------------------------------------
  const NAMED_KEYS = new Set(['Tab', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp',
    'PageDown', 'Home', 'End', 'Insert', 'Delete', 'Backspace', 'Enter', 'Escape', ' ']);
  const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta']);
  const SHORTCUT_LETTERS = new Set(['a', 'c', 'x', 'y', 'z']);
  let textEl = null;
  let lastItems = [];

  function mods(e) {
    return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
  }

  function sendKey(key, down, m) { exports().ccall('osu_key', null, ['string', 'number', 'number'], [key, down ? 1 : 0, m]); }
  function sendText(text) { if (text) exports().ccall('osu_text', null, ['string'], [text]); }

  function onKey(e, down) {
    if (!started || e.isComposing || e.keyCode === 229) return; // IME composition: text comes later
    const shortcut = (e.ctrlKey || e.metaKey) && !e.altKey;
    let key = e.key;
    if (shortcut && key.length === 1) key = key.toLowerCase();
    if (shortcut && key === 'v') return; // the browser fires 'paste' with the clipboard text
    if (MODIFIER_KEYS.has(key)) { sendKey(key, down, mods(e)); return; }
    if (NAMED_KEYS.has(key) || (shortcut && SHORTCUT_LETTERS.has(key))) {
      sendKey(key, down, mods(e));
      // Space is a key (activates buttons) and a character: in the hidden element it arrives
      // as text through 'input', so its default must stay.
      if (key === ' ' && !shortcut && document.activeElement === textEl) return;
      e.preventDefault();
      if (key !== ' ' || shortcut) return;
    }
    // A printable key while the hidden element has no focus (typed right after a click, before
    // the next frame moved the focus there): deliver it as text directly.
    if (down && !shortcut && [...e.key].length === 1 && document.activeElement !== textEl) {
      sendText(e.key);
      e.preventDefault();
    }
  }

  function onTextInput(e) {
    if (e.isComposing) return;
    if (e.inputType === 'insertText' || e.inputType === 'insertReplacementText') sendText(e.data || textEl.value);
    textEl.value = '';
  }

  function pointerPos(e) { return [e.clientX, e.clientY]; }

  function itemAt(x, y) {
    return lastItems.find((it) => it.visible && x >= it.x && x < it.x + it.w && y >= it.y && y < it.y + it.h);
  }

  function installInput() {
    const canvas = document.getElementById('canvas');
    textEl = document.getElementById('text-input');
    canvas.addEventListener('pointermove', (e) => {
      const [x, y] = pointerPos(e);
      exports()._osu_mouse_move(x, y);
    });
    canvas.addEventListener('pointerdown', (e) => {
      const [x, y] = pointerPos(e);
      exports()._osu_mouse_move(x, y);
      exports()._osu_mouse_button(e.button === 2 ? 1 : e.button === 1 ? 2 : 0, 1);
      canvas.setPointerCapture(e.pointerId);
      // Focus must move inside the user's gesture for a soft keyboard to appear.
      lastItems = JSON.parse(exports().UTF8ToString(exports()._osu_items_json()));
      const hit = itemAt(x, y);
      if (hit && hit.textInput) textEl.focus({ preventScroll: true });
      else if (document.activeElement !== textEl) canvas.focus({ preventScroll: true });
      e.preventDefault();
    });
    canvas.addEventListener('pointerup', (e) => {
      const [x, y] = pointerPos(e);
      exports()._osu_mouse_move(x, y);
      exports()._osu_mouse_button(e.button === 2 ? 1 : e.button === 1 ? 2 : 0, 0);
    });
    canvas.addEventListener('pointercancel', () => exports()._osu_focus_lost());
    canvas.addEventListener('pointerleave', (e) => {
      if (e.pointerType === 'mouse' && !e.buttons) exports()._osu_mouse_move(-Number.MAX_VALUE, -Number.MAX_VALUE);
    });
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    canvas.addEventListener('wheel', (e) => {
      // Pixels to ImGui's lines: one notch of a mouse wheel is about 100 pixels.
      const scale = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? 10 : 1 / 100;
      exports()._osu_wheel(-e.deltaX * scale, -e.deltaY * scale);
      e.preventDefault();
    }, { passive: false });
    window.addEventListener('keydown', (e) => onKey(e, true), true);
    window.addEventListener('keyup', (e) => onKey(e, false), true);
    textEl.addEventListener('input', onTextInput);
    textEl.addEventListener('compositionend', (e) => { sendText(e.data); textEl.value = ''; });
    window.addEventListener('paste', (e) => {
      const text = (e.clipboardData && e.clipboardData.getData('text/plain')) || '';
      exports().ccall('osu_paste', null, ['string'], [text]);
      e.preventDefault();
    });
    window.addEventListener('blur', () => exports()._osu_focus_lost());
    // Another tab of this page saved: merge its profiles in.
    window.addEventListener('storage', (e) => {
      if (e.key && e.key.startsWith('oauth-setup') && e.storageArea === window.localStorage) {
        exports().ccall('osu_storage_changed', null, ['string', 'string'], [e.key, e.newValue || '']);
      }
    });
    window.addEventListener('resize', resize);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const applyScheme = () => exports()._osu_color_scheme(scheme.matches ? 1 : 0);
    scheme.addEventListener('change', applyScheme);
    applyScheme();
    exports()._osu_set_mac(/Mac|iPhone|iPad/.test(navigator.platform) ? 1 : 0);
  }

  // ---- Consent popup and the Redirect URL page's answers ----------------------------------------
  let popup = null;
  let popupTimer = 0;

  function openPopup(url) {
    const w = 520, h = 680;
    const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - w) / 2));
    const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - h) / 2));
    let win = null;
    try {
      win = window.open(url, 'oauth-setup-consent', `popup=yes,width=${w},height=${h},left=${left},top=${top}`);
    } catch (e) { win = null; }
    if (!win) return false;
    popup = win;
    clearInterval(popupTimer);
    // A closed popup fires no event: look every few hundred milliseconds.
    popupTimer = setInterval(() => {
      if (popup && !popup.closed) return;
      clearInterval(popupTimer);
      popup = null;
      exports()._osu_popup_closed();
    }, 300);
    return true;
  }

  function closePopup() {
    clearInterval(popupTimer);
    const win = popup;
    popup = null;
    try { if (win && !win.closed) win.close(); } catch (e) { /* severed by the provider */ }
  }

  // ---- Telling "nothing answered" from a CORS refusal --------------------------------------------
  // A failed fetch rejects alike for both. A GET of the same URL in mode 'no-cors' resolves with an
  // opaque response (nothing of it readable) when a server answered, and rejects when nothing did
  // (refused, DNS, TLS, blocked port). No credentials, no referrer, nothing cached.
  async function probe(id, url, timeoutMs) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, Math.max(1, timeoutMs));
    let kind = 1;
    try {
      await fetch(url, { mode: 'no-cors', method: 'GET', credentials: 'omit', cache: 'no-store',
        referrerPolicy: 'no-referrer', signal: controller.signal });
      kind = 0;
    } catch (e) {
      kind = timedOut ? 3 : 1;
    } finally {
      clearTimeout(timer);
    }
    exports().ccall('osu_probe_done', null, ['number', 'number'], [id, kind]);
  }

  // Only this page's own Redirect URL page may answer, and only with the expected shape; the
  // state check in C++ rejects the rest.
  function onCallbackMessage(data) {
    if (!started || !data || data.type !== 'oauth-setup-callback' || typeof data.url !== 'string') return;
    exports().ccall('osu_callback', null, ['string'], [data.url]);
  }

  function installCallbackListeners() {
    window.addEventListener('message', (e) => {
      if (e.origin === window.location.origin) onCallbackMessage(e.data);
    });
    if (typeof BroadcastChannel === 'function') {
      const channel = new BroadcastChannel('oauth-setup-callback');
      channel.onmessage = (e) => onCallbackMessage(e.data);
    }
  }

  // ---- Passphrase lock: WebCrypto PBKDF2-SHA-256 + AES-256-GCM -----------------------------------
  // The key is non-extractable and lives only in this page's memory.
  let lockKey = null;
  const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  function cryptoResult(id, ok, a = '', b = '') {
    exports().ccall('osu_crypto_result', null, ['number', 'number', 'string', 'string'], [id, ok ? 1 : 0, a, b]);
  }
  const lockCrypto = {
    async deriveKey(id, passphrase, salt, iterations) {
      try {
        const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
        lockKey = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(salt), iterations },
          base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
        cryptoResult(id, true);
      } catch (e) { lockKey = null; cryptoResult(id, false, String(e && e.message)); }
    },
    async seal(id, plaintext) {
      try {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, lockKey, new TextEncoder().encode(plaintext));
        cryptoResult(id, true, toBase64(iv), toBase64(ct));
      } catch (e) { cryptoResult(id, false); }
    },
    async unseal(id, iv, ciphertext) {
      try {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, lockKey, fromBase64(ciphertext));
        cryptoResult(id, true, new TextDecoder().decode(plain));
      } catch (e) { cryptoResult(id, false); } // wrong passphrase: the GCM tag does not verify
    },
    forgetKey() { lockKey = null; },
  };

  // ---- Host functions called from C++ (web/library_oauth_setup.js) ------------------------------
  window.oauthSetupHost = {
    // main() has set up WebGL and Dear ImGui: input and frames may flow.
    started() {
      started = true;
      installInput();
      installCallbackListeners();
      resize();
    },
    fatal(message) {
      showError(message);
      readyReject(new Error(message));
    },
    requestFrame,
    frameDrawn() {
      frameCount += 1;
      if (frameCount === 1) {
        const el = document.getElementById('loading');
        if (el) el.hidden = true;
        readyResolve();
      }
    },
    setClipboard(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).catch(() => {});
      }
    },
    textInput(active, x, y, w, h) {
      if (!textEl) return;
      if (active) {
        textEl.style.left = `${x}px`;
        textEl.style.top = `${y}px`;
        textEl.style.width = `${Math.max(1, w)}px`;
        textEl.style.height = `${Math.max(1, h)}px`;
        if (document.activeElement !== textEl) textEl.focus({ preventScroll: true });
      } else {
        textEl.style.top = '-100px';
        if (document.activeElement === textEl) textEl.blur();
      }
    },
    setCursor(css) { document.getElementById('canvas').style.cursor = css; },
    storageGet(key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    storageKeys(prefix) {
      try {
        const keys = [];
        for (let i = 0; i < window.localStorage.length; i += 1) {
          const key = window.localStorage.key(i);
          if (key && key.startsWith(prefix)) keys.push(key);
        }
        return keys;
      } catch (e) { return []; }
    },
    storageSet(key, value) {
      try { window.localStorage.setItem(key, value); return ''; } catch (e) {
        return e && e.name === 'QuotaExceededError' ? 'storage is full' : `storage is unavailable: ${e && e.message}`;
      }
    },
    openPopup,
    closePopup,
    probe,
    deriveKey: lockCrypto.deriveKey,
    seal: lockCrypto.seal,
    unseal: lockCrypto.unseal,
    forgetKey: lockCrypto.forgetKey,
    openTab(url) {
      // noopener: the verification page gets no handle on this page.
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    pickFile() {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,application/json';
      input.addEventListener('change', async () => {
        const file = input.files && input.files[0];
        if (!file) return;
        const text = await file.text();
        exports().ccall('osu_file_picked', null, ['string', 'string'], [file.name, text]);
      });
      input.click();
    },
    download(name, mime, text) {
      const url = URL.createObjectURL(new Blob([text], { type: mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    },
  };

  // ---- Public automation interface ------------------------------------------------------------
  function jsonFrom(fn) { return JSON.parse(exports().UTF8ToString(exports()[fn]())); }
  window.oauthSetup = Object.freeze({
    ready,
    items() { return started ? jsonFrom('_osu_items_json') : []; },
    snapshot() { return started ? jsonFrom('_osu_snapshot_json') : null; },
    frames() { return frameCount; },
  });

  // ---- Emscripten module ------------------------------------------------------------------------
  window.Module = {
    canvas: null,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onRuntimeInitialized() {
      this.canvas = document.getElementById('canvas');
    },
    onAbort(what) {
      showError(`OAuth Setup stopped: ${what}. Reload the page to start again.`);
      readyReject(new Error(String(what)));
    },
  };
  if (typeof WebAssembly !== 'object') showError('OAuth Setup needs a browser with WebAssembly.');
})();
