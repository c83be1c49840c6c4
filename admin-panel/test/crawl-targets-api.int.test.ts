import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  admin,
  assertAdminsOnly,
  assertRefusesBadBodies,
  problemJson,
  startAdminApi,
  violationPaths,
  type AdminApi,
} from './admin-api-harness.js';

const localTargets = [
  '/srv/git/acme/demo.git',
  'file:///srv/git/acme/demo.git',
  'https://127.0.0.1/acme/demo.git',
  'http://[::1]:8080/acme/demo.git',
  'https://localhost/acme/demo.git',
  'https://intranet.example.org/acme/demo.git',
  'git@10.1.2.3:acme/demo.git',
];

describe('admin API: what git sources may name (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;
  let localApi: AdminApi;

  before(async () => {
    api = await startAdminApi();
    localApi = await startAdminApi({ allowLocal: true });
  });
  after(async () => {
    await api.close();
    await localApi.close();
  });

  test('without GIT_ALLOW_LOCAL, local paths, file:// and private or loopback targets are refused, saying why', async () => {
    for (const target of localTargets) {
      const answer = await api.call('POST', '/api/sources', { kind: 'git', target });
      assert.deepEqual(violationPaths(answer), ['/target'], target);
      assert.match(answer.json.errors[0].message, /GIT_ALLOW_LOCAL=1/, target);
    }
    assert.equal((await api.call('GET', '/api/sources')).json.sources.length, 0);
  });

  test('with GIT_ALLOW_LOCAL=1, an admin may add them', async () => {
    for (const target of localTargets) {
      const answer = await localApi.call('POST', '/api/sources', { kind: 'git', target });
      assert.equal(answer.status, 201, `${target}: ${JSON.stringify(answer.json)}`);
    }
  });

  test("git's remote helpers and other transports are refused, GIT_ALLOW_LOCAL or not", async () => {
    for (const target of ['ext::sh -c touch% /tmp/acme/pwned', 'ftp://git.example.org/acme/demo.git']) {
      for (const panel of [api, localApi]) {
        const answer = await panel.call('POST', '/api/sources', { kind: 'git', target });
        assert.equal(answer.status, 422, target);
        assert.equal(answer.type, problemJson);
      }
    }
  });

  test('a public git URL of another forge is taken, and changing it to a local path is refused', async () => {
    const created = await api.call('POST', '/api/sources', {
      kind: 'git',
      target: 'https://codeberg.org/forgejo/forgejo.git',
    });
    assert.equal(created.status, 201);
    const changed = await api.call('PATCH', `/api/sources/${created.json.id}`, {
      target: 'file:///srv/git/forgejo/forgejo.git',
    });
    assert.deepEqual(violationPaths(changed), ['/target']);
    const current = await api.call('GET', `/api/sources/${created.json.id}`);
    assert.equal(current.json.target, 'https://codeberg.org/forgejo/forgejo.git', 'unchanged');
  });

  test('a local source stays editable once GIT_ALLOW_LOCAL is off: its target is checked when it changes', async () => {
    const { rows } = await api.database.query<{ id: string }>(
      `INSERT INTO sources (kind, target) VALUES ('git', '/srv/git/legacy/tool.git') RETURNING id::text AS id`,
    );
    const disabled = await api.call('PATCH', `/api/sources/${rows[0]!.id}`, { enabled: false });
    assert.equal(disabled.status, 200, JSON.stringify(disabled.json));
    assert.equal(disabled.json.enabled, false);
  });
});

describe('admin API: the crawl host allowlist (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });
  after(async () => {
    await api.close();
  });

  test('lists the forges the platform knows by default', async () => {
    const answer = await api.call('GET', '/api/crawl-hosts');
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.json.crawlHosts.map((row: { host: string }) => row.host),
      ['bitbucket.org', 'codeberg.org', 'gitea.com', 'github.com', 'gitlab.com'],
    );
  });

  test('adds a host in lower case, audited; a second time is 409', async () => {
    const added = await api.call('POST', '/api/crawl-hosts', { host: 'Git.Example.ORG' });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    assert.equal(added.json.host, 'git.example.org');
    assert.equal(added.json.addedBy, 'admin');
    assert.equal(added.headers.get('location'), '/api/crawl-hosts/git.example.org');
    const again = await api.call('POST', '/api/crawl-hosts', { host: 'git.example.org' });
    assert.equal(again.status, 409);
    assert.equal(again.type, problemJson);
    const { rows } = await api.database.query<{ action: string; target: string; actor_name: string }>(
      `SELECT action, target, actor_name FROM audit_log WHERE action LIKE 'crawl-host.%'`,
    );
    assert.deepEqual(rows, [
      { action: 'crawl-host.add', target: 'crawl-host:git.example.org', actor_name: 'admin' },
    ]);
  });

  test('removes a host, audited; an unknown one is 404', async () => {
    await api.call('POST', '/api/crawl-hosts', { host: 'forge.example.net' });
    const removed = await api.call('DELETE', '/api/crawl-hosts/FORGE.example.net');
    assert.equal(removed.status, 204);
    const hosts = (await api.call('GET', '/api/crawl-hosts')).json.crawlHosts.map(
      (row: { host: string }) => row.host,
    );
    assert.ok(!hosts.includes('forge.example.net'));
    assert.equal((await api.call('DELETE', '/api/crawl-hosts/forge.example.net')).status, 404);
    const { rows } = await api.database.query(
      `SELECT 1 FROM audit_log WHERE action = 'crawl-host.remove' AND target = 'crawl-host:forge.example.net'`,
    );
    assert.equal(rows.length, 1);
  });

  test('refuses what is not an exact host name with 422 naming /host and why', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ host: '*.example.org' }, /wildcards/],
      [{ host: '10.0.0.1' }, /not an address/],
      [{ host: '2130706433' }, /not an address/],
      [{ host: 'https://git.example.org' }, /host name only/],
      [{ host: 'git.example.org:8443' }, /host name only/],
      [{ host: 'localhost' }, /this machine/],
      [{ host: 'intranet' }, /fully qualified/],
      [{ host: '' }, /./],
      [{ host: 42 }, /./],
      [{ host: 'git.example.org', note: 'x' }, /./],
    ];
    for (const [body, reason] of cases) {
      const answer = await api.call('POST', '/api/crawl-hosts', body);
      assert.equal(answer.status, 422, JSON.stringify(body));
      assert.equal(answer.type, problemJson);
      assert.match(answer.json.errors[0].message, reason, JSON.stringify(body));
    }
  });

  test('is for admins only, and refuses bad bodies', async () => {
    await assertAdminsOnly(api, 'GET', '/api/crawl-hosts');
    await assertAdminsOnly(api, 'POST', '/api/crawl-hosts', { host: 'x.example.org' });
    await assertAdminsOnly(api, 'DELETE', '/api/crawl-hosts/github.com');
    await assertRefusesBadBodies(api, 'POST', '/api/crawl-hosts');
    assert.ok(
      (await api.call('GET', '/api/crawl-hosts', undefined, admin)).json.crawlHosts.some(
        (row: { host: string }) => row.host === 'github.com',
      ),
      'nothing was removed by the refused calls',
    );
  });
});
