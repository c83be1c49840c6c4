import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAdminsOnly, startAdminApi, type AdminApi } from './admin-api-harness.js';

interface PresetSource {
  kind: string;
  target: string;
  company: string;
  schedule: string;
}

describe('admin API: source presets (real PostgreSQL, HTTP)', () => {
  let api: AdminApi;

  before(async () => {
    api = await startAdminApi();
  });

  after(async () => {
    await api.close();
  });

  test("offers big tech's GitHub organisations, each of which can be added as a source once", async () => {
    const answer = await api.call('GET', '/api/source-presets');
    assert.equal(answer.status, 200);
    const bigTech = answer.json.presets.find((preset: { id: string }) => preset.id === 'big-tech');
    assert.ok(bigTech.name);
    const sources = bigTech.sources as PresetSource[];
    const targets = Object.fromEntries(sources.map((source) => [source.target, source.company]));
    for (const [target, company] of Object.entries({
      apple: 'Apple',
      microsoft: 'Microsoft',
      google: 'Alphabet (Google)',
      aws: 'Amazon',
      NVIDIA: 'NVIDIA',
      facebook: 'Meta',
      teslamotors: 'Tesla',
    })) {
      assert.equal(targets[target], company, target);
    }
    for (const { kind, target, schedule } of sources) {
      assert.equal(kind, 'github-org');
      const created = await api.call('POST', '/api/sources', { kind, target, schedule });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      assert.equal(created.json.nextRuns.length, 5);
    }
    const again = await api.call('POST', '/api/sources', { kind: 'github-org', target: 'apple' });
    assert.equal(again.status, 409, 'already tracked');
  });

  test('is closed to callers who are not admins', async () => {
    await assertAdminsOnly(api, 'GET', '/api/source-presets');
  });
});
