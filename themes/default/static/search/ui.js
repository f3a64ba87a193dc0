// The search page: keeps the query and filters in the address (so results can be shared
// and Back works), asks the worker, and shows results as links in #search-results. Every
// piece of text from the index is set as text, never as HTML.
const form = document.getElementById('search-form');
const input = document.getElementById('search-q');
const results = document.getElementById('search-results');
const status = document.getElementById('search-status');
const suggestion = document.getElementById('search-suggestion');
const unfilter = document.getElementById('search-unfilter');
const boxes = [...form.elements].filter((e) => e.type === 'checkbox');
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

let next = 0;
const pending = new Map();
worker.onmessage = ({ data }) => { pending.get(data.id)?.(data); pending.delete(data.id); };
// A worker that cannot start answers every pending and later question with its error.
let broken = null;
worker.onerror = (e) => {
  broken = e.message || 'the search script could not start';
  for (const [id, resolve] of pending) { resolve({ error: broken }); pending.delete(id); }
};
const ask = (message) => new Promise((resolve) => {
  if (broken) { resolve({ error: broken }); return; }
  const id = ++next;
  pending.set(id, resolve);
  worker.postMessage({ id, ...message });
});
const ready = ask({ open: new URL(form.dataset.meta, location.href).href });

function state() {
  const filters = {};
  for (const b of boxes) if (b.checked) (filters[b.name] ??= []).push(b.value);
  return { q: input.value, filters };
}

function address({ q, filters }) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  for (const [key, values] of Object.entries(filters)) for (const v of values) p.append(key, v);
  const s = p.toString();
  return location.pathname + (s ? `?${s}` : '');
}

function fromAddress() {
  const p = new URLSearchParams(location.search);
  input.value = p.get('q') ?? '';
  for (const b of boxes) b.checked = p.getAll(b.name).includes(b.value);
}

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

function show(q, r) {
  results.replaceChildren();
  suggestion.hidden = true;
  for (const c of document.querySelectorAll('[data-count]')) {
    const [key, value] = c.dataset.count.split(':');
    const facet = r.counts?.[key];
    const i = boxes.filter((b) => b.name === key).findIndex((b) => b.value === value);
    c.textContent = facet ? `(${facet[i]})` : '';
  }
  if (r.suggestion) {
    const fixed = r.suggestion;
    const link = el('a', { href: address({ ...state(), q: fixed }), textContent: fixed });
    link.addEventListener('click', (e) => { e.preventDefault(); input.value = fixed; run(true); });
    suggestion.replaceChildren('Did you mean ', link, '?');
    suggestion.hidden = false;
  }
  offerUnfiltered(q, r);
  if (!q.trim()) { status.textContent = ''; return; }
  status.textContent = r.error ? `Search failed: ${r.error}` : r.total === 0
    ? `No results for “${q}”.`
    : `${r.total} ${r.total === 1 ? 'result' : 'results'} for “${q}”${r.total > r.results.length ? `, the best ${r.results.length} shown` : ''}.`;
  if (!r.results?.length) return;
  const list = el('ol', { className: 'result-list' });
  for (const hit of r.results) {
    const excerpt = el('p', { className: 'result-excerpt' });
    for (const [text, mark] of hit.excerpt) excerpt.append(mark ? el('mark', { textContent: text }) : text);
    list.append(el('li', { className: 'result' },
      el('h2', { className: 'result-title' }, el('a', { href: hit.url, textContent: hit.title })),
      about(hit),
      hit.labels.length ? el('p', { className: 'result-meta result-labels', textContent: hit.labels.join(' · ') }) : '',
      excerpt));
  }
  results.append(list);
}

/** What a result is, how far it can be relied on and where it is from: what an officer
 * weighs first. */
function about(hit) {
  const meta = el('p', { className: 'result-meta' }, el('span', { className: 'result-type', textContent: hit.type }));
  for (const s of hit.standing) meta.append(' · ', el('span', { className: 'result-standing', textContent: s }));
  if (hit.councils.length) meta.append(' · ', el('span', { className: 'result-councils', textContent: hit.councils.join(', ') }));
  return meta;
}

/** With filters that leave nothing, a link to the same query without them: a plain link,
 * so it also works opened in a new tab. */
function offerUnfiltered(q, r) {
  const { filters } = state();
  const filtered = Object.keys(filters).length > 0;
  unfilter.hidden = !(q.trim() && filtered && !r.error && r.total === 0);
  if (unfilter.hidden) { unfilter.replaceChildren(); return; }
  const link = el('a', { href: address({ q, filters: {} }), textContent: `Search for “${q}” without the filters` });
  link.addEventListener('click', (e) => { e.preventDefault(); for (const b of boxes) b.checked = false; run(true); });
  unfilter.replaceChildren('The filters leave no results. ', link, '.');
}

let latest = 0;
async function run(push, prefix = false) {
  const s = state();
  const url = address(s);
  // Typing has already put this address in place; a second entry would make Back stall.
  if (push && url !== location.pathname + location.search) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  const mine = ++latest;
  const opened = await ready;
  const r = opened.error ? opened : await ask({ q: s.q, filters: s.filters, prefix });
  if (mine === latest) show(s.q, r);
}

let typing;
input.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => run(false, true), 120); });
form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(typing); run(true); });
for (const b of boxes) b.addEventListener('change', () => run(true));
addEventListener('popstate', () => { fromAddress(); run(false); });
fromAddress();
if (location.search) run(false);
