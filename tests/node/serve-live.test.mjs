// ntg serve in headless Chromium: an open tab reloads itself when its page is saved, swaps
// its stylesheet when only the stylesheet changed, and shows the errors of a broken save
// over the page, without moving it, until the save that fixes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, axeViolations, cspViolations } from './browser.mjs';
import { startServe } from './ntg-serve.mjs';

const FIXTURE = path.join(process.env.NTG_ROOT, 'tests/fixtures/valid');
const LEEDS = 'content/case-studies/leeds-family-reading.md';
const PAGE = 'case-studies/leeds-family-reading/';

let site;
let served;
let browser;

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'ntg-live-'));
  fs.cpSync(FIXTURE, site, { recursive: true });
  served = await startServe(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await served?.stop();
  fs.rmSync(site, { recursive: true, force: true });
});

/** Replaces `from` with `to` in the site's file `rel`, written in place as an editor saves. */
function edit(rel, from, to) {
  const file = path.join(site, rel);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${rel} holds ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** A tab at `address`, resolved once its live script is connected and told the state. */
async function openTab(address, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const violations = cspViolations(page);
  const connected = page.waitForResponse((r) => r.url().endsWith('/__ntg/events'));
  await page.goto(served.url + address);
  await connected;
  // The first state arrives with the stream's head; give the script a moment to take it.
  await page.waitForTimeout(200);
  return { page, violations };
}

test('an open tab reloads by itself when its page is saved', async () => {
  const { page, violations } = await openTab(PAGE);
  await page.evaluate(() => { window.notReloaded = true; });
  const reloaded = page.waitForEvent('load');
  edit(LEEDS, 'title: "Leeds: family reading club"', 'title: "Leeds: family reading circle"');
  await reloaded;
  assert.equal(await page.evaluate(() => window.notReloaded), undefined, 'the page was loaded again');
  assert.match(await page.locator('h1').innerText(), /family reading circle/);
  assert.deepEqual(violations, []);
  await page.close();
});

test('a stylesheet-only save swaps the stylesheet without reloading', async () => {
  const { page } = await openTab(PAGE);
  await page.evaluate(() => { window.notReloaded = true; });
  const before = await page.evaluate(() => getComputedStyle(document.body).outlineStyle);
  assert.notEqual(before, 'dotted');
  const css = fs.readFileSync(path.join(process.env.NTG_ROOT, 'themes/default/static/css/ntg.css'), 'utf8');
  fs.mkdirSync(path.join(site, 'static/css'), { recursive: true });
  fs.writeFileSync(path.join(site, 'static/css/ntg.css'), `${css}\nbody { outline: 3px dotted #000; }\n`);
  await page.waitForFunction(() => getComputedStyle(document.body).outlineStyle === 'dotted', null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  fs.rmSync(path.join(site, 'static'), { recursive: true });
  await page.waitForFunction(() => getComputedStyle(document.body).outlineStyle !== 'dotted', null, { timeout: 30000 });
  await page.close();
});

test('a broken save shows the errors over the page where it was, and the fix clears them', async () => {
  const { page, violations } = await openTab(PAGE, { width: 360, height: 640 });
  await page.evaluate(() => window.scrollTo(0, 400));
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 0, 'the page scrolls at 360 px');
  edit(LEEDS, 'outcomes: [enjoying-and-achieving]', 'outcomes: [enjoying-and-acheiving]');
  const overlay = page.locator('#ntg-live-errors');
  await overlay.waitFor({ timeout: 30000 });
  const text = await overlay.innerText();
  assert.match(text, /1 error/);
  assert.match(text, new RegExp(`${LEEDS}:8:\\d+`));
  assert.match(text, /enjoying-and-achieving/, 'the help names the outcome meant');
  assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'the page did not move');
  assert.match(await page.locator('h1').innerText(), /Leeds/, 'the last good page is still shown');
  const found = await axeViolations(page);
  assert.deepEqual(found.map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.html).join(" ")}`), []);
  await page.screenshot({ path: path.join(os.tmpdir(), 'ntg-live-overlay-360.png') });

  edit(LEEDS, 'outcomes: [enjoying-and-acheiving]', 'outcomes: [enjoying-and-achieving]');
  await overlay.waitFor({ state: 'detached', timeout: 30000 });
  assert.deepEqual(violations, []);
  await page.close();
});

test('a tab reconnects to a restarted server and catches up', async () => {
  const { page } = await openTab(PAGE);
  await page.evaluate(() => { window.notReloaded = true; });
  const port = new URL(served.url).port;
  await served.stop();
  edit(LEEDS, 'summary: Carers and children in care read together weekly.',
    'summary: Carers and children in care read together, restarted.');
  const reloaded = page.waitForEvent('load', { timeout: 30000 });
  served = await startServe(site, port);
  await reloaded;
  assert.match(await page.content(), /read together, restarted/);
  await page.close();
});
