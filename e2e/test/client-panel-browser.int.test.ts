import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { parseContentSecurityPolicy, waitFor } from '@repopulse/core/testing';
import type { Download, Page } from 'playwright-core';
import { openBrowserPage, type BrowserPage } from './support/browser-page.js';
import { analyst, startDashboardPlatform, type DashboardPlatform } from './support/dashboard-platform.js';

const stepTimeoutMs = 120_000;

interface ActivityBucket {
  start: string;
  commits: number;
  pullRequestsOpened: number;
  releases: number;
  stars: number;
  forks: number;
}
interface Portfolio {
  owner: string;
  repositories: { total: number; active: number; archived: number };
  stars: number;
  forks: number;
  languages: Array<{ language: string; repositories: number; bytes: number }>;
  topRepositories: Array<{ owner: string; name: string; stars: number; healthScore: number | null }>;
  activity: { series: ActivityBucket[] };
  health: { median: number | null; distribution: Array<{ bucket: string; repositories: number }> };
}
interface RepositoryDetail {
  repository: { stars: number; forks: number };
  metrics: Record<string, number | null>;
  health: { score: number; components: Array<{ name: string; weight: number; score: number | null }> };
}

interface TrendingRepository {
  owner: string;
  name: string;
  primaryLanguage: string | null;
  stars: number | null;
  healthScore: number | null;
}
interface Trends {
  fastestGrowing: Array<TrendingRepository & { starsGained: number }>;
  mostActive: Array<TrendingRepository & { commits: number }>;
  languages: Array<{ language: string }>;
}
interface Comparison {
  repositories: Array<{ healthScore: number | null; metrics: Record<string, number | null> }>;
}

const fullName = (repository: { owner: string; name: string }) => `${repository.owner}/${repository.name}`;
/** As the UI writes numbers (English, at most one decimal). */
const english = (value: number | null) =>
  value === null
    ? '—'
    : new Intl.NumberFormat('en', { maximumFractionDigits: Number.isInteger(value) ? 0 : 1 }).format(value);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('the analyst dashboards in a browser, on data through the real pipeline (real processes)', () => {
  let platform: DashboardPlatform;
  let browser: BrowserPage;
  let page: Page;
  let token: string;

  before(async () => {
    platform = await startDashboardPlatform();
    token = await platform.tokenFor(analyst.username, analyst.password);
    browser = await openBrowserPage({ baseUrl: platform.proxyUrl, screenshotPrefix: 'client-panel' });
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** Each step ends here: no console error, no page error, nothing the Content-Security-Policy refused. */
  function assertNoConsoleErrors(): void {
    assert.deepEqual(browser.cspViolations, [], 'the page broke its Content-Security-Policy');
    assert.deepEqual(browser.consoleErrors, [], 'the page logged errors');
  }

  const api = <T>(path: string) => platform.getJson<T>(`/api/v1${path}`, token);

  /** Waits until the dashboard says it has drawn its data. */
  async function waitForReady(): Promise<void> {
    await page.locator('main[data-state="ready"]').waitFor();
  }

  const stat = (key: string) => page.locator(`[data-stat="${key}"] dd`).textContent();
  const column = (table: string, index: number) =>
    page.locator(`table[data-table="${table}"] tbody tr > :nth-child(${index})`).allTextContents();

  /** Clicks an export button and returns the downloaded file's name and bytes. */
  async function download(buttonName: string): Promise<{ name: string; content: Buffer }> {
    const [file] = await Promise.all([
      page.waitForEvent('download') as Promise<Download>,
      page.getByRole('button', { name: buttonName, exact: true }).click(),
    ]);
    return { name: file.suggestedFilename(), content: await readFile((await file.path())!) };
  }

  test(
    'an analyst logs in with the keyboard and lands on the trends',
    { timeout: stepTimeoutMs },
    async () => {
      await page.goto('/');
      const username = page.getByLabel('Username');
      await username.waitFor();
      assert.ok(await username.evaluate((element) => element === element.ownerDocument.activeElement));
      await browser.screenshot('login');
      await page.keyboard.type(analyst.username);
      await page.keyboard.press('Tab');
      await page.keyboard.type(analyst.password);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Trends' }).waitFor();
      assertNoConsoleErrors();
    },
  );

  test(
    'the organisation portfolio shows the output gateway’s figures',
    { timeout: stepTimeoutMs },
    async () => {
      await page.goto('/organizations/acme');
      await waitForReady();
      const portfolio = await api<Portfolio>('/organizations/acme');
      assert.equal(await stat('repositories'), english(portfolio.repositories.total));
      assert.equal(await stat('active'), english(portfolio.repositories.active));
      assert.equal(await stat('archived'), english(portfolio.repositories.archived));
      assert.equal(await stat('stars'), english(portfolio.stars));
      assert.equal(await stat('forks'), english(portfolio.forks));
      assert.equal(await stat('health-median'), english(portfolio.health.median));
      assert.equal(portfolio.repositories.total, 3);
      assert.deepEqual(
        await column('top-repositories', 1),
        portfolio.topRepositories.map((repository) => `${repository.owner}/${repository.name}`),
      );
      assert.deepEqual(
        await column('top-repositories', 3),
        portfolio.topRepositories.map((repository) => english(repository.stars)),
      );
      assert.deepEqual(
        await column('top-repositories', 5),
        portfolio.topRepositories.map((repository) => english(repository.healthScore)),
      );
      assert.deepEqual(
        await column('language-table', 1),
        portfolio.languages.map((language) => language.language),
      );
      assert.deepEqual(
        await column('health', 2),
        portfolio.health.distribution.map((bucket) => english(bucket.repositories)),
      );
      const commits = (await column('activity', 2)).map(Number);
      assert.equal(commits.length, portfolio.activity.series.length);
      assert.deepEqual(
        commits,
        portfolio.activity.series.map((bucket) => bucket.commits),
      );
      assert.ok(sum(commits) > 0);
      assert.equal(await page.locator('[data-chart] canvas').count(), 4);
      await browser.screenshot('organization-portfolio');

      const csv = await download('Download Top repositories as CSV');
      assert.equal(csv.name, 'acme-top-repositories.csv');
      const lines = csv.content.toString('utf8').trimEnd().split('\r\n');
      assert.equal(lines[0], 'owner,name,stars,forks,primaryLanguage,archived,healthScore');
      assert.deepEqual(
        lines.slice(1).map((line) => line.split(',').slice(0, 3).join(',')),
        portfolio.topRepositories.map(
          (repository) => `${repository.owner},${repository.name},${repository.stars}`,
        ),
      );
      const png = await download('Download Activity over time as PNG');
      assert.equal(png.name, 'acme-activity.png');
      assert.deepEqual([...png.content.subarray(1, 4)], [...Buffer.from('PNG')]);
      assertNoConsoleErrors();
    },
  );

  test(
    'a change of interval is kept in the URL, and the deep link opens that view',
    { timeout: stepTimeoutMs },
    async () => {
      await page.getByLabel('Interval').selectOption('month');
      await page.waitForURL(/\/organizations\/acme\?interval=month$/);
      await waitForReady();
      const monthly = await api<Portfolio>('/organizations/acme?interval=month');
      assert.deepEqual(
        (await column('activity', 2)).map(Number),
        monthly.activity.series.map((bucket) => bucket.commits),
      );
      await page.goBack();
      await waitForReady();
      assert.equal(await page.getByLabel('Interval').inputValue(), 'week');
      await page.goto('/organizations/acme?interval=month&range=90d');
      await waitForReady();
      assert.equal(await page.getByLabel('Interval').inputValue(), 'month');
      assert.equal(await page.getByLabel('Activity range').inputValue(), '90d');
      assert.ok((await column('activity', 2)).length <= 4, 'ninety days are at most four months');
      assertNoConsoleErrors();
    },
  );

  test(
    'the repository dashboard shows the health score, its parts and the activity',
    { timeout: stepTimeoutMs },
    async () => {
      await page.goto('/organizations/acme');
      await waitForReady();
      await page
        .locator('table[data-table="top-repositories"]')
        .getByRole('link', { name: 'acme/rockets' })
        .click();
      await page.getByRole('heading', { level: 1, name: 'acme/rockets' }).waitFor();
      await waitForReady();
      assert.equal(new URL(page.url()).pathname, '/repositories/acme/rockets');
      const [detail, activity] = await Promise.all([
        api<RepositoryDetail>('/repositories/acme/rockets'),
        api<{ series: ActivityBucket[] }>('/repositories/acme/rockets/activity'),
      ]);
      assert.equal(
        await page.locator('[data-stat="health-score"] .score-value').textContent(),
        english(detail.health.score),
      );
      assert.deepEqual(
        await column('health-components', 3),
        detail.health.components.map((component) => english(component.score)),
      );
      assert.equal(await stat('stars'), english(detail.repository.stars));
      assert.equal(await stat('commits_90d'), english(detail.metrics.commits_90d!));
      assert.equal(await stat('contributors_90d'), english(detail.metrics.contributors_90d!));
      assert.equal(await stat('bus_factor_365d'), english(detail.metrics.bus_factor_365d!));
      assert.equal(await stat('releases_365d'), english(detail.metrics.releases_365d!));
      assert.deepEqual(
        (await column('activity', 2)).map(Number),
        activity.series.map((bucket) => bucket.commits),
      );
      assert.deepEqual(
        (await column('stars-forks-gained', 2)).map(Number),
        activity.series.map((bucket) => bucket.stars),
      );
      assert.equal(sum(activity.series.map((bucket) => bucket.stars)), 6);
      assert.ok((detail.metrics.first_response_median_hours_90d ?? 0) > 0);
      await browser.screenshot('repository-health');

      // The API's own CSV of the activity series, byte for byte.
      const csv = await download('Download Commits, pull requests and issues per week as CSV');
      assert.equal(csv.name, 'acme-rockets-activity.csv');
      const expected = await platform.get('/api/v1/repositories/acme/rockets/activity?format=csv', token);
      assert.match(expected.type, /text\/csv/);
      assert.equal(csv.content.toString('utf8'), expected.text);
      assertNoConsoleErrors();
    },
  );

  test(
    'the trends list the fastest-growing and most active repositories, filtered by organisation',
    { timeout: stepTimeoutMs },
    async () => {
      await page
        .getByRole('navigation', { name: 'Dashboards' })
        .getByRole('link', { name: 'Trends' })
        .click();
      await page.getByRole('heading', { level: 1, name: 'Trends' }).waitFor();
      await waitForReady();
      const trends = await api<Trends>('/trends');
      assert.deepEqual(await column('fastest-growing-table', 1), trends.fastestGrowing.map(fullName));
      assert.deepEqual(
        await column('fastest-growing-table', 4),
        trends.fastestGrowing.map((row) => english(row.starsGained)),
      );
      assert.deepEqual(await column('most-active-table', 1), trends.mostActive.map(fullName));
      assert.deepEqual(
        await column('most-active-table', 4),
        trends.mostActive.map((row) => english(row.commits)),
      );
      assert.deepEqual(
        await column('language-shares-table', 1),
        trends.languages.map((row) => row.language),
      );
      assert.ok(trends.mostActive.some((row) => row.owner === 'globex'));
      await browser.screenshot('trends');

      await page.getByLabel('Organisation', { exact: true }).fill('acme');
      await page.getByLabel('Window').selectOption('90d');
      await page.waitForURL(/\/trends\?window=90d&owner=acme$/);
      await waitForReady();
      const filtered = await api<Trends>('/trends?window=90d&owner=acme');
      assert.deepEqual(await column('most-active-table', 1), filtered.mostActive.map(fullName));
      assert.ok(filtered.mostActive.length > 0 && filtered.mostActive.every((row) => row.owner === 'acme'));
      const csv = await download('Download Most active repositories as CSV');
      assert.equal(csv.name, 'trends-90d-acme-most-active.csv');
      assert.deepEqual(csv.content.toString('utf8').trimEnd().split('\r\n'), [
        'owner,name,primaryLanguage,commits,stars,healthScore',
        ...filtered.mostActive.map((row) =>
          [row.owner, row.name, row.primaryLanguage, row.commits, row.stars, row.healthScore].join(','),
        ),
      ]);
      await page.reload();
      await waitForReady();
      assert.equal(await page.getByLabel('Organisation', { exact: true }).inputValue(), 'acme');
      assert.equal(await page.getByLabel('Window').inputValue(), '90d');
      await browser.screenshot('trends-filtered');
      assertNoConsoleErrors();
    },
  );

  test(
    'search finds organisations and repositories, and two picked rows open the comparison',
    { timeout: stepTimeoutMs },
    async () => {
      // The keyboard reaches the search box from the top of the page: skip link first.
      await page.goto('/trends');
      await waitForReady();
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
      const box = page.getByRole('search').getByLabel('Search repositories and organisations');
      await box.fill('acme');
      await box.press('Enter');
      await page.waitForURL(/\/search\?q=acme$/);
      await waitForReady();
      const list = await api<{ items: Array<{ owner: string; name: string; stars: number }> }>(
        '/repositories?q=acme&sort=stars&limit=50',
      );
      assert.deepEqual(await column('organizations', 1), ['acme']);
      assert.deepEqual(await column('repositories', 2), list.items.map(fullName));
      assert.deepEqual(
        await column('repositories', 5),
        list.items.map((row) => english(row.stars)),
      );
      const csv = await download('Download Repositories as CSV');
      const expected = await platform.get(
        '/api/v1/repositories?q=acme&sort=stars&limit=50&format=csv',
        token,
      );
      assert.equal(csv.content.toString('utf8'), expected.text);
      await browser.screenshot('search');

      await page.getByLabel('Select acme/rockets for comparison').check();
      await page.getByLabel('Select acme/engines for comparison').check();
      await page.getByRole('button', { name: 'Compare selected (2)' }).click();
      await page.waitForURL(/\/compare\?repos=acme\/rockets,acme\/engines$/);
      await waitForReady();
      assertNoConsoleErrors();
    },
  );

  test(
    'compare puts repositories side by side and overlays their series',
    { timeout: stepTimeoutMs },
    async () => {
      await page.goto('/compare?repos=acme/rockets,globex/radar');
      await waitForReady();
      const names = 'stars,commits_90d,contributors_90d';
      const comparison = await api<Comparison>(`/compare?repos=acme/rockets,globex/radar&names=${names}`);
      const row = (metric: string) =>
        page.locator(`table[data-table="comparison"] tr[data-metric="${metric}"] td`).allTextContents();
      assert.deepEqual(
        await row('health_score'),
        comparison.repositories.map((entry) => english(entry.healthScore)),
      );
      for (const metric of names.split(',')) {
        assert.deepEqual(
          await row(metric),
          comparison.repositories.map((entry) => english(entry.metrics[metric]!)),
          metric,
        );
      }
      const [rockets, radar] = await Promise.all(
        ['acme/rockets', 'globex/radar'].map((repository) =>
          api<{ series: ActivityBucket[] }>(`/repositories/${repository}/activity`),
        ),
      );
      assert.deepEqual(
        (await column('commits-over-time', 2)).map(Number),
        rockets!.series.map((bucket) => bucket.commits),
      );
      assert.deepEqual(
        (await column('commits-over-time', 3)).map(Number),
        radar!.series.map((bucket) => bucket.commits),
      );
      await page.getByLabel('Metric over time').selectOption('stars');
      await page.waitForURL(/\/compare\?repos=acme\/rockets,globex\/radar&metric=stars$/);
      await waitForReady();
      await page.getByRole('heading', { name: 'Stars over time' }).waitFor();
      const csv = await download('Download Side by side as CSV');
      const lines = csv.content.toString('utf8').trimEnd().split('\r\n');
      assert.equal(lines[0], 'metric,acme/rockets,globex/radar');
      assert.ok(
        lines.includes(`stars,${comparison.repositories.map((entry) => entry.metrics.stars).join(',')}`),
      );
      await browser.screenshot('compare');
      assertNoConsoleErrors();
    },
  );

  test(
    'an unknown organisation is an error in words, from the API’s problem detail',
    { timeout: stepTimeoutMs },
    async () => {
      await page.goto('/organizations/nobody-here');
      await page.locator('main[data-state="error"]').waitFor();
      const problem = await platform.get('/api/v1/organizations/nobody-here', token);
      assert.equal(problem.status, 404);
      const detail = (JSON.parse(problem.text) as { detail: string }).detail;
      await page.getByRole('alert').getByText(detail).waitFor();
      await browser.screenshot('organization-unknown');
      // Chromium logs every 4xx answer as a console error: this 404 is the point of the step.
      const errors = browser.consoleErrors.splice(0);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, /404/);
      assertNoConsoleErrors();
    },
  );

  test(
    'the dashboards come through the proxy with their Content-Security-Policy, which the browser enforces',
    { timeout: stepTimeoutMs },
    async () => {
      const response = await page.goto('/trends');
      const headers = response!.headers();
      const policy = parseContentSecurityPolicy(headers['content-security-policy']);
      assert.deepEqual(
        [policy['default-src'], policy['script-src'], policy['style-src'], policy['connect-src']],
        ["'self'", "'self'", "'self'", "'self'"],
      );
      assert.equal(policy['frame-ancestors'], "'none'");
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'no-referrer');
      await waitForReady();
      assertNoConsoleErrors();
      // A script slipped into the page does not run, and the violation is seen: what every step checks works.
      const ran = await page.evaluate(`(() => {
        const script = document.createElement('script');
        script.textContent = 'window.injectedScriptRan = true';
        document.body.append(script);
        return window.injectedScriptRan === true;
      })()`);
      assert.equal(ran, false);
      await waitFor(() => browser.cspViolations.some((violation) => /script-src/.test(violation)), {
        what: 'the inline script reported as a violation',
      });
      browser.cspViolations.splice(0);
      const errors = browser.consoleErrors.splice(0);
      assert.ok(
        errors.every((error) => /Content Security Policy/.test(error)),
        errors.join('\n'),
      );
    },
  );
});
