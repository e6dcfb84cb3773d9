// The accessible mirror: a visually hidden form of real elements (label + input, select,
// checkbox, button, a list of the profiles, headings, a live status) that mirrors the widgets of
// the latest frame, for screen readers and password managers. The canvas is one closed box to
// them, and Dear ImGui has no accessibility of its own (ocornut/imgui#4122).
//
// C++ (src/platform/web/accessible_mirror.cpp) builds the entries from the item registry behind
// oauthSetup.items() and calls mirrorChanged() only after a frame in which they changed; this
// module then diffs them into the tree (nothing is rebuilt; an idle page does no work). What a
// person does here goes back to the same ImGui item: focusing an element focuses the widget,
// typing sets the field's text, a button, checkbox, row or section header activates it, a select
// chooses the combo's option. Keys typed here stay here (input.js leaves them alone).
import { wasm, call } from './wasm.js';

// Password managers fill these two, and only these (WHATWG autofill field names).
const AUTOCOMPLETE = { 'User Name': 'username', Password: 'current-password' };

let root = null;
let sectionsEl = null;
let liveEl = null;
let pending = false;
let generation = -1;
const nodes = new Map(); // ImGui id -> {role, el (placed in the tree), control, label, data}
const sections = new Map(); // heading -> {el, body, list}
const stats = { updates: 0, domMs: 0 };

export function isMirrorElement(el) { return !!(root && el && root.contains(el)); }

function element(tag, props = {}, attrs = {}) {
  const el = Object.assign(document.createElement(tag), props);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function createNode(e) {
  const n = { role: e.role, data: {} };
  switch (e.role) {
    case 'textbox': case 'password': case 'textarea': case 'combobox': case 'checkbox': {
      const control = e.role === 'textarea' ? element('textarea')
        : e.role === 'combobox' ? element('select')
          : element('input', { type: e.role === 'textbox' ? 'text' : e.role });
      control.id = `osu-mirror-${e.id}`;
      const label = element('label', { htmlFor: control.id });
      const wrap = element('div');
      if (e.role === 'password' || e.role === 'textbox' || e.role === 'textarea') {
        const fill = AUTOCOMPLETE[e.label];
        control.autocomplete = fill || 'off';
        // Never offered for autofill (Client Secret, passphrases): also tell the common managers.
        if (!fill && e.role === 'password') {
          for (const a of ['data-lpignore', 'data-1p-ignore', 'data-bwignore']) control.setAttribute(a, 'true');
        }
        control.spellcheck = false;
        control.setAttribute('autocapitalize', 'off');
      }
      if (e.role === 'checkbox') wrap.append(control, label); else wrap.append(label, control);
      Object.assign(n, { el: wrap, control, label });
      break;
    }
    case 'disclosure': {
      const control = element('button', { type: 'button' });
      Object.assign(n, { el: element('h3'), control, label: control });
      n.el.append(control);
      break;
    }
    case 'row': {
      const control = element('button', { type: 'button' });
      Object.assign(n, { el: element('li'), control, label: control });
      n.el.append(control);
      break;
    }
    case 'status': {
      const p = element('p');
      Object.assign(n, { el: p, control: null, label: p });
      break;
    }
    default: {
      const control = element('button', { type: 'button' });
      Object.assign(n, { el: control, control, label: control });
    }
  }
  if (n.control) n.control.dataset.mirrorId = String(e.id);
  return n;
}

function set(obj, key, value) { if (obj[key] !== value) obj[key] = value; }
function attr(el, name, value) {
  if (value === null) { if (el.hasAttribute(name)) el.removeAttribute(name); } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

// Brings one node up to date with its entry; `field` is the text field before it (the "-" and
// "+" buttons of a number field are named after it).
function renderNode(n, e, field) {
  const d = n.data;
  if (n.role === 'status') {
    set(n.el, 'textContent', e.label === 'Status' ? e.value || '' : `${e.label}: ${e.value || ''}`);
    return;
  }
  if (d.label !== e.label) set(n.label, 'textContent', e.label);
  if ((e.label === '-' || e.label === '+') && field) attr(n.control, 'aria-label', `${e.label === '-' ? 'Decrease' : 'Increase'} ${field}`);
  set(n.control, 'disabled', !!e.disabled);
  const value = e.value || '';
  switch (n.role) {
    case 'textbox': case 'textarea':
      set(n.control, 'readOnly', !!e.readOnly);
      // While the person types here, the field's own value is a frame or two behind.
      if (n.control.value === value) n.editing = false;
      else if (!n.editing || document.activeElement !== n.control) { n.control.value = value; n.editing = false; }
      break;
    case 'password':
      // Only "set" or "" comes from C++: the secret itself never enters the tree from the page.
      if (!value && n.control.value && !n.editing) n.control.value = '';
      if (document.activeElement !== n.control) n.editing = false;
      break;
    case 'combobox': {
      const options = e.options || [];
      if (d.options !== options.join('\n')) {
        n.control.replaceChildren(...options.map((o) => element('option', { textContent: o })));
        d.options = options.join('\n');
      }
      set(n.control, 'selectedIndex', options.indexOf(value));
      break;
    }
    case 'checkbox': set(n.control, 'checked', !!e.checked); break;
    case 'disclosure': attr(n.control, 'aria-expanded', e.expanded ? 'true' : 'false'); break;
    case 'row': attr(n.control, 'aria-current', e.selected ? 'true' : null); break;
    default: break;
  }
  d.label = e.label;
}

function sectionFor(name) {
  let s = sections.get(name);
  if (!s) {
    const el = element('section');
    const body = element('div');
    if (name) {
      const heading = element('h2', { textContent: name, id: `osu-mirror-section-${sections.size}` });
      el.setAttribute('aria-labelledby', heading.id);
      el.append(heading);
    }
    el.append(body);
    s = { el, body, list: element('ul', {}, { 'aria-label': name || 'List' }) };
    sections.set(name, s);
  }
  return s;
}

// Makes `parent`'s children exactly `kids`, in order, moving only what is out of place.
function arrange(parent, kids) {
  let cur = parent.firstChild;
  for (const el of kids) {
    if (cur === el) cur = cur.nextSibling;
    else parent.insertBefore(el, cur);
  }
  while (cur) { const next = cur.nextSibling; cur.remove(); cur = next; }
}

function update() {
  pending = false;
  const start = performance.now();
  const { generation: g, full, entries } = JSON.parse(wasm().UTF8ToString(wasm()._osu_mirror_json()));
  if (g === generation) return;
  generation = g;
  if (full) rebuildOrder(entries);
  else for (const e of entries) patchNode(e);
  stats.updates += 1;
  stats.domMs += performance.now() - start;
}

// An entry changed in place; `was` names the id it had (a renamed profile's row gets a new one).
function patchNode(e) {
  const id = e.was ?? e.id;
  const n = nodes.get(id);
  if (!n) return;
  if (id !== e.id) {
    nodes.delete(id);
    nodes.set(e.id, n);
    if (n.control) n.control.dataset.mirrorId = String(e.id);
  }
  renderNode(n, e, n.field);
}

// Every entry, in order: nodes created, updated, moved into place and removed as needed.
function rebuildOrder(entries) {
  const order = new Map();
  const want = (parent, el) => {
    let kids = order.get(parent);
    if (!kids) { kids = []; order.set(parent, kids); }
    if (kids.at(-1) !== el) kids.push(el);
  };
  order.set(sectionsEl, []);
  order.set(liveEl, []);
  const seen = new Set();
  let field = '';
  for (const e of entries) {
    let n = nodes.get(e.id);
    if (n && n.role !== e.role) { n.el.remove(); n = null; }
    if (!n) { n = createNode(e); nodes.set(e.id, n); }
    seen.add(e.id);
    n.field = field;
    renderNode(n, e, field);
    if (n.role === 'textbox') field = e.label;
    if (n.role === 'status') { want(liveEl, n.el); continue; }
    const s = sectionFor(e.section);
    if (!order.has(s.body)) { want(sectionsEl, s.el); order.set(s.body, []); order.set(s.list, []); }
    if (n.role === 'row') { want(s.body, s.list); want(s.list, n.el); } else want(s.body, n.el);
  }
  for (const [id, n] of nodes) if (!seen.has(id)) { n.el.remove(); nodes.delete(id); }
  for (const [parent, kids] of order) arrange(parent, kids);
}

/** What the mirror cost so far: DOM updates (reading the entries included) and C++'s share per frame. */
export function mirrorStats() {
  return { updates: stats.updates, domMs: stats.domMs, wasmMs: root ? wasm()._osu_mirror_cost_ms() : 0 };
}

// Called by C++ (osu_js_mirror_changed) during a frame: read the entries once it has returned.
export function mirrorChanged() {
  if (!root || pending) return;
  pending = true;
  queueMicrotask(update);
}

const idOf = (el) => (el && el.dataset && el.dataset.mirrorId ? Number(el.dataset.mirrorId) : 0);
const nodeOf = (el) => nodes.get(idOf(el));

function activateByLabel(label) {
  for (const [id, n] of nodes) if (n.data.label === label && n.role === 'button' && !n.control.disabled) { wasm()._osu_mirror_activate(id); return; }
}

export function installMirror() {
  root = element('form', { id: 'accessible-mirror', className: 'visually-hidden', noValidate: true },
    { 'aria-label': 'OAuth Setup' });
  sectionsEl = element('div');
  liveEl = element('div', {}, { role: 'status', 'aria-live': 'polite' });
  root.append(element('h1', { textContent: 'OAuth Setup' }), sectionsEl, liveEl);
  root.addEventListener('submit', (e) => e.preventDefault());
  root.addEventListener('focusin', (e) => { const id = idOf(e.target); if (id) wasm()._osu_mirror_focus(id); });
  root.addEventListener('input', (e) => {
    const n = nodeOf(e.target);
    if (!n || !(n.role === 'textbox' || n.role === 'textarea' || n.role === 'password')) return;
    n.editing = true;
    call('osu_mirror_set_text', ['number', 'string'], [idOf(e.target), e.target.value]);
  });
  root.addEventListener('change', (e) => {
    const n = nodeOf(e.target);
    if (n && n.role === 'combobox') wasm()._osu_mirror_choose(idOf(e.target), e.target.selectedIndex);
    if (n && n.role === 'checkbox') wasm()._osu_mirror_activate(idOf(e.target));
  });
  root.addEventListener('click', (e) => {
    const n = nodeOf(e.target);
    if (n && (n.role === 'button' || n.role === 'row' || n.role === 'disclosure')) wasm()._osu_mirror_activate(idOf(e.target));
  });
  // Ctrl+Enter (Cmd+Enter on a Mac) runs Get Access Token from anywhere, as on the canvas.
  root.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); activateByLabel('Get Access Token'); }
  });
  // Pasting into an element here is the element's own (input.js turns window pastes into ImGui's).
  root.addEventListener('paste', (e) => e.stopPropagation());
  document.body.append(root);
}
