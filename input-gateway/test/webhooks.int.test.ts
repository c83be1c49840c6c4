import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Envelope } from '@repopulse/core';
import {
  createTestDatabase,
  drainQueue,
  queueDepth,
  testLogger,
  waitFor,
  type TestDatabase,
} from '@repopulse/core/testing';
import {
  createGithubWebhookValidators,
  createWebhookSecretLookup,
  processedWebhookEvents,
  type GithubWebhookMessage,
} from '../src/webhooks/index.js';
import {
  deliver,
  githubExamples,
  inBatches,
  signatureOf,
  withOneByteChanged,
  type WebhookExample,
} from './webhook-deliveries.js';
import { insertSource } from './webhook-sources.js';
import { startWebhookTestGateway, type WebhookTestGateway } from './webhook-test-gateway.js';

const fallbackSecret = 'fallback-secret';
const processedEvents = Object.keys(processedWebhookEvents);

function compact(payload: unknown): string {
  return JSON.stringify(payload);
}

/** A real push example, moved to another repository and owner. */
function pushTo(fullName: string, organization?: string): Record<string, unknown> {
  const [example] = githubExamples(['push']);
  const payload = structuredClone(example!.payload) as { repository: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  const [owner, name] = fullName.split('/');
  payload.repository = { ...payload.repository, full_name: fullName, name, owner: { login: owner } };
  if (organization) payload.organization = { login: organization };
  else delete payload.organization;
  return payload;
}

async function expectProblem(response: Response, status: number) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const problem = (await response.json()) as Record<string, unknown>;
  assert.equal(problem.status, status);
  assert.match(String(problem.type), /^urn:repopulse:problem:/);
  return problem;
}

describe('POST /v1/webhooks/github (real RabbitMQ and PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let gateway: WebhookTestGateway;
  let examples: WebhookExample[];

  before(async () => {
    testDatabase = await createTestDatabase();
    const { database } = testDatabase;
    await insertSource(database, {
      kind: 'github-repo',
      target: 'Acme/Widgets',
      webhookSecret: 'repo-secret',
    });
    await insertSource(database, {
      kind: 'github-org',
      target: 'octo-org',
      webhookSecret: 'org-secret',
      enabled: false,
    });
    await insertSource(database, { kind: 'github-repo', target: 'acme/no-secret', webhookSecret: '' });
    const secrets = createWebhookSecretLookup({
      database,
      fallbackSecret,
      cacheTtlMs: 60_000,
      logger: testLogger(),
    });
    gateway = await startWebhookTestGateway({
      secrets,
      validators: createGithubWebhookValidators(),
      maxBodyBytes: 256 * 1024,
    });
    examples = githubExamples(processedEvents);
  });

  after(async () => {
    await gateway?.close();
    await testDatabase?.drop();
  });

  const published = async () =>
    (await drainQueue(gateway.queue)).map((message) => message.json as Envelope<GithubWebhookMessage>);

  test('accepts and publishes every one of GitHub’s example payloads of the processed event types', async () => {
    assert.deepEqual(
      new Set(examples.map((example) => example.event)),
      new Set(processedEvents),
      'an example of every type',
    );
    const sent = await inBatches(examples, 8, async (example) => {
      const deliveryId = randomUUID();
      const response = await deliver(gateway.base, {
        event: example.event,
        body: compact(example.payload),
        deliveryId,
        secret: fallbackSecret,
      });
      const answer = await response.text();
      assert.equal(response.status, 202, `${example.label}: ${answer}`);
      assert.deepEqual(JSON.parse(answer), { id: deliveryId, status: 'accepted' }, example.label);
      return { deliveryId, example };
    });
    const messages = await drainQueue(gateway.queue);
    assert.equal(messages.length, examples.length);
    const byId = new Map(
      messages.map((message) => [message.messageId, message.json as Envelope<GithubWebhookMessage>]),
    );
    for (const { deliveryId, example } of sent) {
      const envelope = byId.get(deliveryId);
      assert.ok(envelope, `${example.label} was published under its delivery id`);
      assert.equal(envelope.id, deliveryId);
      assert.equal(envelope.type, 'ingest.github-webhook');
      assert.equal(envelope.payload.event, example.event);
      assert.equal(envelope.payload.deliveryId, deliveryId);
      assert.ok(!Number.isNaN(Date.parse(envelope.payload.receivedAt)));
      assert.deepEqual(envelope.payload.body, example.payload, example.label);
    }
  });

  test('refuses every example with one byte changed after signing, or signed with a wrong secret, publishing nothing', async () => {
    const answers = await inBatches(examples, 8, async (example) => {
      const body = compact(example.payload);
      const changed = withOneByteChanged(body);
      JSON.parse(changed); // still well-formed: only the signature can tell
      const tampered = await deliver(gateway.base, {
        event: example.event,
        body: changed,
        signature: signatureOf(body, fallbackSecret),
      });
      const wrongSecret = await deliver(gateway.base, {
        event: example.event,
        body,
        secret: 'not-the-secret',
      });
      await Promise.all([tampered.body?.cancel(), wrongSecret.body?.cancel()]);
      return [example.label, tampered.status, wrongSecret.status] as const;
    });
    for (const [label, tampered, wrongSecret] of answers)
      assert.deepEqual([label, tampered, wrongSecret], [label, 401, 401]);
    assert.equal(await queueDepth(gateway.queue), 0);
  });

  test('answers a signed ping with 200 and publishes nothing; an unsigned ping is 401', async () => {
    const [ping] = githubExamples(['ping']);
    const body = compact(ping!.payload);
    const response = await deliver(gateway.base, {
      event: 'ping',
      body,
      deliveryId: 'ping-1',
      secret: fallbackSecret,
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { id: 'ping-1', status: 'ping' });
    await expectProblem(await deliver(gateway.base, { event: 'ping', body, signature: null }), 401);
    await expectProblem(await deliver(gateway.base, { event: 'ping', body, secret: 'wrong' }), 401);
    assert.equal(await queueDepth(gateway.queue), 0);
  });

  test('accepts a signed event of a type the engine does not process as ignored, counts it, and publishes nothing', async () => {
    const [workflowRun] = githubExamples(['workflow_run']);
    const known = await deliver(gateway.base, {
      event: 'workflow_run',
      body: compact(workflowRun!.payload),
      deliveryId: 'wf-1',
      secret: fallbackSecret,
    });
    assert.equal(known.status, 202);
    assert.deepEqual(await known.json(), { id: 'wf-1', status: 'ignored' });
    const invented = await deliver(gateway.base, {
      event: 'made_up_event',
      body: '{"zen":"yes"}',
      secret: fallbackSecret,
    });
    assert.equal(invented.status, 202);
    assert.equal(await queueDepth(gateway.queue), 0);
    const metrics = await (await fetch(`${gateway.base}/metrics`)).text();
    assert.match(metrics, /webhook_deliveries_total\{event="workflow_run",outcome="ignored"\} 1\n/);
    assert.match(metrics, /webhook_deliveries_total\{event="unknown",outcome="ignored"\} 1\n/);
    assert.match(metrics, /webhook_deliveries_total\{event="ping",outcome="ping"\} 1\n/);
  });

  test('refuses missing or malformed delivery headers with 400, a missing signature with 401', async () => {
    const body = compact(pushTo('someone/else'));
    const malformed: Array<Record<string, string>> = [
      { 'x-github-event': '' },
      { 'x-github-event': 'Push; DROP' },
      { 'x-github-delivery': '' },
      { 'x-github-delivery': 'no spaces please' },
    ];
    for (const headers of malformed) {
      const problem = await expectProblem(
        await deliver(gateway.base, { event: 'push', body, secret: fallbackSecret, headers }),
        400,
      );
      assert.match(String(problem.detail), /X-GitHub-(Event|Delivery)/);
    }
    await expectProblem(await deliver(gateway.base, { event: 'push', body, signature: null }), 401);
    await expectProblem(await deliver(gateway.base, { event: 'push', body, signature: 'sha1=abc' }), 401);
    assert.equal(await queueDepth(gateway.queue), 0);
  });

  test('refuses a wrong media type (415), an oversized body (413), and an empty body or signed malformed JSON (400)', async () => {
    const body = compact(pushTo('someone/else'));
    await expectProblem(
      await deliver(gateway.base, { event: 'push', body, secret: fallbackSecret, contentType: 'text/plain' }),
      415,
    );
    await expectProblem(
      await deliver(gateway.base, {
        event: 'push',
        body,
        secret: fallbackSecret,
        contentType: 'application/json; charset=utf-16',
      }),
      415,
    );
    const huge = compact({ ...pushTo('someone/else'), padding: 'x'.repeat(300 * 1024) });
    await expectProblem(
      await deliver(gateway.base, { event: 'push', body: huge, secret: fallbackSecret }),
      413,
    );
    await expectProblem(
      await deliver(gateway.base, { event: 'push', body: '{"ref": ', secret: fallbackSecret }),
      400,
    );
    await expectProblem(
      await deliver(gateway.base, { event: 'push', body: '', secret: fallbackSecret }),
      400,
    );
    await expectProblem(
      await deliver(gateway.base, { event: 'push', body: '[1, 2]', secret: fallbackSecret }),
      400,
    );
    assert.equal(await queueDepth(gateway.queue), 0);
  });

  test('refuses a push without commits or repository, and a pull request without its number, with 422 and the paths', async () => {
    const { commits: _commits, ...withoutCommits } = pushTo('someone/else');
    const { repository: _repository, ...withoutRepository } = pushTo('someone/else');
    const [pullRequest] = githubExamples(['pull_request']);
    const withoutNumber = structuredClone(pullRequest!.payload) as { pull_request: Record<string, unknown> };
    delete withoutNumber.pull_request.number;
    const wrongType = { ...pushTo('someone/else'), commits: 'not a list' };
    const cases: Array<[string, unknown, string]> = [
      ['push', withoutCommits, '/commits'],
      ['push', withoutRepository, '/repository'],
      ['pull_request', withoutNumber, '/pull_request/number'],
      ['push', wrongType, '/commits'],
    ];
    for (const [event, payload, path] of cases) {
      const response = await deliver(gateway.base, { event, body: compact(payload), secret: fallbackSecret });
      const problem = await expectProblem(response, 422);
      const paths = (problem.errors as Array<{ path: string }>).map((error) => error.path);
      assert.ok(paths.includes(path), `${path} in ${paths.join()}`);
      assert.ok(!paths.includes(''), 'no root-level noise');
    }
    assert.equal(await queueDepth(gateway.queue), 0);
  });

  test('verifies with the source secret of the repository, of its organisation (even disabled), or the fallback', async () => {
    const cases: Array<[string, Record<string, unknown>, string, number]> = [
      ['repository source, named in another case', pushTo('ACME/widgets'), 'repo-secret', 202],
      ['fallback for a repository that has a source secret', pushTo('acme/widgets'), fallbackSecret, 202],
      ['disabled organisation source', pushTo('octo-org/anything', 'octo-org'), 'org-secret', 202],
      ['organisation secret for a repository of another owner', pushTo('acme/widgets'), 'org-secret', 401],
      ['repository secret for another repository', pushTo('acme/gadgets'), 'repo-secret', 401],
      ['an empty source secret signs nothing', pushTo('acme/no-secret'), '', 401],
      ['fallback for a repository without a source', pushTo('nobody/tracks-this'), fallbackSecret, 202],
    ];
    const accepted: string[] = [];
    for (const [what, payload, secret, status] of cases) {
      const deliveryId = randomUUID();
      const response = await deliver(gateway.base, {
        event: 'push',
        body: compact(payload),
        deliveryId,
        secret,
      });
      assert.equal(response.status, status, `${what}: ${await response.text()}`);
      if (status === 202) accepted.push(deliveryId);
    }
    assert.deepEqual((await published()).map((envelope) => envelope.id).sort(), accepted.sort());
  });

  test('publishes a redelivery under the same id, so the engine’s inbox can drop it', async () => {
    const body = compact(pushTo('acme/widgets'));
    const deliveryId = randomUUID();
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await deliver(gateway.base, {
        event: 'push',
        body,
        deliveryId,
        secret: 'repo-secret',
      });
      assert.equal(response.status, 202);
      assert.deepEqual(await response.json(), { id: deliveryId, status: 'accepted' });
    }
    const messages = await drainQueue(gateway.queue);
    assert.deepEqual(
      messages.map((message) => message.messageId),
      [deliveryId, deliveryId],
    );
  });

  test('accepts the form-encoded variant (payload=…), signed over the form body', async () => {
    const payload = pushTo('acme/widgets');
    const body = new URLSearchParams({ payload: compact(payload) }).toString();
    const deliveryId = randomUUID();
    const contentType = 'application/x-www-form-urlencoded';
    const response = await deliver(gateway.base, {
      event: 'push',
      body,
      deliveryId,
      secret: 'repo-secret',
      contentType,
    });
    assert.equal(response.status, 202);
    const bodyWithoutPayload = await deliver(gateway.base, {
      event: 'push',
      body: 'other=1',
      secret: fallbackSecret,
      contentType,
    });
    await expectProblem(bodyWithoutPayload, 400);
    const [envelope] = await published();
    assert.equal(envelope!.id, deliveryId);
    assert.deepEqual(envelope!.payload.body, payload);
  });

  test('answers 503 with Retry-After while the broker cannot confirm, and accepts again once it can', async () => {
    const body = compact(pushTo('acme/widgets'));
    gateway.brokerProxy.cut();
    await waitFor(() => !gateway.broker.isConnected(), { what: 'the broker connection to drop' });
    const refused = await deliver(gateway.base, { event: 'push', body, secret: 'repo-secret' });
    await expectProblem(refused, 503);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    gateway.brokerProxy.restore();
    const deliveryId = randomUUID();
    await waitFor(
      async () =>
        (await deliver(gateway.base, { event: 'push', body, deliveryId, secret: 'repo-secret' })).status ===
        202,
      { timeoutMs: 20_000, intervalMs: 200, what: 'the gateway to accept again' },
    );
    const ids = new Set((await published()).map((envelope) => envelope.id));
    assert.deepEqual([...ids], [deliveryId], 'only accepted deliveries reached the broker');
  });
});
