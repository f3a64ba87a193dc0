// Accessibility of the built digest in real headless Chromium: axe-core's WCAG 2.2 A and AA
// rules on one page of every template, plus what axe cannot see: the skip link is the first
// thing a keyboard reaches, pages reflow at 320 CSS pixels, and print hides navigation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { servedSite, axeViolations, cspViolations } from './browser.mjs';

const SITE = process.env.NTG_SITE;
if (!SITE) throw new Error('set NTG_SITE to a built digest (scripts/test.sh does)');

// One page of each template the theme has.
function samplePages() {
  const first = (dir) => {
    const entries = fs.readdirSync(path.join(SITE, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'page').map((e) => e.name).sort();
    assert.ok(entries.length > 0, `no pages under ${dir}`);
    return `/${dir}/${entries[0]}/`;
  };
  return ['/', '/case-studies/', first('case-studies'), '/hypotheses/', first('hypotheses'),
    '/evidence/', first('evidence'), '/themes/', first('themes'), '/groups/', first('groups'),
    '/outcomes/', first('outcomes'), '/local-authorities/', first('local-authorities'),
    // An authority with documents, gap figures and statistical neighbours; a case study that
    // charts its indicators; the gap data and the evidence map.
    '/local-authorities/E08000035/', '/case-studies/gap-report-for-the-board/',
    '/indicators/', first('indicators'), '/evidence-map/', mapCell(), '/search/',
    '/about/', '/accessibility/', '/404.html'];
}

// The first cell page of the evidence map.
function mapCell() {
  const base = path.join(SITE, 'evidence-map', 'groups');
  const group = fs.readdirSync(base).sort()[0];
  const outcome = fs.readdirSync(path.join(base, group)).sort()[0];
  return `/evidence-map/groups/${group}/${outcome}/`;
}

const site = servedSite(SITE);

test('every template passes axe-core WCAG 2.2 AA', async () => {
  const page = await site.browser.newPage();
  const failures = [];
  for (const p of samplePages()) {
    const res = await page.goto(site.server.url + p);
    assert.equal(res.status(), p === '/404.html' ? 200 : 200, p);
    for (const v of await axeViolations(page)) {
      failures.push(`${p}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
    }
  }
  await page.close();
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('no page breaks its Content-Security-Policy, search included', async () => {
  const page = await site.browser.newPage();
  const violations = cspViolations(page);
  for (const p of samplePages()) await page.goto(site.server.url + p, { waitUntil: 'load' });
  // The search page's script, worker and fetches of the index, all under the policy.
  await page.goto(site.server.url + '/search/?q=family+learning');
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0);
  await page.close();
  assert.deepEqual(violations, [], violations.join('\n'));
});

test('the first Tab reaches a visible skip link to the main content', async () => {
  const page = await site.browser.newPage();
  await page.goto(site.server.url + samplePages()[2]);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { text: el.textContent, href: el.getAttribute('href'), visible: box.left >= 0 && box.width > 0 };
  });
  assert.equal(focused.text, 'Skip to main content');
  assert.equal(focused.href, '#main-content');
  assert.ok(focused.visible, 'skip link is on screen when focused');
  await page.keyboard.press('Enter');
  assert.ok(await page.evaluate(() => document.getElementById('main-content') !== null));
  await page.close();
});

test('pages reflow at 320 CSS pixels without horizontal scrolling', async () => {
  const page = await site.browser.newPage({ viewport: { width: 320, height: 640 } });
  for (const p of samplePages()) {
    await page.goto(site.server.url + p);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${p} scrolls sideways by ${overflow}px at 320px wide`);
  }
  await page.close();
});

test('print hides navigation and keeps the content', async () => {
  const page = await site.browser.newPage();
  await page.goto(site.server.url + samplePages()[2]);
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => ({
    nav: getComputedStyle(document.querySelector('.site-nav')).display,
    main: getComputedStyle(document.querySelector('main')).display,
  }));
  assert.equal(shown.nav, 'none');
  assert.notEqual(shown.main, 'none');
  await page.close();
});

test('pages make no request outside the site', async () => {
  const page = await site.browser.newPage();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(site.server.url)) outside.push(r.url()); });
  for (const p of samplePages()) await page.goto(site.server.url + p, { waitUntil: 'networkidle' });
  assert.deepEqual(outside, []);
  await page.close();
});

test('every chart has a text alternative and its numbers in a table', async () => {
  const page = await site.browser.newPage();
  const council = '/local-authorities/E08000035/';
  await page.goto(site.server.url + council);
  // The glance's spine chart names every indicator in its description.
  const spine = await page.evaluate(() => {
    const svg = document.querySelector('figure.spine-figure svg');
    const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
    return { role: svg.getAttribute('role'), name: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') };
  });
  assert.equal(spine.role, 'img');
  assert.match(spine.name, /England [0-9.-]+, neighbours' median [0-9.-]+/, 'the spine describes each row in words');
  // Each indicator's own page, linked from the glance, charts its trend.
  const details = await page.evaluate((c) => [...new Set([...document.querySelectorAll('.glance a[href]')]
    .map((a) => a.getAttribute('href')).filter((h) => h.startsWith(c) && h !== c && !h.includes('#')))], council);
  assert.ok(details.length >= 10, `expected a page per indicator, found ${details.length}`);
  for (const d of details) {
    await page.goto(site.server.url + d);
    const charts = await page.evaluate(() => [...document.querySelectorAll('figure.chart-figure')].map((f) => {
      const svg = f.querySelector('svg');
      const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
      const name = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      const rows = f.querySelectorAll('details table tbody tr').length;
      return { role: svg.getAttribute('role'), name, rows };
    }));
    assert.equal(charts.length, 1, `${d} charts its indicator`);
    for (const c of charts) {
      assert.equal(c.role, 'img', d);
      assert.match(c.name, /gap of [0-9.]+/, `${d}: the description gives the latest gap`);
      assert.ok(c.rows > 0, `${d}: the table behind the chart has rows`);
    }
  }
  // The disclosure opens from the keyboard and shows the table.
  const summary = page.locator('details.chart-data summary').first();
  await summary.focus();
  await page.keyboard.press('Enter');
  assert.ok(await page.locator('details.chart-data table').first().isVisible());
  await page.close();
});
