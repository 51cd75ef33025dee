#!/usr/bin/env node
// Real-browser checks of corrections on a site built from a repository the Rust test made
// (tests/browser.rs): an update corrected after publishing and a breach count that grew.
//
//   node tests/browser/corrections.mjs BASE_URL SHOTS_DIR
//
// For each of the two incident pages, at 390 and 1280 px, light and dark: no console error,
// failed request or request to another host, no serious or critical axe-core violation with
// every disclosure open, and the disclosure opens by keyboard alone (no script on the page is
// needed). Screenshots of the corrected parts, disclosures open, go to SHOTS_DIR as
// correction-update-WIDTH-SCHEME.png and correction-breach-WIDTH-SCHEME.png.
//
// Prints one line per check and ends with "corrections browser: N passed, M failed".

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGES = [
  { name: 'update', path: 'incidents/2026-03-14-card-payments/index.html', part: '#timeline-h + .timeline > li' },
  { name: 'breach', path: 'incidents/2026-03-14-emails-exposed/index.html', part: 'section.breach' },
];
const VARIANTS = [
  { width: 390, height: 844, scheme: 'light' },
  { width: 1280, height: 800, scheme: 'light' },
  { width: 1280, height: 800, scheme: 'dark' },
];

let passed = 0;
let failed = 0;

function report(label, problems, info = '') {
  if (problems.length === 0) passed++;
  else failed++;
  console.log(`${problems.length === 0 ? 'PASS' : 'FAIL'} ${label}${info ? `  (${info})` : ''}`);
  for (const p of problems) console.log(`       - ${p}`);
}

async function check(ctx, root, origin, page, variant, shots) {
  const tab = await ctx.newPage();
  const problems = [];
  tab.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  tab.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  await tab.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || /^(data|blob|about):/.test(url)) return route.continue();
    problems.push(`request to another host (blocked): ${url}`);
    return route.abort('blockedbyclient');
  });
  tab.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
  await tab.setViewportSize({ width: variant.width, height: variant.height });
  await tab.emulateMedia({ colorScheme: variant.scheme, reducedMotion: 'reduce' });
  await tab.goto(new URL(page.path, root).href, { waitUntil: 'load' });
  // The disclosure opens from the keyboard, with the page's script switched off.
  await tab.evaluate(() => document.querySelectorAll('script').forEach((s) => s.remove()));
  const summary = tab.locator('details.edits summary').first();
  await summary.focus();
  await tab.keyboard.press('Enter');
  const open = await tab.$eval('details.edits', (d) => d.open).catch(() => false);
  if (!open) problems.push('Enter on the summary did not open the earlier versions');
  await tab.$$eval('details.edits', (all) => all.forEach((d) => { d.open = true; }));
  const earlier = await tab.$eval('details.edits', (d) => d.innerText).catch(() => '');
  if (!/removed|Until/.test(earlier)) problems.push(`the earlier version is not shown: "${earlier}"`);
  await tab.evaluate(AXE_SOURCE);
  const violations = await tab.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `axe ${v.id} [${v.impact}]: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
  problems.push(...violations);
  const part = tab.locator(page.part).first();
  await part.screenshot({ path: path.join(shots, `correction-${page.name}-${variant.width}-${variant.scheme}.png`) });
  await tab.close();
  report(`${page.name} ${variant.width} ${variant.scheme}`, problems, `${violations.length} serious/critical`);
}

async function main() {
  const [base, shots] = process.argv.slice(2);
  if (!base || !shots) {
    console.error('usage: node corrections.mjs BASE_URL SHOTS_DIR');
    process.exit(2);
  }
  const root = base.endsWith('/') ? base : `${base}/`;
  const origin = new URL(base).origin;
  fs.mkdirSync(shots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-chromium-'));
  let ctx;
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      timeout: 60_000,
    });
    for (const page of PAGES) {
      for (const variant of VARIANTS) {
        await check(ctx, root, origin, page, variant, shots).catch((e) =>
          report(`${page.name} ${variant.width} ${variant.scheme}`, [`crashed: ${e.message}`]),
        );
      }
    }
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const timer = setTimeout(() => {
  report('corrections browser', ['gave up after 180 s']);
  console.log(`corrections browser: ${passed} passed, ${failed} failed`);
  process.exit(1);
}, 180_000);
await main();
clearTimeout(timer);
console.log(`corrections browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
