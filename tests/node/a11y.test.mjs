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
  // Each row of the glance has a spine, an image named by the row in words.
  const rows = await page.locator('.glance-table tbody tr:not(.glance-group)').count();
  const spines = page.locator('.glance-table').getByRole('img', { name: /England [0-9.-]+, neighbours' median [0-9.-]+; \d+ councils from/ });
  assert.ok(rows >= 10, `${rows} rows`);
  assert.equal(await spines.count(), rows, 'every row has a spine described in words');
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

// A council page, one of its indicator pages, an indicator's page and a case study with a chart.
const PHONE_PAGES = ['/local-authorities/E08000035/', '/local-authorities/E08000035/ks2-rwm-child-in-need/',
  '/indicators/ks2-rwm-child-in-need/', '/case-studies/gap-report-for-the-board/'];

test('at 360 px chart text is 12 px or more, wide tables scroll in labelled containers with their captions in view, and axe passes', async () => {
  const page = await site.browser.newPage({ viewport: { width: 360, height: 740 } });
  for (const p of PHONE_PAGES) {
    await page.goto(site.server.url + p);
    // Open the tables behind the charts, so they are measured too.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const found = await page.evaluate(() => {
      const smallest = [...document.querySelectorAll('svg text')].filter((t) => t.getBoundingClientRect().width > 0)
        .map((t) => {
          const svg = t.ownerSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return { px: parseFloat(getComputedStyle(t).fontSize) * scale, text: t.textContent };
        }).sort((a, b) => a.px - b.px)[0];
      const tables = [...document.querySelectorAll('main table')].filter((t) => t.getBoundingClientRect().width > 0).map((t) => {
        const box = t.closest('.table-scroll');
        const wide = t.getBoundingClientRect().width > document.querySelector('main').getBoundingClientRect().width + 1;
        const labels = (box?.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id)).filter(Boolean);
        const label = labels[0];
        const r = label?.getBoundingClientRect();
        return {
          wide, inBox: !!box, tabindex: box?.getAttribute('tabindex'), role: box?.getAttribute('role'),
          name: labels.map((l) => l.textContent.trim()).join(' '),
          labelOutside: !!label && !box.contains(label),
          labelInView: !!r && r.width > 0 && r.left >= 0 && r.right <= innerWidth + 1,
          captionInside: !!box?.querySelector('caption'),
        };
      });
      return { smallest, tables };
    });
    if (p === PHONE_PAGES[0]) {
      // The council's spines hold no text: their words are the table's. They keep their size.
      const widths = await page.locator('.glance-table svg.spine').evaluateAll((s) => s.map((e) => e.getBoundingClientRect().width));
      assert.ok(widths.length > 0 && widths.every((w) => w >= 100), `spines ${widths}`);
    } else {
      assert.ok(found.smallest, `${p} has a chart`);
    }
    if (found.smallest) assert.ok(found.smallest.px >= 12, `${p}: "${found.smallest.text}" is ${found.smallest.px.toFixed(1)} px`);
    assert.ok(found.tables.some((t) => t.inBox), `${p} has a table in a scroll container`);
    for (const t of found.tables.filter((t) => t.wide || t.inBox)) {
      assert.ok(t.inBox, `${p}: a wide table outside a scroll container`);
      assert.equal(t.tabindex, '0', p);
      assert.equal(t.role, 'region', p);
      assert.ok(t.name.length > 0, `${p}: an unlabelled scroll container`);
      assert.ok(t.labelOutside && !t.captionInside, `${p}: the caption "${t.name}" is inside the scroll container`);
      assert.ok(t.labelInView, `${p}: the caption "${t.name}" is cut off`);
    }
    const v = await axeViolations(page);
    assert.deepEqual(v.map((x) => `${p}: ${x.id}: ${x.help}`), []);
  }
  await page.close();
});

test('on a phone the header navigation is behind a Menu button, and a plain list without JavaScript', async () => {
  const page = await site.browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(site.server.url + '/');
  const link = page.locator('.site-nav a', { hasText: 'Local authorities' });
  const button = page.getByRole('button', { name: 'Menu' });
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.ok(!(await link.isVisible()), 'the links wait behind the button');
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.ok(await link.isVisible());
  await page.close();
  // At a laptop's width the list shows and the button does not.
  const wide = await site.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await wide.goto(site.server.url + '/');
  assert.ok(await wide.locator('.site-nav a', { hasText: 'Local authorities' }).isVisible());
  assert.ok(!(await wide.getByRole('button', { name: 'Menu' }).isVisible()));
  await wide.close();
  const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const plain = await context.newPage();
  await plain.goto(site.server.url + '/');
  assert.equal(await plain.getByRole('button', { name: 'Menu' }).count(), 0);
  assert.ok(await plain.locator('.site-nav a', { hasText: 'Local authorities' }).isVisible());
  await context.close();
});

test('a council page prints on one to four A4 pages: its gaps, the spine chart, the widest gaps and the source', async () => {
  const { PDFDocument } = await import('pdf-lib');
  const page = await site.browser.newPage();
  await page.goto(site.server.url + '/local-authorities/E08000035/');
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const shown = (s) => { const e = document.querySelector(s); return !!e && e.getClientRects().length > 0; };
    const after = getComputedStyle(document.querySelector('.glance-table a'), '::after').content;
    return { glance: shown('.glance-table'), spine: shown('.glance-table svg.spine'), widest: shown('.widest'), source: shown('.glance-source'),
      nav: shown('.site-nav'), search: shown('.site-search'), documents: shown('#documents'), after,
      href: document.querySelector('.glance-table a').getAttribute('href') };
  });
  assert.deepEqual({ ...printed, after: undefined, href: undefined }, { glance: true, spine: true, widest: true, source: true,
    nav: false, search: false, documents: false, after: undefined, href: undefined });
  assert.ok(printed.after.includes(printed.href), `the link's target is printed (${printed.after})`);
  const pdf = await PDFDocument.load(await page.pdf({ format: 'A4' }));
  const pages = pdf.getPageCount();
  assert.ok(pages >= 1 && pages <= 4, `${pages} A4 pages`);
  await page.close();
});
