#!/usr/bin/env node
// Real-browser checks of a built candor site, run by tests/browser.rs.
//
//   node tests/browser/check.mjs BASE_URL OUT_DIR SHOTS_DIR SITE_DIR
//
// BASE_URL is where `candor serve` serves OUT_DIR (for example http://127.0.0.1:4321/), built
// from SITE_DIR, which the embed checks edit to see the banner follow a rebuild.
// Drives the system Chromium (env CHROMIUM, default /usr/bin/chromium) through playwright-core;
// it never downloads a browser. For each page, at 390 and 1280 px wide, in light and dark, a page
// fails on a console error, an uncaught exception, a failed request or HTTP status >= 400, any
// request that leaves the server (those are blocked), or an axe-core violation of impact serious
// or critical under WCAG 2.0/2.1 A and AA. Each page is also walked with the Tab key, and the
// built index.html is opened from disk through file://.
//
// The front page's "Show only what I use" is used with the keyboard alone and remembered, and
// embed.js is tried on a page of another origin (a second HTTP server started here) under a strict
// Content-Security-Policy: shown for an affected component or audience and not otherwise,
// dismissed for good, following a rebuild, showing a hostile title as text, inside widget.html
// in an <iframe> too, without console errors or policy violations, and under 5 KB gzipped.
//
// Prints one line per check and ends with "browser: N passed, M failed"; exits 1 on any failure.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import zlib from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// The whole run must end well within the Rust test's patience.
const DEADLINE_MS = Number(process.env.BROWSER_CHECK_TIMEOUT_MS || 300_000);
// A page with more tab stops than this is treated as never letting focus cycle.
const MAX_TABS = 600;
// VERBOSE=1 lists every tab stop.
const VERBOSE = !['', '0', undefined].includes(process.env.VERBOSE);

const PAGES = [
  { name: 'index', path: 'index.html' },
  { name: 'incident', path: 'incidents/2026-11-20-webhook-deliveries-delayed/index.html' },
  { name: 'post-mortem', path: 'incidents/2026-11-09-storm-power-loss-helsinki-data-centre/index.html' },
  { name: 'component', path: 'components/payments/index.html' },
  { name: 'audience', path: 'for/online-shops/index.html' },
];
// Pages whose full-page screenshots are kept, under this file-name prefix.
const SCREENSHOTS = { index: 'index', incident: 'incident', audience: 'audience' };
const VARIANTS = [
  { width: 390, height: 844, scheme: 'light' },
  { width: 390, height: 844, scheme: 'dark' },
  { width: 1280, height: 800, scheme: 'light' },
  { width: 1280, height: 800, scheme: 'dark' },
];

let passed = 0;
let failed = 0;
let profile = null; // Chromium's fresh --user-data-dir, removed at the end

/** Prints one result line, with the problems indented under it. */
function report(label, problems, info = '') {
  const ok = problems.length === 0;
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${label}${info ? `  (${info})` : ''}`);
  for (const p of problems) console.log(`       - ${p}`);
}

function oneLine(text, max = 300) {
  const s = String(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Watches one tab: console errors, uncaught exceptions, failed requests, HTTP errors and
 * requests to anywhere but `isLocal` (which are blocked). `stop()` ends the recording, so
 * that requests cut off by closing the tab (the live-reload stream) are not counted.
 */
async function watch(page, isLocal) {
  const problems = [];
  let recording = true;
  const add = (p) => {
    if (recording) problems.push(p);
  };
  let requests = 0;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium's own note on a request blocked below, which is reported there already.
    if (m.text().includes('net::ERR_BLOCKED_BY_CLIENT')) return;
    const at = m.location();
    add(`console error: ${oneLine(m.text())}${at && at.url ? ` at ${at.url}:${at.lineNumber}` : ''}`);
  });
  page.on('pageerror', (e) => add(`uncaught exception: ${oneLine(e.message || e)}`));
  page.on('request', () => requests++);
  page.on('requestfailed', (r) => {
    if (!isLocal(r.url())) return; // blocked below, and reported there
    add(`request failed: ${r.url()} (${(r.failure() || {}).errorText || 'unknown error'})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) add(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    add(`request to another host (blocked): ${url}`);
    return route.abort('blockedbyclient');
  });
  return {
    problems,
    requests: () => requests,
    stop: () => {
      recording = false;
    },
  };
}

async function open(ctx, url, variant, isLocal) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: variant.width, height: variant.height });
  await page.emulateMedia({ colorScheme: variant.scheme, reducedMotion: 'reduce' });
  const log = await watch(page, isLocal);
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    if (!response) log.problems.push(`no response for ${url}`);
    // Web fonts and late requests; the live-reload stream never idles, so this is bounded.
    await page.waitForLoadState('networkidle', { timeout: 2_000 }).catch(() => {});
    await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true)).catch(() => {});
  } catch (e) {
    log.problems.push(`could not load ${url}: ${oneLine(e.message)}`);
  }
  return { page, log };
}

async function close(page, log) {
  log.stop();
  await page.close().catch(() => {});
}

/** axe-core violations as readable lines: rule, impact, and every element with its HTML. */
async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html,
        impact: n.impact,
        summary: n.failureSummary,
      })),
    }));
  }, AXE_TAGS);
  const lines = [];
  let minor = 0;
  for (const v of violations) {
    for (const n of v.nodes) {
      const impact = n.impact || v.impact;
      if (!FAILING_IMPACTS.has(impact)) {
        minor++;
        continue;
      }
      const why = oneLine((n.summary || '').replace(/^Fix (any|all) of the following:/, ''), 240);
      lines.push(`axe ${v.id} [${impact}] ${v.help}: ${n.target} — ${oneLine(n.html, 200)} — ${why}`);
    }
  }
  return { lines, minor };
}

/**
 * Presses Tab until focus comes back to the first element it reached, recording every stop.
 * Fails when the first stop is not a skip link to the main content, when some visible link is
 * never reached, or when focus never cycles (a keyboard trap, or too many stops).
 */
async function keyboard(ctx, url, isLocal) {
  const { page, log } = await open(ctx, url, { width: 1280, height: 800, scheme: 'light' }, isLocal);
  const problems = [];
  let stops = 0;
  try {
    await page.evaluate(() => {
      window.__tabStops = new Map();
    });
    const here = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body || el === document.documentElement) return null;
        const seen = window.__tabStops;
        if (!seen.has(el)) seen.set(el, seen.size);
        const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
        const href = el.getAttribute('href');
        return {
          id: seen.get(el),
          tag: el.tagName.toLowerCase(),
          describe: `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${
            el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''
          }${href !== null ? ` href="${href}"` : ''}> "${text}"`,
          skip:
            el.tagName === 'A' &&
            (href || '').startsWith('#') &&
            href.length > 1 &&
            (() => {
              const target = document.getElementById(decodeURIComponent(href.slice(1)));
              return !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main');
            })(),
          onScreen: (() => {
            const r = el.getBoundingClientRect();
            return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 &&
              r.top < window.innerHeight && r.left < window.innerWidth;
          })(),
        };
      });

    const order = [];
    let first = null;
    let previous = null;
    let sameInARow = 0;
    let cycled = false;
    for (let i = 0; i < MAX_TABS; i++) {
      await page.keyboard.press('Tab');
      const at = await here();
      if (i === 0) {
        if (!at) problems.push('the first Tab focused nothing (expected the skip link)');
        else if (!at.skip) problems.push(`the first Tab focused ${at.describe}, not a skip link to <main>`);
        else if (!at.onScreen) problems.push(`the skip link ${at.describe} stays off screen when focused`);
      }
      if (!at) continue; // focus left the page for a moment; the next Tab comes back in
      if (first === null) first = at.id;
      else if (at.id === first) {
        cycled = true;
        break;
      }
      stops++;
      if (VERBOSE) order.push(`${at.id}: ${at.describe}`);
      sameInARow = previous === at.id ? sameInARow + 1 : 0;
      if (sameInARow >= 3) {
        problems.push(`focus is stuck on ${at.describe}`);
        break;
      }
      previous = at.id;
    }
    if (!cycled && !problems.some((p) => p.startsWith('focus is stuck'))) {
      problems.push(`focus did not come back to the start after ${MAX_TABS} presses of Tab`);
    }
    const missed = await page.evaluate(() => {
      const seen = window.__tabStops;
      return [...document.querySelectorAll('a[href]')]
        .filter((a) => {
          if (seen.has(a)) return false;
          const r = a.getBoundingClientRect();
          const visible = a.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
          return visible && r.width > 0 && r.height > 0;
        })
        .map((a) => {
          const text = (a.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
          const path = [];
          for (let e = a; e && e !== document.body; e = e.parentElement) {
            let step = e.tagName.toLowerCase();
            if (e.id) step += `#${e.id}`;
            else if (typeof e.className === 'string' && e.className.trim()) {
              step += `.${e.className.trim().split(/\s+/).join('.')}`;
            }
            path.unshift(step);
          }
          return `${path.join(' > ')} href="${a.getAttribute('href')}" "${text}" (tabindex=${a.getAttribute('tabindex')})`;
        });
    });
    for (const m of missed) problems.push(`visible link never reached by Tab: ${m}`);
    for (const o of order) console.log(`       tab ${o}`);
  } catch (e) {
    problems.push(`keyboard check crashed: ${oneLine(e.message)}`);
  }
  problems.unshift(...log.problems);
  await close(page, log);
  return { problems, stops };
}

/** The built index.html straight from disk, as someone opening the output folder would see it. */
async function fromDisk(ctx, outDir) {
  const file = path.join(outDir, 'index.html');
  const isLocal = (u) => /^(file|data|blob|about):/.test(u);
  const { page, log } = await open(ctx, pathToFileURL(file).href, VARIANTS[2], isLocal);
  const text = await page
    .evaluate(() => (document.body ? document.body.innerText.trim().length : 0))
    .catch(() => 0);
  const problems = [...log.problems];
  if (text === 0) problems.push('the page shows no text');
  await close(page, log);
  return { problems, info: `${text} characters of text` };
}

/** The front page at 1280 × 800: the status, the ongoing incident's latest words and the components in one screen. */
async function oneScreen(ctx, url, isLocal) {
  const { page, log } = await open(ctx, url, VARIANTS[2], isLocal);
  const problems = [...log.problems];
  const top = (sel) => page.$eval(sel, (el) => el.getBoundingClientRect().top).catch(() => Infinity);
  const [banner, latest, components] = [await top('.banner'), await top('.card .latest'), await top('#components-h')];
  for (const [what, y] of [['the overall status', banner], ['the latest update', latest], ['the components', components]]) {
    if (!(y < 800)) problems.push(`${what} starts at ${y} px, below the first screen`);
  }
  const full = await page.$eval('.card .more a', (a) => a.textContent.trim()).catch(() => '');
  if (!full) problems.push('the ongoing incident has no link to its full timeline');
  await close(page, log);
  return { problems, info: `status at ${banner} px, latest update at ${latest} px, components at ${components} px` };
}

/**
 * An incident page with its clock running: the promised next update counts down and turns
 * overdue as the minutes pass, and once the site's status API says the page has changed, the
 * reader is offered the latest. The demo's frozen clock is taken off the page for this.
 */
async function live(ctx, url, root, isLocal) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const log = await watch(page, isLocal);
  let changed = false;
  await page.route(url, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/ data-now="[^"]*"/, '');
    await route.fulfill({ response, body: html });
  });
  await page.route(new URL('api/v2/status.json', root).href, async (route) => {
    const response = await route.fetch();
    const status = await response.json();
    if (changed) status.page.updated_at = '2999-01-01T00:00:00.000+00:00';
    await route.fulfill({ response, json: status });
  });
  await page.clock.install({ time: new Date('2026-11-20T14:05:00+02:00') });
  await page.goto(url, { waitUntil: 'load' });
  const due = () => page.$eval('.promise [data-due]', (el) => el.textContent.trim()).catch(() => '');
  const problems = [];
  const before = await due();
  await page.clock.fastForward(40 * 60_000);
  const after = await due();
  if (!before || before === after) problems.push(`the promise did not move with the clock: "${before}" then "${after}"`);
  const asOf = await page.$eval('.promise .as-of', (el) => el.hidden).catch(() => null);
  if (asOf !== true) problems.push('"as of" stays shown while the script keeps the promise current');
  changed = true;
  await page.clock.fastForward(61_000);
  await page.waitForSelector('.superseded', { timeout: 5_000 }).catch(() => {});
  const note = await page.$eval('.superseded', (el) => el.textContent.trim()).catch(() => '');
  if (!note) problems.push('no note that the page has changed');
  await close(page, log);
  problems.unshift(...log.problems);
  return { problems, info: `"${before}" → "${after}"; ${note ? 'told it changed' : 'not told'}` };
}

/** Presses Tab until `test` holds for the focused element; false if it never does. */
async function tabTo(page, test, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return true;
  }
  return false;
}

/**
 * The front page's "Show only what I use", with the keyboard alone: open it, pick an audience,
 * save; what it uses is then shown first, the choice survives a reload, no cookie is set, and the
 * page stays axe-clean with the choice shown. "Show everything" forgets it.
 */
async function chooser(ctx, url, isLocal) {
  const { page, log } = await open(ctx, url, VARIANTS[2], isLocal);
  const problems = [];
  let info = '';
  try {
    await page.evaluate(() => localStorage.clear());
    await page.reload({ waitUntil: 'load' });
    if (!(await tabTo(page, () => document.activeElement && document.activeElement.tagName === 'SUMMARY'))) {
      problems.push('Tab never reaches "Show only what I use"');
    }
    await page.keyboard.press('Enter');
    const radio = () => document.activeElement && document.activeElement.name === 'audience';
    if (!(await tabTo(page, radio))) problems.push('Tab never reaches the audiences');
    // Arrow keys move through a radio group; the first is Online shops in the demo.
    await page.keyboard.press('Space');
    const picked = await page.evaluate(() => (document.querySelector('input[name=audience]:checked') || {}).value);
    if (picked !== 'online-shops') problems.push(`Space picked ${picked}, not online-shops`);
    if (!(await tabTo(page, () => document.activeElement && document.activeElement.type === 'submit'))) {
      problems.push('Tab never reaches the button');
    }
    await page.keyboard.press('Enter');
    const yours = async () =>
      page.evaluate(() => {
        const panel = document.getElementById('yours');
        if (!panel) return null;
        return {
          components: [...panel.querySelectorAll('[data-component]')].map((li) => li.getAttribute('data-component')),
          links: [...panel.querySelectorAll('p a')].map((a) => a.getAttribute('href')),
          first: panel.nextElementSibling && panel.nextElementSibling.classList.contains('front'),
          status: (document.querySelector('#choose [role=status]') || {}).textContent || '',
        };
      });
    const shown = await yours();
    if (!shown) problems.push('nothing was shown first after saving');
    else {
      if (shown.components.join(' ') !== 'payments api webhooks') problems.push(`shown first: ${shown.components}`);
      if (!shown.links.some((h) => h.includes('webhook-deliveries-delayed'))) problems.push(`no link to the incident: ${shown.links}`);
      if (!shown.links.some((h) => h.includes('for/online-shops/'))) problems.push('no link to the audience page');
      if (!shown.status) problems.push('the choice was not announced');
      info = `shows ${shown.components.join(', ')} first`;
    }
    const { lines } = await axe(page);
    problems.push(...lines);
    await page.reload({ waitUntil: 'load' });
    if (!(await yours())) problems.push('the choice was forgotten on reload');
    const cookies = await ctx.cookies();
    if (cookies.length) problems.push(`cookies were set: ${cookies.map((c) => c.name)}`);
    await page.evaluate(() => document.getElementById('choose').open = true);
    await page.click('#choose button[type=button]');
    await page.reload({ waitUntil: 'load' });
    if (await yours()) problems.push('"Show everything" did not forget the choice');
  } catch (e) {
    problems.push(`crashed: ${oneLine(e.message)}`);
  }
  await close(page, log);
  // Reloading cuts the live-reload stream of `candor serve`; that is not a failure of the page.
  problems.unshift(...log.problems.filter((p) => !p.includes('/__candor/events (net::ERR_ABORTED)')));
  return { problems, info };
}

/** A second origin: serves host pages with a strict Content-Security-Policy that allows only the status site. */
async function hostServer(statusOrigin) {
  const csp = [
    "default-src 'none'",
    `script-src ${statusOrigin}`,
    `connect-src ${statusOrigin}`,
    `frame-src ${statusOrigin}`,
    // 'report-sample' names the blocked text, so the page's own probe is told apart from the banner.
    "style-src 'self' 'report-sample'",
    "img-src 'none'",
    "base-uri 'none'",
  ].join('; ');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const attrs = url.searchParams.get('attrs') || '';
    const frame = url.searchParams.get('frame');
    const body = frame
      ? `<iframe src="${statusOrigin}/widget.html?${frame}" title="Service status" width="600" height="120"></iframe>`
      : `<script src="${statusOrigin}/embed.js" ${attrs} async></script>`;
    const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Acme shop</title>
<style>#probe{color:rgb(255,0,0)}</style></head><body><main><h1>Acme shop</h1><p id="probe">Checkout</p>${body}</main></body></html>`;
    res.writeHead(url.pathname === '/host.html' ? 200 : 404, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-store',
    });
    res.end(url.pathname === '/host.html' ? html : 'not found');
  });
  await new Promise((resolve) => server.listen(0, 'localhost', resolve));
  return { server, origin: `http://localhost:${server.address().port}` };
}

/** A new tab that records every policy violation of every document it loads, in `page.violations`. */
async function recorded(ctx) {
  const page = await ctx.newPage();
  page.violations = [];
  await page.exposeFunction('__violation', (v) => page.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violation({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample || '' }),
    );
    // embed.js says each time it has brought the banner up to date.
    window.__shown = 0;
    document.addEventListener('candor:status', () => window.__shown++);
  });
  return page;
}

/** Waits until the banner on `page` has been brought up to date `n` times since the page loaded. */
async function refreshed(page, n = 1) {
  await page.waitForFunction((n) => window.__shown >= n, n, { timeout: 15_000 }).catch(() => {});
}

/** Opens a host page, recording policy violations and the status JSON requests; waits for the first answer. */
async function hostPage(ctx, url, allowed, wait = true) {
  const page = await recorded(ctx);
  await page.setViewportSize({ width: 1280, height: 800 });
  const log = await watch(page, allowed);
  const fetched = [];
  page.on('requestfinished', (r) => {
    if (r.url().endsWith('.json')) fetched.push(new URL(r.url()).pathname);
  });
  await page.goto(url, { waitUntil: 'load' });
  if (wait) await refreshed(page);
  return { page, log, fetched };
}

/** What the banner on `page` shows: one entry per incident, with its text, link and any markup in it. */
function banner(page, frame) {
  const target = frame ? page.frames().find((f) => f.url().includes('widget.html')) : page;
  if (!target) return Promise.resolve(null);
  return target.evaluate(() => {
    const host = document.querySelector('[data-candor-embed]');
    const root = host && (host.shadowRoot || host);
    if (!root) return [];
    return [...root.querySelectorAll('[data-incident]')].map((el) => ({
      id: el.getAttribute('data-incident'),
      text: el.textContent,
      href: (el.querySelector('a') || {}).href || null,
      markup: el.querySelectorAll('img, b, script').length,
    }));
  });
}

/** Problems with policy violations and console errors: only the host page's own blocked probe is expected. */
async function policy(page, log) {
  await page.waitForTimeout(100);
  const problems = [];
  const probe = page.violations.filter((v) => v.sample.includes('#probe'));
  const others = page.violations.filter((v) => !v.sample.includes('#probe'));
  if (!probe.length) problems.push("the CSP did not block the host page's own inline style: it is not enforced");
  for (const v of others) problems.push(`CSP violation: ${v.directive} blocked ${v.blocked} ${oneLine(v.sample, 80)}`);
  const color = await page.$eval('#probe', (el) => getComputedStyle(el).color);
  if (color === 'rgb(255, 0, 0)') problems.push('the inline style applied: the CSP is not enforced');
  // Chromium logs each refusal; the probe's, one per page load, are the only ones allowed.
  const refused = (p) => p.startsWith('console error: ') && p.includes('inline style violates');
  const refusals = log.problems.filter(refused).length;
  if (refusals !== probe.length) problems.push(`${refusals} inline styles refused, ${probe.length} of them the probe`);
  return [...log.problems.filter((p) => !refused(p)), ...problems];
}

/** embed.js and widget.html on a page of another origin, under a strict CSP. */
async function embedChecks(ctx, root, outDir, siteDir) {
  const statusOrigin = new URL(root).origin;
  const { server, origin } = await hostServer(statusOrigin);
  const allowed = (u) => u.startsWith(`${origin}/`) || u.startsWith(`${statusOrigin}/`) || /^(data|about|blob):/.test(u);
  const host = (attrs) => `${origin}/host.html?attrs=${encodeURIComponent(attrs)}`;
  try {
    const source = fs.readFileSync(path.join(outDir, 'embed.js'));
    const gzipped = zlib.gzipSync(source, { level: 9 }).length;
    const text = source.toString('utf8');
    const bad = ['eval(', 'new Function', 'innerHTML', 'insertAdjacentHTML', 'document.write', "setAttribute(\"style", 'cssText']
      .filter((s) => text.includes(s));
    report('embed.js size and code', [
      ...(gzipped < 5 * 1024 ? [] : [`${gzipped} bytes gzipped, over 5 KB`]),
      ...bad.map((b) => `uses ${b}`),
    ], `${source.length} bytes, ${gzipped} gzipped`);

    for (const [label, attrs, expect, json] of [
      ['affected component', 'data-components="webhooks,sms"', true, '/api/v2/summary.json'],
      ['unaffected component', 'data-components="sms"', false, '/api/v2/summary.json'],
      ['affected audience', 'data-audience="online-shops"', true, '/for/online-shops/summary.json'],
      ['unaffected audience', 'data-audience="in-store"', false, '/for/in-store/summary.json'],
    ]) {
      const { page, log, fetched } = await hostPage(ctx, host(attrs), allowed);
      const problems = [];
      const shown = (await banner(page)) || [];
      const webhook = shown.find((b) => b.id === '2026-11-20-webhook-deliveries-delayed');
      if (expect) {
        if (!webhook) problems.push(`no banner for the webhook incident: ${JSON.stringify(shown)}`);
        else {
          for (const want of ['Webhook deliveries delayed', 'Identified', 'Next update by']) {
            if (!webhook.text.includes(want)) problems.push(`the banner lacks "${want}": ${webhook.text}`);
          }
          // The incident's address as the status JSON gives it (the published site's, with base_url).
          if (!webhook.href || !webhook.href.endsWith('/incidents/2026-11-20-webhook-deliveries-delayed/index.html')) {
            problems.push(`the banner links to ${webhook.href}`);
          }
        }
        if (shown.some((b) => b.id.includes('legacy'))) problems.push('a notice was shown as a banner');
        const { lines } = await axe(page);
        problems.push(...lines);
      } else if (shown.length) {
        problems.push(`a banner was shown: ${JSON.stringify(shown)}`);
      }
      if (fetched.length !== 1 || fetched[0] !== json) problems.push(`requested ${JSON.stringify(fetched)}, not only ${json}`);
      problems.push(...(await policy(page, log)));
      log.stop();
      await page.close();
      report(`embed from another origin: ${label}`, problems, `${shown.length} shown`);
    }

    {
      const url = host('data-components="webhooks"');
      const { page, log } = await hostPage(ctx, url, allowed);
      const problems = [];
      await page.evaluate(() => localStorage.clear());
      await page.reload({ waitUntil: 'load' });
      await refreshed(page);
      const close = page.locator('[data-candor-embed] button');
      if ((await close.count()) !== 1) problems.push(`${await close.count()} dismiss buttons`);
      else {
        await close.focus();
        await page.keyboard.press('Enter');
        if ((await banner(page)).length) problems.push('Enter on the dismiss button did not hide the banner');
      }
      await page.reload({ waitUntil: 'load' });
      await refreshed(page);
      if ((await banner(page)).length) problems.push('the dismissed banner came back after a reload');
      problems.push(...(await policy(page, log)));
      log.stop();
      await page.close();
      report('embed: dismissed stays dismissed', problems);
    }

    {
      const { page, log } = await hostPage(ctx, `${origin}/host.html?frame=${encodeURIComponent('components=webhooks')}`, allowed, false);
      const frame = page.frames().find((f) => f.url().includes('widget.html'));
      if (frame) await frame.waitForSelector('[data-candor-embed]', { state: 'attached', timeout: 15_000 }).catch(() => {});
      const shown = (await banner(page, true)) || [];
      const problems = [];
      if (!shown.some((b) => b.text.includes('Webhook deliveries delayed'))) problems.push(`widget.html shows ${JSON.stringify(shown)}`);
      problems.push(...(await policy(page, log)));
      log.stop();
      await page.close();
      report('widget.html in an iframe on another origin', problems, `${shown.length} shown`);
    }

    {
      const page = await recorded(ctx);
      const log = await watch(page, allowed);
      const problems = [];
      await page.clock.install();
      await page.goto(host('data-audience="developers"'), { waitUntil: 'load' });
      await page.evaluate(() => localStorage.clear());
      await refreshed(page);
      const before = ((await banner(page)) || []).map((b) => b.text).join(' | ');
      if (!before.includes('Webhook deliveries delayed')) problems.push(`before the rebuild: ${before}`);
      const hostile = '<img src=x onerror="window.__pwned=1">Webhooks <b>late</b> & "<script>window.__pwned=2</script>';
      const file = path.join(siteDir, 'incidents', '2026-11-20-webhook-deliveries-delayed.yaml');
      const yaml = fs.readFileSync(file, 'utf8').replace('title: Webhook deliveries delayed', `title: ${JSON.stringify(hostile)}`);
      fs.writeFileSync(file, yaml);
      let rebuilt = false;
      for (let i = 0; i < 100 && !rebuilt; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const json = await fetch(`${statusOrigin}/for/developers/summary.json`).then((r) => r.json()).catch(() => null);
        rebuilt = !!json && json.incidents.some((inc) => inc.name === hostile);
      }
      if (!rebuilt) problems.push('candor serve did not rebuild within 20 s');
      await page.clock.fastForward(61_000);
      await refreshed(page, 2);
      const after = (await banner(page)) || [];
      const item = after.find((b) => b.id === '2026-11-20-webhook-deliveries-delayed');
      if (!item || !item.text.includes(hostile)) problems.push(`after the rebuild the banner shows ${JSON.stringify(after)}`);
      if (after.some((b) => b.markup > 0)) problems.push('the hostile title became markup');
      const pwned = await page.evaluate(() => window.__pwned);
      if (pwned !== undefined) problems.push(`the hostile title ran code: ${pwned}`);
      problems.push(...(await policy(page, log)));
      log.stop();
      await page.close();
      report('embed: follows a rebuild within a minute, hostile title inert', problems, item ? oneLine(item.text, 80) : '');
    }
  } catch (e) {
    report('embed', [`crashed: ${oneLine(e.message)}`]);
  } finally {
    server.close();
  }
}

async function main() {
  const [base, outDir, shotsDir, siteDir] = process.argv.slice(2);
  if (!base || !outDir || !shotsDir || !siteDir) {
    console.error('usage: node check.mjs BASE_URL OUT_DIR SHOTS_DIR SITE_DIR');
    process.exit(2);
  }
  const origin = new URL(base).origin;
  const root = base.endsWith('/') ? base : `${base}/`;
  // Only the server under test; data:/blob:/about: never leave the browser.
  const isLocal = (u) => /^(data|blob|about):/.test(u) || u === origin || u.startsWith(`${origin}/`);
  fs.mkdirSync(shotsDir, { recursive: true });

  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-chromium-'));
  let ctx;
  try {
    // Playwright hands `profile` to Chromium as --user-data-dir.
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
      viewport: { width: 1280, height: 800 },
    });
    for (const p of PAGES) {
      const url = new URL(p.path, root).href;
      for (const v of VARIANTS) {
        const label = `${p.name} ${v.width} ${v.scheme}`;
        const { page, log } = await open(ctx, url, v, isLocal);
        const problems = log.problems;
        let info = '';
        try {
          const { lines, minor } = await axe(page);
          problems.push(...lines);
          info = `${log.requests()} requests, axe: ${lines.length} serious/critical, ${minor} minor/moderate`;
          if (SCREENSHOTS[p.name]) {
            const shot = path.join(shotsDir, `${SCREENSHOTS[p.name]}-${v.width}-${v.scheme}.png`);
            await page.screenshot({ path: shot, fullPage: true });
          }
        } catch (e) {
          problems.push(`check crashed: ${oneLine(e.message)}`);
        }
        // Anything logged while checking counts too, so read the problems only after closing.
        await close(page, log);
        report(label, problems, info);
      }
    }
    for (const p of PAGES) {
      const { problems, stops } = await keyboard(ctx, new URL(p.path, root).href, isLocal);
      report(`${p.name} keyboard 1280 light`, problems, `${stops} tab stops`);
    }
    const disk = await fromDisk(ctx, outDir);
    report('index file://', disk.problems, disk.info);
    const screen = await oneScreen(ctx, new URL('index.html', root).href, isLocal);
    report('index one screen 1280', screen.problems, screen.info);
    const running = await live(ctx, new URL(PAGES[1].path, root).href, root, isLocal);
    report('incident with a running clock', running.problems, running.info);
    const mine = await chooser(ctx, new URL('index.html', root).href, isLocal);
    report('index "Show only what I use" by keyboard', mine.problems, mine.info);
    await embedChecks(ctx, root, outDir, siteDir);
  } catch (e) {
    report('browser', [`crashed: ${oneLine(e.message)}`]);
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const timer = setTimeout(() => {
  report('browser', [`gave up after ${DEADLINE_MS / 1000} s`]);
  console.log(`browser: ${passed} passed, ${failed} failed`);
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  process.exit(1); // Playwright ends the browser it started as this process exits
}, DEADLINE_MS);
await main();
clearTimeout(timer);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
