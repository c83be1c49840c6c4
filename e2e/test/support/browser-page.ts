import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** Test artifacts (git-ignored): one full-page screenshot per step. */
export const screenshotDirectory = join(repositoryRoot, '.test-results', 'screenshots');

export interface BrowserPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every console error and uncaught page error so far, in order. */
  consoleErrors: string[];
  /**
   * Every Content-Security-Policy violation so far (the page's `securitypolicyviolation` events, and console
   * messages naming the policy), in order. Each test's end asserts there is none: a panel that needs more
   * than its policy allows is broken in every browser that enforces it.
   */
  cspViolations: string[];
  /** URLs of every request the page made so far, in order. */
  requests: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, through playwright-core; console errors, page errors and Content-Security-
 * Policy violations are collected.
 */
export async function openBrowserPage(options: {
  baseUrl: string;
  screenshotPrefix: string;
}): Promise<BrowserPage> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({
    baseURL: options.baseUrl,
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: options.baseUrl });
  const consoleErrors: string[] = [];
  const cspViolations: string[] = [];
  const requests: string[] = [];
  // Init scripts and bindings come from the browser's side, not the page, so the policy does not stop them;
  // the listener is in place before the page's own scripts run, on every document the context opens.
  await context.exposeBinding('reportCspViolation', (_source, violation: string) => {
    cspViolations.push(violation);
  });
  await context.addInitScript(`
    document.addEventListener('securitypolicyviolation', (event) => {
      const where = event.sourceFile ? ' at ' + event.sourceFile + ':' + event.lineNumber : '';
      window.reportCspViolation(event.disposition + ' ' + event.effectiveDirective + ': ' +
        (event.blockedURI || 'inline') + where + ' on ' + document.location.href);
    });
  `);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('console', (message) => {
    if (message.type() === 'error')
      consoleErrors.push(`console error: ${message.text()} (${message.location().url})`);
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.stack ?? error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await mkdir(screenshotDirectory, { recursive: true });
  // A previous run's screenshots of this test go, so the directory shows this run's steps only.
  for (const file of await readdir(screenshotDirectory)) {
    if (file.startsWith(`${options.screenshotPrefix}-`))
      await rm(join(screenshotDirectory, file), { force: true });
  }
  let step = 0;
  return {
    browser,
    context,
    page,
    consoleErrors,
    cspViolations,
    requests,
    async screenshot(name) {
      step += 1;
      const path = join(
        screenshotDirectory,
        `${options.screenshotPrefix}-${String(step).padStart(2, '0')}-${name}.png`,
      );
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
