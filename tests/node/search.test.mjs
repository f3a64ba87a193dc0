// The browser's search engine against `ntg search`, on the benchmark corpus built by
// scripts/test.sh: the same top ten (same URLs, same order, scores equal to f32 precision)
// for every query of tests/search/queries.json, and the same analyzer on every word the
// corpus's results can show.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';

const CORPUS = process.env.NTG_CORPUS;
const BIN = process.env.NTG_BIN;
if (!CORPUS || !BIN) throw new Error('set NTG_CORPUS (a built corpus) and NTG_BIN (ntg); scripts/test.sh does');
const QUERIES = JSON.parse(fs.readFileSync(new URL('../search/queries.json', import.meta.url), 'utf8'));
const FACETS = ['theme', 'group', 'outcome', 'type', 'region'];

let index;
let dir;
before(async () => {
  const search = path.join(CORPUS, 'public', 'search');
  dir = path.join(search, fs.readdirSync(search).find((d) => /^[0-9a-f]{12}$/.test(d)));
  // The engine as the build shipped it, not its source.
  const js = path.join(search, 'js', fs.readdirSync(path.join(search, 'js'))[0]);
  const { Index } = await import(path.join(js, 'engine.js'));
  index = await Index.open(async (p) => new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(dir, p)))));
});

function run(q, filters, format) {
  const args = ['search', '--root', CORPUS, '--format', format, '--limit', '10', '--', q];
  for (const key of FACETS) for (const v of filters[key] ?? []) args.splice(1, 0, `--${key}`, v);
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const cli = (q, filters) => JSON.parse(run(q, filters, 'json'));

// The fragments hold the href with the site's base path; ntg search prints the site path.
const sitePath = (href) => new URL(href, 'https://x.invalid').pathname;

test('the browser client ranks every query as ntg search does', async () => {
  assert.ok(QUERIES.length >= 200, 'at least 200 queries');
  let compared = 0, withResults = 0, filtered = 0;
  const failures = [];
  for (const { q, filters } of QUERIES) {
    const expected = cli(q, filters);
    const got = await index.search(q, filters, { limit: 10 });
    const urls = [];
    for (const h of got.hits) urls.push(sitePath((await index.fragment(h.doc)).u));
    const same = urls.length === expected.length
      && urls.every((u, i) => u === expected[i].url)
      && got.hits.every((h, i) => Math.abs(h.score - expected[i].score) <= 1e-6 * Math.max(1, expected[i].score));
    if (!same) failures.push(`${JSON.stringify(q)} ${JSON.stringify(filters)}\n  ntg:     ${expected.map((e) => `${e.url} ${e.score}`).join('\n           ')}\n  browser: ${urls.map((u, i) => `${u} ${got.hits[i].score}`).join('\n           ')}`);
    compared++;
    if (expected.length) withResults++;
    if (Object.keys(filters).length && expected.length) filtered++;
  }
  assert.deepEqual(failures, [], `${failures.length} of ${compared} differ:\n${failures.slice(0, 5).join('\n')}`);
  // A parity test that only ever compared empty lists would prove nothing.
  assert.ok(withResults >= 180, `only ${withResults} queries had results`);
  assert.ok(filtered >= 30, `only ${filtered} filtered queries had results`);
});

test('the browser analyzer makes the same terms as tantivy of every word of the corpus', async () => {
  const words = new Set();
  const add = (text) => { for (const m of text.matchAll(/[\p{Alphabetic}\p{N}]+/gu)) words.add(m[0]); };
  // Every word the corpus's documents are written with, and every word its results show.
  for (const f of fs.readdirSync(path.join(CORPUS, 'content'), { recursive: true })) {
    if (f.endsWith('.md')) add(fs.readFileSync(path.join(CORPUS, 'content', f), 'utf8'));
  }
  for (const f of fs.readdirSync(path.join(dir, 'd'))) {
    const frag = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'd', f))).toString('utf8'));
    for (const text of [frag.t, frag.s ?? '', frag.x]) add(text);
  }
  // Some words as typed, capitals, accents and digits included.
  for (const w of ['Families', 'LEARNING', 'naïve', 'Café', 'KS2', '2019', 'İstanbul', 'ΣΟΦΙΑ', 'x'.repeat(39), 'y'.repeat(40)]) words.add(w);
  const list = [...words].sort();
  const r = spawnSync(BIN, ['analyze'], { input: list.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const theirs = r.stdout.split('\n');
  const mismatches = list.filter((w, i) => index.analyzer.terms(w).join(' ') !== theirs[i]).map((w) => `${w}: browser ${index.analyzer.terms(w).join(' ')}, tantivy ${theirs[list.indexOf(w)]}`);
  assert.ok(list.length > 8000, `only ${list.length} words`);
  assert.deepEqual(mismatches.slice(0, 20), []);
});

test('a word that matches nothing gets a suggestion, and the word being typed matches as a prefix', async () => {
  const r = await index.search('familes', {});
  assert.equal(r.total, 0);
  assert.ok(r.suggestions.familes, JSON.stringify(r.suggestions));
  const typed = await index.search('famil', {}, { prefix: true });
  assert.ok(typed.total > 0, 'a prefix of "families" finds documents while typing');
  const whole = await index.search('famil', {});
  assert.equal(whole.total, 0, 'but not once the word is complete');
});

test('ntg search suggests the spelling the browser suggests', async () => {
  // Misspellings of a short and a long word, two in one query, a swap, a word beside a
  // good one, and words with no near term.
  const queries = ['familes', 'famly learning', 'young carrers', 'scohol attendance', 'parnets and carrers', 'childern', 'xqzzyv', 'attendance'];
  let suggested = 0;
  for (const q of queries) {
    const browser = (await index.search(q, {})).suggestion;
    const line = run(q, {}, 'human').split('\n').find((l) => l.startsWith('did you mean: '));
    assert.equal(line?.slice('did you mean: '.length) ?? null, browser, q);
    if (browser) suggested++;
  }
  assert.ok(suggested >= 5, `only ${suggested} queries got a suggestion`);
});

test('ntg search shows each result as the browser does: type, councils, standing, excerpt', async () => {
  let councils = 0, levels = 0;
  for (const q of ['family learning', 'young carers attendance', 'children in care', 'mentoring']) {
    const expected = cli(q, {});
    const got = await index.search(q, {}, { limit: 10 });
    assert.equal(got.hits.length, expected.length, q);
    for (const [i, h] of got.hits.entries()) {
      const r = await index.result(h.doc, got.terms);
      const e = expected[i];
      assert.equal(r.type, e.type, q);
      assert.deepEqual(r.councils, e.councils, q);
      assert.deepEqual(r.standing, e.standing, q);
      assert.equal(r.excerpt.map(([text]) => text).join(''), e.excerpt, q);
      assert.ok(!e.excerpt.includes('#'), `${e.url}: ${e.excerpt}`);
      councils += e.councils.length > 0;
      levels += e.standing.some((s) => /^Evidence level \d: /.test(s));
    }
  }
  assert.ok(councils > 0 && levels > 0, 'some results name councils and evidence levels');
});
