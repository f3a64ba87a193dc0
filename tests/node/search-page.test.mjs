// The search page in headless Chromium, on the digest scripts/test.sh built: the results
// ntg search gives, in #search-results, from the address, from typing, from filters, with
// Back restoring the last search; text from queries and documents shown as text; and a
// page that still helps without JavaScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { serve } from './serve.mjs';
import { servedSite, axeViolations } from './browser.mjs';

const SITE = process.env.NTG_SITE;
const ROOT = process.env.NTG_ROOT;
const BIN = process.env.NTG_BIN;
if (!SITE || !ROOT || !BIN) throw new Error('set NTG_SITE, NTG_ROOT and NTG_BIN; scripts/test.sh does');
const site = servedSite(SITE);

/** `ntg search --format json`'s results. */
function cliHits(root, args) {
  const r = spawnSync(BIN, ['search', '--root', root, '--output', SITE, '--format', 'json', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const cli = (root, args) => cliHits(root, args).map((h) => h.url);

/** The result links once the page has answered `expected` results (or says none). */
async function results(page) {
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  return page.$$eval('#search-results a', (as) => as.map((a) => new URL(a.href).pathname));
}

/** In the page: does #search-results list exactly these paths (a JSON array)? */
const shows = (want) => JSON.stringify([...document.querySelectorAll('#search-results a')].map((a) => new URL(a.href).pathname)) === want;

async function open(url) {
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.server.url + url);
  return { page, errors };
}

test('a query in the address shows ntg search\'s results, in its order', async () => {
  const { page, errors } = await open('/search/?q=family+learning');
  const shown = await results(page);
  assert.deepEqual(shown, cli(ROOT, ['family learning']));
  assert.ok(shown.length >= 3);
  assert.equal(await page.inputValue('#search-q'), 'family learning');
  assert.match(await page.textContent('#search-results'), /learn/i, 'excerpts show the matched words');
  assert.ok(await page.$('#search-results mark'), 'matched words are highlighted');
  assert.deepEqual(errors, []);
  await page.close();
});

test('filters in the address narrow the results and are ticked', async () => {
  const { page } = await open('/search/?q=children&theme=engaging-parents&type=case-study');
  assert.deepEqual(await results(page), cli(ROOT, ['--theme', 'engaging-parents', '--type', 'case-study', 'children']));
  assert.ok(await page.isChecked('#f-theme-engaging-parents'));
  assert.ok(await page.isChecked('#f-type-case-study'));
  const count = await page.textContent('[data-count="type:hypothesis"]');
  assert.match(count, /^\(\d+\)$/, 'each filter shows how many results it would give');
  await page.close();
});

test('typing searches as you type, ticking a filter goes in the address, Back restores', async () => {
  const { page } = await open('/search/');
  await page.fill('#search-q', 'famil');
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0);
  assert.match(page.url(), /\?q=famil$/);
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('No results'));
  await page.fill('#search-q', 'children');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('for “children”'));
  const before = await results(page);
  await page.check('#f-type-hypothesis');
  await page.waitForURL(/type=hypothesis/);
  const narrowed = cli(ROOT, ['--type', 'hypothesis', 'children']);
  assert.notDeepEqual(narrowed, before);
  await page.waitForFunction(shows, JSON.stringify(narrowed));
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes('type='));
  assert.equal(await page.isChecked('#f-type-hypothesis'), false);
  await page.waitForFunction(shows, JSON.stringify(before));
  await page.close();
});

test('a word with no match offers a spelling', async () => {
  const { page } = await open('/search/?q=familly');
  await results(page);
  assert.match(await page.textContent('#search-suggestion'), /Did you mean famil/);
  await page.click('#search-suggestion a');
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0);
  await page.close();
});

test('each result shows its type, its councils and its evidence level or status, as ntg search does', async () => {
  const { page } = await open('/search/?q=family+learning');
  await results(page);
  const shown = await page.$$eval('#search-results .result', (items) => items.map((li) => ({
    url: new URL(li.querySelector('.result-title a').href).pathname,
    type: li.querySelector('.result-type').textContent,
    standing: [...li.querySelectorAll('.result-standing')].map((s) => s.textContent),
    councils: li.querySelector('.result-councils')?.textContent.split(', ') ?? [],
  })));
  const expected = cliHits(ROOT, ['family learning']).map(({ url, type, standing, councils }) => ({ url, type, standing, councils }));
  assert.deepEqual(shown, expected);
  const caseStudy = shown.find((r) => r.type === 'Case study');
  assert.ok(caseStudy, 'a case study among the results');
  assert.match(caseStudy.standing[0], /^Evidence level \d: \w+/);
  assert.ok(caseStudy.councils.length > 0 && caseStudy.councils.every((c) => c.length > 0));
  assert.ok(shown.some((r) => r.type === 'Hypothesis' && /^Status: /.test(r.standing[0])), 'a hypothesis shows its status');
  await page.close();
});

test('excerpts hold no heading anchor marks', async () => {
  const { page } = await open('/search/?q=extended+schools');
  await results(page);
  const excerpts = await page.$$eval('#search-results .result-excerpt', (ps) => ps.map((p) => p.textContent));
  assert.ok(excerpts.length > 0);
  assert.ok(excerpts.some((e) => e.includes('Twenty extended schools')), 'a heading reads as its words');
  for (const e of excerpts) assert.ok(!e.includes('#'), e);
  await page.close();
});

test('filters that leave no results offer the same query without them', async () => {
  const { page } = await open('/search/?q=extended+schools&type=page');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('No results'));
  assert.ok(await page.isVisible('#search-unfilter a'));
  const href = await page.getAttribute('#search-unfilter a', 'href');
  const target = new URL(href, page.url());
  assert.equal(target.pathname + target.search, '/search/?q=extended+schools', 'a plain link to the query alone');
  await page.click('#search-unfilter a');
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0);
  assert.equal(await page.isChecked('#f-type-page'), false);
  assert.deepEqual(await results(page), cli(ROOT, ['extended schools']));
  assert.equal(await page.isVisible('#search-unfilter'), false);
  // Followed as a link (a new tab, or no script to catch the click), it asks the same.
  await page.goto(target.href);
  assert.deepEqual(await results(page), cli(ROOT, ['extended schools']));
  await page.close();
});

test('the header search box of every page leads to the search page', async () => {
  const { page } = await open('/case-studies/');
  await page.fill('#site-search-q', 'young carers');
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\/search\/\?q=young\+carers/);
  assert.deepEqual(await results(page), cli(ROOT, ['young carers']));
  await page.close();
});

test('the search page with results passes axe-core WCAG 2.2 AA', async () => {
  const { page } = await open('/search/?q=parents&group=children-in-care');
  await results(page);
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
  await page.close();
});

test('without JavaScript the search page offers the listing pages', async () => {
  const context = await site.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(site.server.url + '/search/?q=care');
  assert.ok(await page.isVisible('.search-noscript'));
  const links = await page.$$eval('.browse a', (as) => as.map((a) => new URL(a.href).pathname));
  for (const want of ['/themes/', '/groups/', '/outcomes/', '/case-studies/', '/local-authorities/']) assert.ok(links.includes(want), want);
  await context.close();
});

test('a query or a document holding <script> is shown as text', async () => {
  // A site whose document's title and body hold markup-like text.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ntg-xss-'));
  fs.cpSync(new URL('../fixtures/valid', import.meta.url), work, { recursive: true });
  fs.writeFileSync(path.join(work, 'content/hypotheses/markup.md'), [
    '---', 'title: "Tom <script>window.pwned = 1</script> and <b>bold</b> claims"', 'summary: Quoting <img src=x onerror="window.pwned=2"> safely.',
    'themes: [engaging-parents]', 'groups: [young-carers]', 'outcomes: [staying-safe]', 'status: testing', '---', '',
    'Writers sometimes quote `<script>window.pwned = 3</script>` in prose.', ''].join('\n'));
  const built = spawnSync(BIN, ['build', '--root', work, '--base-url', 'https://example.org/'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  const marked = await serve(path.join(work, 'public'));
  const page = await site.browser.newPage();
  try {
    await page.goto(`${marked.url}/search/?q=${encodeURIComponent('pwned <script>alert(1)</script>')}`);
    await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
    assert.match(await page.textContent('#search-status'), /<script>alert\(1\)<\/script>/, 'the query is shown as typed');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.goto(`${marked.url}/search/?q=pwned`);
    await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0);
    assert.match(await page.textContent('#search-results'), /Tom <script>window\.pwned = 1<\/script> and <b>bold<\/b> claims/);
    assert.equal(await page.$$eval('#search-results script, #search-results b, #search-results img', (els) => els.length), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
  } finally {
    await page.close();
    await marked.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
