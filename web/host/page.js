// Small page services C++ asks for: the loading/error message, clipboard, the mouse cursor,
// opening the verification page, choosing a file to import and downloading an export.
import { call } from './wasm.js';

export function showError(message) {
  const el = document.getElementById('loading');
  if (el) { el.textContent = message; el.className = 'error'; el.hidden = false; }
}

export function setClipboard(text) {
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(() => {});
}

export function setCursor(css) { document.getElementById('canvas').style.cursor = css; }

// noopener: the verification page gets no handle on this page.
export function openTab(url) { window.open(url, '_blank', 'noopener,noreferrer'); }

export function pickFile() {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const text = await file.text();
    call('osu_file_picked', ['string', 'string'], [file.name, text]);
  });
  input.click();
}

export function download(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
