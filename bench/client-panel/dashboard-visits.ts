// Visits of one dashboard in headless Chromium: time from navigation start to the first frame painted after
// the dashboard marked itself ready (`<main data-state="ready">`), and the same run's baseline, the time
// to fetch the API answers that dashboard asked for, in the same page, without rendering them.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/**
 * Installed before any page script (as a string: this file is compiled without the DOM's types): records,
 * on the navigation's own clock (`performance.now()` counts from its start), the first frame after `<main>`
 * says `ready`; remembers an `error` or `empty` state too.
 */
const readinessScript = `
  const check = () => {
    const state = document.querySelector('main')?.dataset.state;
    if (state === undefined || state === 'loading' || window.__dashboardState !== undefined) return;
    window.__dashboardState = state;
    requestAnimationFrame(() => { window.__dashboardReadyAt = performance.now(); });
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'],
  });`;

export async function watchReadiness(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: readinessScript });
}

/** Resolves once the page's dashboard has settled (ready, empty or error) and a frame was painted. */
export async function waitUntilSettled(page: Page): Promise<void> {
  await page.waitForFunction('window.__dashboardReadyAt !== undefined', undefined, {
    timeout: 60_000,
    polling: 20,
  });
}

export interface Visit {
  /** Navigation start → first frame after ready, in ms. */
  readyMs: number;
  /** The read API requests the dashboard made (through the permission proxy), with their headers. */
  apiRequests: Array<{ url: string; headers: Record<string, string> }>;
}

export async function visit(page: Page, path: string): Promise<Visit> {
  const apiRequests: Visit['apiRequests'] = [];
  const onRequest = (request: { url(): string; headers(): Record<string, string> }) => {
    if (new URL(request.url()).pathname.startsWith('/api/'))
      apiRequests.push({ url: request.url(), headers: request.headers() });
  };
  page.on('request', onRequest);
  try {
    await page.goto(path, { waitUntil: 'commit' });
    await waitUntilSettled(page);
    const [state, readyAt] = await page.evaluate<[string, number]>(
      '[window.__dashboardState, window.__dashboardReadyAt]',
    );
    if (state !== 'ready') throw new Error(`${path} ended in state ${state}, not ready`);
    // The login page is "ready" too: a dashboard that read nothing was not shown.
    if (apiRequests.length === 0) throw new Error(`${path} made no read API request (logged out?)`);
    return { readyMs: readyAt, apiRequests };
  } finally {
    page.off('request', onRequest);
  }
}

/** First visits start from an empty HTTP cache (scripts, styles and answers fetched anew). */
export async function clearBrowserCache(session: CDPSession): Promise<void> {
  await session.send('Network.clearBrowserCache');
}

/**
 * The baseline: the same API requests, from the same page, all at once and bypassing the cache, answers
 * read to the end; what any client showing this data pays before rendering anything.
 */
export async function fetchOnly(page: Page, requests: Visit['apiRequests']): Promise<number> {
  const plain = requests.map((request) => ({
    url: request.url,
    authorization: request.headers.authorization ?? '',
  }));
  return page.evaluate(async (list) => {
    const started = performance.now();
    await Promise.all(
      list.map(async ({ url, authorization }) => {
        // Runs in the page; Node's RequestInit type (this file's) has no `cache`, the browser's has.
        const init = { cache: 'no-store', headers: authorization ? { authorization } : {} };
        const response = await fetch(url, init as RequestInit);
        if (!response.ok) throw new Error(`${url} answered ${response.status}`);
        await response.arrayBuffer();
      }),
    );
    return performance.now() - started;
  }, plain);
}
