// Measures what a first search costs on a built site, in headless Chromium:
//   node scripts/search-bench.mjs SITE_PUBLIC_DIR [PAGEFIND=1] "query one" "query two" ...
// For each query: the bytes the search page fetches to show its first ten results (scripts,
// meta, shards, facets, fragments; the HTML page and its CSS are the page itself and are
// not counted), and, in Node with every file already in memory, how long the engine takes
// to answer (open, search, ten fragments and excerpts), the median of 20 runs. With
// PAGEFIND=1 and a Pagefind index at SITE/pagefind, the same query through Pagefind's API.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve } from '../tests/node/serve.mjs';
import { launch } from '../tests/node/browser.mjs';
import { Index } from '../themes/default/static/search/engine.js';

const [site, ...args] = process.argv.slice(2);
const pagefind = args[0] === 'PAGEFIND=1';
const queries = pagefind ? args.slice(1) : args;
const server = await serve(path.resolve(site));
const browser = await launch();

async function transfer(url, done) {
  const page = await browser.newPage();
  const sizes = {};
  const pending = [];
  page.on('response', (r) => pending.push(r.body().then((b) => {
    const u = new URL(r.url()).pathname;
    const kind = u.includes('/search/js/') || u.endsWith('.js') ? 'js'
      : /\/meta\.bin$|pagefind-entry|\.pf_meta$/.test(u) ? 'meta'
      : /\/t\/|\.pf_index$/.test(u) ? 'shards'
      : /\/f\/|\.pf_filter$/.test(u) ? 'facets'
      : /\/d\/|\.pf_fragment$/.test(u) ? 'fragments'
      : /\.wasm/.test(u) ? 'wasm' : 'page';
    sizes[kind] = (sizes[kind] ?? 0) + b.length;
  }, () => {})));
  await page.goto(server.url + url);
  await page.waitForFunction(done, null, { timeout: 60000 });
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  await page.close();
  delete sizes.page;
  return { ...sizes, total: Object.values(sizes).reduce((a, b) => a + b, 0) };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const searchDir = path.join(site, 'search', fs.readdirSync(path.join(site, 'search')).find((d) => /^[0-9a-f]{12}$/.test(d)));
const files = new Map();
const load = async (p) => {
  if (!files.has(p)) files.set(p, new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(searchDir, p)))));
  return files.get(p);
};

if (pagefind) {
  fs.writeFileSync(path.join(site, 'pf-bench.html'), `<!DOCTYPE html><meta charset="utf-8"><title>pf</title><script type="module">
const pf = await import('/pagefind/pagefind.js');
const q = new URLSearchParams(location.search).get('q');
const s = await pf.search(q);
window.shown = (await Promise.all(s.results.slice(0, 10).map((r) => r.data()))).length;
window.total = s.results.length;
</script>`);
}

for (const q of queries) {
  const ours = await transfer(`/search/?q=${encodeURIComponent(q)}`, () => document.getElementById('search-status').textContent !== '');
  // In Node, with every file the query needs already in memory.
  const times = [];
  let hits = 0;
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    const index = await Index.open(load);
    const r = await index.search(q, {}, { limit: 10 });
    for (const h of r.hits) index.excerpt((await index.fragment(h.doc)).x, r.terms);
    times.push(performance.now() - t);
    hits = r.total;
  }
  times.sort((a, b) => a - b);
  const parts = Object.entries(ours).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${kb(v)}`).join(', ');
  console.log(`"${q}": ntg ${kb(ours.total)} (${parts}); ${hits} matches; answered in ${times[10].toFixed(1)} ms once its files are in memory`);
  if (pagefind) {
    const pf = await transfer(`/pf-bench.html?q=${encodeURIComponent(q)}`, () => window.shown !== undefined);
    const pparts = Object.entries(pf).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${kb(v)}`).join(', ');
    console.log(`"${q}": pagefind ${kb(pf.total)} (${pparts})`);
  }
}
await browser.close();
await server.close();
