// Shared by the browser tests: Debian's Chromium through playwright-core, axe-core, artefacts,
// and a look into the tracker store. tests/test_e2e_web.py starts the servers and sets the env.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const BASE = required('TG_WEB_URL');
export const ARTIFACTS = process.env.TG_ARTIFACTS || path.join(ROOT, 'artifacts', 'browser');
export const CHROMIUM = process.env.TG_CHROMIUM || '/usr/bin/chromium';
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through pytest (tests/test_e2e_web.py)`);
  return value;
}

/** Headless Debian Chromium with the flags known to work on this machine; never a downloaded browser. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context. bypassCSP lets axe-core be injected; it also means the page's CSP does not
 *  hide an unsafe rendering from the XSS test. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ bypassCSP: true, locale: 'da-DK', viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  return page;
}

export async function screenshot(page, name, options = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

/** axe-core on the whole document, WCAG 2.0/2.1 A and AA rules; the violations, summarised. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_AA);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

/** How many events the tracker store holds for a conversation (a small Python helper reads it). */
export function storedEvents(sender) {
  const python = process.env.TG_PYTHON || path.join(ROOT, '.venv311', 'bin', 'python');
  const out = execFileSync(python, [path.join(here, 'count_events.py'), sender], { cwd: ROOT, encoding: 'utf8' });
  return Number.parseInt(out.trim(), 10);
}

export function webUrl(p) {
  return new URL(p, BASE).href;
}
