import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAdminsOnly, startAdminApi, type AdminApi } from './admin-api-harness.js';

describe('admin API: upstream health (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });

  after(async () => {
    await api.close();
  });

  async function addSource(kind: string, target: string): Promise<string> {
    return (await api.call('POST', '/api/sources', { kind, target })).json.id;
  }

  async function addRun(
    sourceId: string,
    run: { status: string; finishedAt?: string; error?: string; failed?: number; errors?: unknown[] },
  ) {
    await api.database.query(
      `INSERT INTO crawl_runs (id, source_id, kind, target, status, failed, error, errors, created_at, finished_at)
       SELECT gen_random_uuid()::text, sources.id, sources.kind, sources.target, $2, $3, $4, $5::jsonb,
              coalesce($6::timestamptz, now()), $6::timestamptz
         FROM sources WHERE sources.id = $1`,
      [
        sourceId,
        run.status,
        run.failed ?? 0,
        run.error ?? null,
        JSON.stringify(run.errors ?? []),
        run.finishedAt ?? null,
      ],
    );
  }

  test("shows each source's latest run, last success and last error", async () => {
    const healthy = await addSource('github-org', 'healthy');
    const broken = await addSource('github-repo', 'acme/broken');
    const partial = await addSource('github-org', 'partial');
    const never = await addSource('git', 'https://git.example.org/a/b.git');
    await addRun(healthy, { status: 'failed', finishedAt: '2026-11-01T10:00:00Z', error: 'rate limited' });
    await addRun(healthy, { status: 'done', finishedAt: '2026-11-02T10:00:00Z' });
    await addRun(broken, { status: 'done', finishedAt: '2026-11-01T09:00:00Z' });
    await addRun(broken, {
      status: 'failed',
      finishedAt: '2026-11-02T09:00:00Z',
      error: 'repository not found',
    });
    await addRun(partial, {
      status: 'done',
      finishedAt: '2026-11-03T08:00:00Z',
      failed: 1,
      errors: [{ repository: 'partial/x', error: 'HTTP 451', at: '2026-11-03T07:59:00Z' }],
    });
    await addRun(partial, { status: 'running' });

    const answer = await api.call('GET', '/api/upstream-health');
    assert.equal(answer.status, 200);
    const bySource = Object.fromEntries(
      answer.json.sources.map((source: { sourceId: string }) => [source.sourceId, source]),
    );
    assert.deepEqual(bySource[healthy], {
      sourceId: healthy,
      kind: 'github-org',
      target: 'healthy',
      enabled: true,
      lastRunStatus: 'done',
      lastSuccessAt: '2026-11-02T10:00:00.000Z',
      lastErrorAt: '2026-11-01T10:00:00.000Z',
      lastError: 'rate limited',
    });
    assert.deepEqual(
      [bySource[broken].lastRunStatus, bySource[broken].lastSuccessAt, bySource[broken].lastError],
      ['failed', '2026-11-01T09:00:00.000Z', 'repository not found'],
    );
    assert.deepEqual(
      [bySource[partial].lastRunStatus, bySource[partial].lastSuccessAt, bySource[partial].lastError],
      ['running', null, 'HTTP 451'],
    );
    assert.deepEqual(
      [bySource[never].lastRunStatus, bySource[never].lastSuccessAt, bySource[never].lastErrorAt],
      [null, null, null],
    );
  });

  test('shows the GitHub token pool by label and resource, as GitHub last reported it', async () => {
    await api.database.query(
      `INSERT INTO github_tokens (fingerprint, resource, label, rate_limit, remaining, reset_at, rejected_at, rejected_reason)
       VALUES ('f1', 'core', 'token 1 (…abcd)', 5000, 4990, '2026-11-02T11:00:00Z', NULL, NULL),
              ('f1', 'graphql', 'token 1 (…abcd)', 5000, 0, '2026-11-02T11:30:00Z', '2026-11-02T11:00:00Z', 'bad credentials')`,
    );
    const { tokens } = (await api.call('GET', '/api/upstream-health')).json;
    assert.equal(tokens.length, 2);
    assert.deepEqual(
      { ...tokens[1], updatedAt: undefined },
      {
        label: 'token 1 (…abcd)',
        resource: 'graphql',
        limit: 5000,
        remaining: 0,
        resetAt: '2026-11-02T11:30:00.000Z',
        rejectedAt: '2026-11-02T11:00:00.000Z',
        rejectedReason: 'bad credentials',
        updatedAt: undefined,
      },
    );
    assert.ok(!JSON.stringify(tokens).includes('f1'), 'fingerprints stay inside');
  });

  test('is closed to callers who are not admins', async () => {
    await assertAdminsOnly(api, 'GET', '/api/upstream-health');
  });
});
