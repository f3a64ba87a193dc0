// Launches Debian's Chromium headless through playwright-core (no browser download), serves
// a built site to it for a test file, and runs axe-core's WCAG 2.2 AA rules on a page.
import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves `root` and starts a browser before the file's tests; both end after them. */
export function servedSite(root) {
  const s = {};
  before(async () => {
    s.server = await serve(path.resolve(root));
    s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
  return s;
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** axe-core's violations of WCAG 2.2 A and AA (and its best practices) on the page as it is. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, not added as an inline <script>: the page's
  // Content-Security-Policy forbids inline scripts, and the tests run under it.
  await page.evaluate(AXE);
  const result = await page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values } }), TAGS);
  return result.violations;
}

/** Collects what Chromium reports of the page breaking its Content-Security-Policy. */
export function cspViolations(page) {
  const found = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) found.push(`${page.url()}: ${m.text()}`);
  });
  return found;
}
