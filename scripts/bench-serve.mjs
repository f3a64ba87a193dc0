// Times `ntg serve` from a save to the reloaded page in a connected headless Chromium tab,
// on a benchmark corpus: the median of RUNS saves (default 5) of each of
//   body      one paragraph added to a case study's body
//   tag       that case study's first theme changed
//   template  the site's override of base.html edited (every page changes)
// with the server's own rebuild time for each, and the memory the server holds.
//   node scripts/bench-serve.mjs SITE    (scripts/bench-serve.sh writes SITE and calls this)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/node/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { startServe } = await import('../tests/node/ntg-serve.mjs');

const site = process.argv[2];
const runs = Number(process.env.RUNS ?? 5);
const bin = path.resolve('target/release/ntg');

const memory = (pid) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const started = performance.now();
const served = await startServe(site, 0, bin);
const firstBuild = served.lines.find((l) => l.startsWith('built in'));
console.log(`first build: ${firstBuild} (${((performance.now() - started) / 1000).toFixed(1)} s to serving)`);
const atStart = memory(served.pid);

const dir = path.join(site, 'content/case-studies');
const stem = fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== '_index.md').sort()[0].replace(/\.md$/, '');
const doc = path.join(dir, `${stem}.md`);
const template = path.join(site, 'templates/base.html');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const connected = page.waitForResponse((r) => r.url().endsWith('/__ntg/events'));
await page.goto(`${served.url}case-studies/${stem}/`);
await connected;
await page.waitForTimeout(500);

/** Saves with `save`, and returns the ms until the tab has loaded again and shows `seen`. */
async function timed(save, seen) {
  const builtBefore = served.lines.filter((l) => l.startsWith('built in')).length;
  const loaded = page.waitForEvent('load', { timeout: 120000 });
  const t0 = performance.now();
  save();
  await loaded;
  const took = performance.now() - t0;
  const html = await page.content();
  if (!html.includes(seen)) throw new Error(`the reloaded page does not show ${seen}`);
  while (served.lines.filter((l) => l.startsWith('built in')).length === builtBefore) {
    await page.waitForTimeout(5);
  }
  const line = served.lines.filter((l) => l.startsWith('built in')).at(-1);
  const rebuild = Number(line.match(/built in (\d+) ms/)[1]);
  await page.waitForTimeout(300);
  return { took, rebuild };
}

const original = fs.readFileSync(doc, 'utf8');
const base = fs.readFileSync(template, 'utf8');
const themes = original.match(/^themes: \[([^\],]+)/m)[1];
const other = themes === 'developing-leaders' ? 'links-between-services' : 'developing-leaders';
const edits = {
  body: (k) => timed(() => fs.writeFileSync(doc, `${original}\n\nBench paragraph ${k} for the serve timing.\n`),
    `Bench paragraph ${k} for`),
  tag: (k) => timed(() => fs.writeFileSync(doc, original.replace(/^themes: \[[^\],]+/m, `themes: [${k % 2 ? other : themes}`)),
    k % 2 ? `/themes/${other}/` : `/themes/${themes}/`),
  template: (k) => timed(() => fs.writeFileSync(template, base.replace('</footer>', `<p>Bench footer ${k}</p></footer>`)),
    `Bench footer ${k}`),
};
if (!base.includes('</footer>')) throw new Error('base.html has no </footer> to edit before');

const rows = [];
for (const [name, edit] of Object.entries(edits)) {
  const results = [];
  for (let k = 1; k <= runs; k += 1) results.push(await edit(k));
  rows.push({
    edit: name,
    'save to reloaded page, median (ms)': Math.round(median(results.map((r) => r.took))),
    'of which the rebuild, median (ms)': median(results.map((r) => r.rebuild)),
    runs: results.map((r) => Math.round(r.took)).join(', '),
  });
}
const atEnd = memory(served.pid);
console.table(rows);
console.log(`memory of ntg serve: ${atStart.rss.toFixed(0)} MB resident after the first build, `
  + `${atEnd.rss.toFixed(0)} MB after the edits (peak ${atEnd.peak.toFixed(0)} MB)`);
await browser.close();
await served.stop();
