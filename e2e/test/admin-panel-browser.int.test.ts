import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { createEnvelope, repositoryFromGitUrl, type CrawlRepositoryPayload } from '@repopulse/core';
import {
  connectTestBroker,
  createTestDatabase,
  removeTestTopology,
  testAmqpUrl,
  parseContentSecurityPolicy,
  testQueuePrefix,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import type { Page } from 'playwright-core';
import {
  createGitRepository,
  temporaryDirectory,
  type TestGitRepository,
} from '../../integration-engine/test/support/git-repositories.js';
import type { ModuleProcess } from './engine-process.js';
import { openBrowserPage, type BrowserPage } from './support/browser-page.js';
import { startListeningModule, stopProcesses } from './support/platform-processes.js';
import { buildUi } from './support/vite-build.js';

const retryDelaysMs = [500];
const adminPassword = 'browser-test-admin-password';
const analyst = { username: 'ana', password: 'analyst-password-1' };
const ada = { name: 'Ada Lovelace', email: 'ada@example.org' };
const stepTimeoutMs = 120_000;

describe('the admin UI in a browser, through the permission proxy (real processes)', () => {
  const prefix = testQueuePrefix();
  const processes: ModuleProcess[] = [];
  let testDatabase: TestDatabase;
  let sourceRepository: TestGitRepository;
  let deadLetterRepository: TestGitRepository;
  let gitCacheDir: string;
  let uiDirectory: string;
  let proxyUrl: string;
  let browser: BrowserPage;
  let page: Page;

  before(async () => {
    uiDirectory = await temporaryDirectory('admin-ui');
    await buildUi('admin-panel/ui/vite.config.ts', uiDirectory);
    testDatabase = await createTestDatabase();
    sourceRepository = await createGitRepository();
    deadLetterRepository = await createGitRepository();
    for (const [index, repository] of [sourceRepository, deadLetterRepository].entries()) {
      for (let day = 1; day <= 2 + index; day++) {
        await repository.commit({
          author: ada,
          date: `2026-11-0${day}T10:00:00+01:00`,
          message: `day ${day}`,
        });
      }
    }
    gitCacheDir = await temporaryDirectory('admin-ui-cache');
    const queues = {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_RETRY_DELAYS_MS: retryDelaysMs.join(','),
    };
    // The test's repositories are local paths: git sources an admin adds, allowed with GIT_ALLOW_LOCAL=1.
    const engine = await startListeningModule('integration-engine', {
      ...queues,
      GIT_CACHE_DIR: gitCacheDir,
      GIT_ALLOW_LOCAL: '1',
      METRICS_COMPUTE_DELAY_MS: '0',
    });
    processes.push(engine.process);
    const panel = await startListeningModule('admin-panel', {
      ...queues,
      ADMIN_UI_DIR: uiDirectory,
      GIT_ALLOW_LOCAL: '1',
    });
    processes.push(panel.process);
    const proxy = await startListeningModule('permission-proxy', {
      DATABASE_URL: testDatabase.url,
      ADMIN_PANEL_URL: panel.url,
      JWT_SECRET: 'browser-test-jwt-secret-of-at-least-32-characters',
      ADMIN_PASSWORD: adminPassword,
      AUTH_USER_CACHE_TTL_MS: '200',
    });
    processes.push(proxy.process);
    proxyUrl = proxy.url;
    browser = await openBrowserPage({ baseUrl: proxyUrl, screenshotPrefix: 'admin-panel' });
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await stopProcesses(processes);
    await removeTestTopology(prefix, retryDelaysMs);
    await testDatabase?.drop();
    await sourceRepository?.remove();
    await deadLetterRepository?.remove();
    for (const directory of [gitCacheDir, uiDirectory]) {
      if (directory) await rm(directory, { recursive: true, force: true });
    }
  });

  /**
   * Every step ends here: the page logged no error to the console, threw none, and did nothing its
   * Content-Security-Policy refuses.
   */
  function assertNoConsoleErrors(): void {
    assert.deepEqual(browser.cspViolations, [], 'the page broke its Content-Security-Policy');
    assert.deepEqual(browser.consoleErrors, [], 'the page logged errors');
  }

  async function tokenFor(username: string, password: string): Promise<string> {
    const response = await fetch(`${proxyUrl}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function callProxy(path: string, credential: string): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${proxyUrl}${path}`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  async function openSection(name: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  }

  /** Waits until a list has loaded: its table, or the empty state that says why there is none. */
  async function waitForList(within = page.locator('main')): Promise<void> {
    await within.locator('table, .state-empty').first().waitFor();
    await page.locator('main .state-loading').first().waitFor({ state: 'detached' });
  }

  /** With the keyboard only: the form focuses the username, Tab moves on, Enter submits. */
  async function logIn(username: string, password: string): Promise<void> {
    const usernameField = page.getByLabel('Username');
    await usernameField.waitFor();
    assert.ok(await usernameField.evaluate((element) => element === element.ownerDocument.activeElement));
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
  }

  async function commitsOf(repository: TestGitRepository): Promise<number> {
    const { rows } = await testDatabase.database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM commits JOIN repositories ON repositories.id = commits.repository_id
        WHERE repositories.git_url = $1`,
      [repository.path],
    );
    return rows[0]!.count;
  }

  test('an admin logs in at /admin/ and lands on the sources', { timeout: stepTimeoutMs }, async () => {
    await page.goto('/admin/');
    await page.getByRole('heading', { name: 'Repo Pulse admin' }).waitFor();
    await browser.screenshot('login');
    await logIn('admin', adminPassword);
    await page.getByRole('heading', { level: 1, name: 'Sources' }).waitFor();
    await waitForList(page.locator('main section').nth(1));
    await page.getByText('No sources yet').waitFor();
    await browser.screenshot('sources-empty');
    assertNoConsoleErrors();
  });

  test(
    'the add-source form names what is wrong before sending anything',
    { timeout: stepTimeoutMs },
    async () => {
      const sent = browser.requests.length;
      await page.getByLabel('Kind').selectOption('github-repo');
      await page.getByLabel('Target', { exact: true }).fill('not a repository');
      await page.getByLabel('Schedule (cron expression, optional)').fill('every day');
      await page.getByRole('button', { name: 'Add source' }).click();
      await page
        .locator('.field-error', { hasText: 'must be "owner/name" of a GitHub repository' })
        .waitFor();
      await page.locator('.field-error', { hasText: 'field' }).waitFor();
      assert.equal(await page.getByLabel('Target', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.deepEqual(
        browser.requests.slice(sent).filter((url) => url.includes('/admin/api/')),
        [],
        'nothing was sent',
      );
      await browser.screenshot('sources-validation');
      assertNoConsoleErrors();
    },
  );

  test("shows the API's refusal next to the field it names", { timeout: stepTimeoutMs }, async () => {
    // Well-formed, so the form sends it; only the server knows 31 February never comes.
    await page.getByLabel('Kind').selectOption('github-org');
    await page.getByLabel('Target', { exact: true }).fill('acme');
    await page.getByLabel('Schedule (cron expression, optional)').fill('0 0 31 2 *');
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.locator('.field-error', { hasText: 'impossible day of month' }).waitFor();
    assert.equal(
      await page.getByLabel('Schedule (cron expression, optional)').getAttribute('aria-invalid'),
      'true',
    );
    await browser.screenshot('sources-refused-by-api');
    // Chromium logs every 4xx answer as a console error: this one 422 is the point of the step, and
    // it is the only error allowed.
    const errors = browser.consoleErrors.splice(0);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /422/);
    assertNoConsoleErrors();
    await page.getByLabel('Schedule (cron expression, optional)').fill('');
  });

  test(
    'adds a git source pointing at a repository the test created',
    { timeout: stepTimeoutMs },
    async () => {
      await page.getByLabel('Kind').selectOption('git');
      await page.getByLabel('Target', { exact: true }).fill(sourceRepository.path);
      await page.getByLabel('Schedule (cron expression, optional)').fill('0 3 * * *');
      await page.getByText('Means: At 03:00.').waitFor();
      await page.getByRole('button', { name: 'Add source' }).click();
      const row = page.locator('tbody tr', { hasText: sourceRepository.path });
      await row.waitFor();
      await row.getByText('At 03:00').waitFor();
      await row.getByText('Next runs (UTC)').click();
      assert.equal(await row.locator('.next-runs li').count(), 5);
      await browser.screenshot('sources-git-source-added');
      assertNoConsoleErrors();
    },
  );

  test(
    'keeps the crawl hosts suppliers may name: adds one, refuses a wildcard, removes one',
    { timeout: stepTimeoutMs },
    async () => {
      const hosts = page.locator('section', { hasText: 'Crawl hosts suppliers may name' });
      await hosts.locator('tbody tr', { hasText: 'codeberg.org' }).waitFor();
      await hosts.getByLabel('Host', { exact: true }).fill('*.example.org');
      await hosts.getByRole('button', { name: 'Allow host' }).click();
      await hosts.locator('.field-error', { hasText: 'wildcards are not supported' }).waitFor();
      const errors = browser.consoleErrors.splice(0);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, /422/);
      await hosts.getByLabel('Host', { exact: true }).fill('Git.Example.org');
      await hosts.getByRole('button', { name: 'Allow host' }).click();
      await hosts.locator('tbody tr', { hasText: 'git.example.org' }).waitFor();
      await hosts.getByRole('button', { name: 'Remove bitbucket.org' }).click();
      await page
        .getByRole('dialog', { name: 'Remove this host?' })
        .getByRole('button', { name: 'Remove' })
        .click();
      await waitFor(
        async () => (await hosts.locator('tbody tr', { hasText: 'bitbucket.org' }).count()) === 0,
        {
          what: 'bitbucket.org removed',
        },
      );
      const { rows } = await testDatabase.database.query<{ host: string }>(
        'SELECT host FROM crawl_host_allowlist ORDER BY host',
      );
      assert.deepEqual(
        rows.map((row) => row.host),
        ['codeberg.org', 'git.example.org', 'gitea.com', 'github.com', 'gitlab.com'],
      );
      await browser.screenshot('crawl-hosts');
      assertNoConsoleErrors();
    },
  );

  test(
    'tracks the big-tech organisations from the preset, edited first, and shows webhook settings',
    { timeout: stepTimeoutMs },
    async () => {
      await page.getByRole('button', { name: 'Track the big-tech organisations…' }).click();
      const preset = page.getByRole('dialog', { name: 'Track the big-tech organisations' });
      await preset.getByLabel('GitHub organisation of Microsoft').waitFor();
      await preset.getByLabel('Tesla', { exact: true }).uncheck();
      await preset.getByRole('button', { name: 'Add another organisation' }).click();
      await preset.getByLabel('GitHub organisation of another company').fill('netflix');
      await browser.screenshot('preset-edited');
      await preset.getByRole('button', { name: 'Add these sources' }).click();
      await waitFor(async () => (await preset.getByText('Added', { exact: true }).count()) === 8, {
        what: 'eight organisations added',
      });
      await preset.getByRole('button', { name: 'Done', exact: true }).click();
      const microsoft = page.locator('tbody tr', { has: page.locator('code', { hasText: /^microsoft$/ }) });
      await microsoft.waitFor();
      await page.locator('tbody tr', { hasText: 'netflix' }).waitFor();
      assert.equal(await page.locator('tbody tr', { hasText: 'teslamotors' }).count(), 0);

      await microsoft.getByRole('button', { name: 'Generate secret' }).click();
      const webhook = page.getByRole('dialog', { name: 'Webhook for microsoft' });
      const payloadUrl = await webhook.getByLabel('Payload URL').inputValue();
      assert.match(payloadUrl, /\/ingest\/v1\/webhooks\/github$/);
      assert.ok((await webhook.getByLabel('Secret').inputValue()).length >= 32);
      await webhook.getByText('application/json').first().waitFor();
      await browser.screenshot('webhook-secret');
      await webhook.getByRole('button', { name: 'Done' }).click();
      await microsoft.getByText('Secret set').waitFor();
      assertNoConsoleErrors();
    },
  );

  test('triggers a crawl and watches its progress reach done', { timeout: stepTimeoutMs }, async () => {
    await openSection('Crawl runs');
    await page.getByText('No crawl runs yet').waitFor();
    await page
      .getByLabel('Source', { exact: true })
      .selectOption({ label: `Git URL: ${sourceRepository.path}` });
    await page.getByRole('button', { name: 'Start crawl' }).click();
    const row = page.locator('tbody tr', { hasText: sourceRepository.path });
    await row.waitFor();
    await browser.screenshot('crawl-run-queued');
    await row.locator('.badge[data-status="done"]').waitFor({ timeout: 90_000 });
    await row.getByText('1/1 repositories').waitFor();
    const progress = row.getByRole('progressbar');
    assert.equal(await progress.getAttribute('value'), '1');
    assert.equal(await progress.getAttribute('max'), '1');
    assert.equal(await commitsOf(sourceRepository), 2);
    await browser.screenshot('crawl-run-done');
    assertNoConsoleErrors();
  });

  test('replays a dead letter, and the engine crawls it', { timeout: stepTimeoutMs }, async () => {
    const repository = repositoryFromGitUrl(deadLetterRepository.path)!;
    // A local target is crawled only as an admin's source: the message names that source's row.
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO sources (kind, target, enabled) VALUES ('git', $1, false) RETURNING id::text AS id`,
      [deadLetterRepository.path],
    );
    const payload: CrawlRepositoryPayload = {
      ...repository,
      gitUrl: deadLetterRepository.path,
      sourceId: rows[0]!.id,
    };
    const envelope = createEnvelope('crawl.repo', payload);
    const broker = await connectTestBroker({ prefix, retryDelaysMs });
    try {
      await broker.publish('crawl.repo', envelope, {
        exchange: 'dead',
        headers: {
          'x-error': 'Error: the git host did not answer (made up by the browser test)',
          'x-attempts': 5,
          'x-failed-at': new Date().toISOString(),
          'x-queue': 'crawl.repo',
        },
      });
    } finally {
      await broker.close();
    }
    const adminToken = await tokenFor('admin', adminPassword);
    await waitFor(
      async () => {
        const { json } = await callProxy('/admin/api/dead-letters?queue=crawl.repo', adminToken);
        return (json as { total?: number }).total === 1;
      },
      { timeoutMs: 30_000, what: 'the dead letter archived by the admin panel' },
    );

    await openSection('Dead letters');
    const row = page.locator('tbody tr', { hasText: 'made up by the browser test' });
    await row.waitFor();
    await row.getByText('Payload').click();
    await row.getByText(deadLetterRepository.path).first().waitFor();
    await page.getByText('1 dead letter.').waitFor();
    await row.getByRole('checkbox').check();
    await browser.screenshot('dead-letter-selected');
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await page.getByText('No dead letters: every message got through.').waitFor();
    await waitFor(async () => (await commitsOf(deadLetterRepository)) === 3, {
      timeoutMs: 60_000,
      what: 'the replayed crawl of the dead letter’s repository',
    });
    await browser.screenshot('dead-letter-replayed');
    assertNoConsoleErrors();
  });

  test(
    'creates an API key, shows it once with a copy button, and revokes it',
    { timeout: stepTimeoutMs },
    async () => {
      await openSection('API keys');
      await waitForList(page.locator('main section').nth(1));
      await page.getByLabel('Name', { exact: true }).fill('browser test key');
      await page.getByLabel('Role', { exact: true }).selectOption('analyst');
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByLabel('API key', { exact: true });
      await shown.waitFor();
      const key = await shown.inputValue();
      assert.match(key, /^rp_/);
      await page.getByRole('button', { name: 'Copy key' }).click();
      await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), key);
      const me = await callProxy('/auth/me', key);
      assert.equal(me.status, 200);
      assert.equal((me.json as { kind: string }).kind, 'api-key');
      const row = page.locator('tbody tr', { hasText: 'browser test key' });
      await row.locator('.badge[data-status="active"]').waitFor();
      await browser.screenshot('api-key-created');

      await page.getByRole('button', { name: 'I have copied it' }).click();
      await row.getByRole('button', { name: 'Revoke browser test key' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke this key?' })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await row.locator('.badge[data-status="revoked"]').waitFor();
      await waitFor(async () => (await callProxy('/auth/me', key)).status === 401, {
        timeoutMs: 30_000,
        what: 'the revoked key refused',
      });
      await browser.screenshot('api-key-revoked');
      assertNoConsoleErrors();
    },
  );

  test(
    'shows the event the engine set aside from its batch with the reason, and deletes it',
    { timeout: stepTimeoutMs },
    async () => {
      const repository = { host: 'github.com', owner: 'browser', name: 'rejects' };
      const common = { repository, occurredAt: '2026-11-02T10:00:00Z' };
      const batch = {
        source: 'careless-producer',
        events: [
          { ...common, id: 'ok-star', type: 'star', action: 'created', actor: { login: 'fan' }, data: {} },
          {
            ...common,
            id: 'bad-commit',
            type: 'commit',
            action: 'pushed',
            data: { sha: 'c'.repeat(40), additions: 2_147_483_648 },
          },
        ],
      };
      // Straight to the queue, as a producer that bypasses the gateway would.
      const broker = await connectTestBroker({ prefix, retryDelaysMs });
      try {
        await broker.publish('ingest.events', createEnvelope('ingest.events', batch));
      } finally {
        await broker.close();
      }
      await waitFor(
        async () => (await testDatabase.database.query('SELECT 1 FROM rejected_events')).rowCount === 1,
        { timeoutMs: 30_000, what: 'the engine to set the bad event aside' },
      );

      await openSection('Rejected events');
      const row = page.locator('tbody tr', { hasText: 'bad-commit' });
      await row.getByText('/events/1/data/additions must be <= 2147483647').waitFor();
      await page.getByText('1 rejected event.').waitFor();
      await row.getByText('Event', { exact: true }).click();
      await row.getByText('2147483648').waitFor();
      await browser.screenshot('rejected-event');
      await row.getByRole('button', { name: /^Delete rejected event/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('No rejected events: every event was stored.').waitFor();
      const { rowCount } = await testDatabase.database.query("SELECT 1 FROM stars WHERE actor_login = 'fan'");
      assert.equal(rowCount, 1, 'the rest of the batch was stored');
      assertNoConsoleErrors();
    },
  );

  test('adds an analyst on the users page', { timeout: stepTimeoutMs }, async () => {
    await openSection('Users');
    await waitForList(page.locator('main section').nth(1));
    await page.getByLabel('Username').fill(analyst.username);
    await page.getByLabel('Password').fill(analyst.password);
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.locator('tbody tr', { hasText: analyst.username });
    await row.waitFor();
    await row.getByText('analyst', { exact: true }).waitFor();
    await browser.screenshot('users');

    const analystToken = await tokenFor(analyst.username, analyst.password);
    assert.equal((await callProxy('/auth/me', analystToken)).status, 200);
    await row.getByRole('button', { name: `Sign ${analyst.username} out everywhere` }).click();
    await page
      .getByRole('dialog', { name: 'Sign this user out everywhere?' })
      .getByRole('button', { name: 'Sign out everywhere' })
      .click();
    await page.getByText(`${analyst.username} signed out everywhere`).waitFor();
    await waitFor(async () => (await callProxy('/auth/me', analystToken)).status === 401, {
      timeoutMs: 1_000,
      what: 'the analyst’s earlier token refused',
    });

    // As the proxy records someone guessing the analyst's password: admins see it on the user.
    await testDatabase.database.query(
      `INSERT INTO login_throttles (subject, started_at, until, refused)
       VALUES ($1, now() - interval '1 minute', now() + interval '1 minute', 580)`,
      [`user:${analyst.username}`],
    );
    await openSection('API keys');
    await openSection('Users');
    await row.getByText('password guessed at').waitFor();
    await row.getByText(/580 logins refused since/).waitFor();
    await browser.screenshot('users-guessed-at');
    assertNoConsoleErrors();
  });

  test('shows queues, upstream health, ACL rules and the audit log', { timeout: stepTimeoutMs }, async () => {
    await openSection('Queues');
    await page.locator('tbody tr', { hasText: 'crawl.repo' }).waitFor();
    await browser.screenshot('queues');

    await openSection('Upstream health');
    await page
      .locator('tbody tr', { hasText: sourceRepository.path })
      .locator('.badge[data-status="done"]')
      .waitFor();
    await browser.screenshot('upstream-health');

    await openSection('ACL rules');
    await page.locator('tbody tr', { hasText: '/admin/api/*' }).waitFor();
    await browser.screenshot('acl-rules');

    await openSection('Audit log');
    await page.locator('tbody tr', { hasText: 'dead-letter.replay' }).first().waitFor();
    await page.getByLabel('Action').fill('source.create');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitFor(async () => {
      const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
      return actions.length > 0 && actions.every((action) => action === 'source.create');
    });
    await browser.screenshot('audit-log');
    assertNoConsoleErrors();
  });

  test(
    'an analyst who logs in is told the panel is for admins, and sees no admin data',
    { timeout: stepTimeoutMs },
    async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      const sent = browser.requests.length;
      await logIn(analyst.username, analyst.password);
      await page.getByRole('heading', { name: 'This panel is for admins' }).waitFor();
      await page.getByText(`You are signed in as ${analyst.username}`).waitFor();
      assert.equal(await page.getByRole('navigation', { name: 'Admin sections' }).count(), 0);
      assert.deepEqual(
        browser.requests.slice(sent).filter((url) => url.includes('/admin/api/')),
        [],
        'the UI asked the admin API for nothing',
      );
      const analystToken = await tokenFor(analyst.username, analyst.password);
      assert.equal((await callProxy('/admin/api/sources', analystToken)).status, 403);
      await browser.screenshot('analyst-refused');
      assertNoConsoleErrors();
    },
  );

  test(
    'the admin UI comes through the proxy with its Content-Security-Policy, which the browser enforces',
    { timeout: stepTimeoutMs },
    async () => {
      const response = await page.goto('/admin/');
      const headers = response!.headers();
      const policy = parseContentSecurityPolicy(headers['content-security-policy']);
      assert.deepEqual(
        [policy['default-src'], policy['script-src'], policy['style-src'], policy['frame-ancestors']],
        ["'self'", "'self'", "'self'", "'none'"],
      );
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'no-referrer');
      await page.getByRole('heading', { name: 'This panel is for admins' }).waitFor();
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
