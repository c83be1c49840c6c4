import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAdminsOnly, publicUrl, startAdminApi, type AdminApi } from './admin-api-harness.js';

describe('admin API: webhook secrets (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });

  after(async () => {
    await api.close();
  });

  async function addSource(kind: string, target: string): Promise<string> {
    const created = await api.call('POST', '/api/sources', { kind, target });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    return created.json.id;
  }

  async function storedSecret(id: string): Promise<string | null> {
    const { rows } = await api.database.query<{ webhook_secret: string | null }>(
      'SELECT webhook_secret FROM sources WHERE id = $1',
      [id],
    );
    return rows[0]!.webhook_secret;
  }

  test('generates a secret once, stores it for the input gateway, and says how to set up the hook', async () => {
    const id = await addSource('github-org', 'acme');
    const answer = await api.call('POST', `/api/sources/${id}/webhook-secret`);
    assert.equal(answer.status, 201);
    const { secret, webhookUrl, contentType, events, instructions } = answer.json;
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal(await storedSecret(id), secret);
    assert.equal(webhookUrl, `${publicUrl}/ingest/v1/webhooks/github`);
    assert.equal(contentType, 'application/json');
    for (const event of ['push', 'pull_request', 'issues', 'release', 'star', 'fork']) {
      assert.ok(events.includes(event), event);
    }
    assert.match(instructions, /https:\/\/github\.com\/organizations\/acme\/settings\/hooks\/new/);
    assert.ok(instructions.includes(webhookUrl));

    const source = await api.call('GET', `/api/sources/${id}`);
    assert.equal(source.json.webhookSecretSet, true);
    assert.ok(!JSON.stringify(source.json).includes(secret), 'the source never shows the secret');

    const again = await api.call('POST', `/api/sources/${id}/webhook-secret`);
    assert.notEqual(again.json.secret, secret, 'a new secret replaces a lost one');
    assert.equal(await storedSecret(id), again.json.secret);

    const { rows } = await api.database.query<{ action: string; target: string; details: unknown }>(
      `SELECT action, target, details FROM audit_log WHERE action LIKE 'source.webhook-secret.%' ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((row) => [row.action, row.target]),
      [
        ['source.webhook-secret.set', `source:${id}`],
        ['source.webhook-secret.set', `source:${id}`],
      ],
    );
    assert.ok(!JSON.stringify(rows).includes(secret), 'the audit log never holds the secret');
  });

  test('points a repository source at its own settings page', async () => {
    const id = await addSource('github-repo', 'acme/widgets');
    const answer = await api.call('POST', `/api/sources/${id}/webhook-secret`);
    assert.match(answer.json.instructions, /https:\/\/github\.com\/acme\/widgets\/settings\/hooks\/new/);
  });

  test('removes a secret; removing it again changes nothing', async () => {
    const id = await addSource('github-user', 'octocat');
    await api.call('POST', `/api/sources/${id}/webhook-secret`);
    const removed = await api.call('DELETE', `/api/sources/${id}/webhook-secret`);
    assert.equal(removed.status, 204);
    assert.equal(await storedSecret(id), null);
    assert.equal((await api.call('GET', `/api/sources/${id}`)).json.webhookSecretSet, false);
    assert.equal((await api.call('DELETE', `/api/sources/${id}/webhook-secret`)).status, 204, 'idempotent');
  });

  test('refuses a secret for a git source, and answers 404 for an unknown source', async () => {
    const id = await addSource('git', 'https://git.example.org/acme/tool.git');
    const git = await api.call('POST', `/api/sources/${id}/webhook-secret`);
    assert.equal(git.status, 409);
    assert.match(git.json.detail, /git source/);
    assert.equal(await storedSecret(id), null);
    for (const method of ['POST', 'DELETE']) {
      assert.equal((await api.call(method, '/api/sources/999999/webhook-secret')).status, 404, method);
      assert.equal((await api.call(method, '/api/sources/abc/webhook-secret')).status, 404, method);
    }
  });

  test('is closed to callers who are not admins', async () => {
    const id = await addSource('github-org', 'closed-org');
    await assertAdminsOnly(api, 'POST', `/api/sources/${id}/webhook-secret`);
    await assertAdminsOnly(api, 'DELETE', `/api/sources/${id}/webhook-secret`);
    assert.equal(await storedSecret(id), null, 'nothing was written');
  });
});
