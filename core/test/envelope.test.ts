import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createEnvelope,
  encodeEnvelope,
  InvalidEnvelopeError,
  parseEnvelope,
  runWithContext,
  type Envelope,
} from '../src/index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function bodyOf(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function validEnvelope(): Envelope<{ repository: string }> {
  return {
    id: '5b0c2a4e-4f5d-4a4b-9d57-0a1c3e1f2b3c',
    type: 'crawl.repo',
    version: 1,
    occurredAt: '2024-05-01T12:00:00.000Z',
    correlationId: 'request-1',
    causationId: null,
    attempt: 1,
    payload: { repository: 'acme/widget' },
  };
}

function assertInvalid(content: Buffer, message: RegExp): void {
  assert.throws(
    () => parseEnvelope(content),
    (error: unknown) => error instanceof InvalidEnvelopeError && message.test(error.message),
  );
}

describe('createEnvelope', () => {
  test('gives a new message a uuid, version 1, attempt 1, no cause and the time it was made', () => {
    const before = Date.now();
    const envelope = createEnvelope('crawl.org', { org: 'acme' });
    assert.match(envelope.id, uuid);
    assert.equal(envelope.type, 'crawl.org');
    assert.equal(envelope.version, 1);
    assert.equal(envelope.attempt, 1);
    assert.equal(envelope.causationId, null);
    assert.deepEqual(envelope.payload, { org: 'acme' });
    const occurredAt = Date.parse(envelope.occurredAt);
    assert.ok(occurredAt >= before && occurredAt <= Date.now(), 'occurredAt is now');
    assert.equal(new Date(occurredAt).toISOString(), envelope.occurredAt);
  });

  test('gives every envelope its own id', () => {
    assert.notEqual(createEnvelope('a', {}).id, createEnvelope('a', {}).id);
  });

  test('is its own correlation id when no request or message is being handled', () => {
    const envelope = createEnvelope('crawl.org', {});
    assert.equal(envelope.correlationId, envelope.id);
  });

  test('takes the correlation id of the request or message being handled', () => {
    const envelope = runWithContext({ requestId: 'request-7', correlationId: 'request-7' }, () =>
      createEnvelope('ingest.events', {}),
    );
    assert.equal(envelope.correlationId, 'request-7');
  });

  test('keeps the correlation id across awaits inside the context', async () => {
    const envelope = await runWithContext({ correlationId: 'chain-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return createEnvelope('metrics.compute', {});
    });
    assert.equal(envelope.correlationId, 'chain-1');
  });

  test('uses the id, version, correlation and causation given explicitly', () => {
    const envelope = runWithContext({ correlationId: 'from-context' }, () =>
      createEnvelope('crawl.repo', {}, { id: 'm-1', version: 3, correlationId: 'given', causationId: 'm-0' }),
    );
    assert.equal(envelope.id, 'm-1');
    assert.equal(envelope.version, 3);
    assert.equal(envelope.correlationId, 'given');
    assert.equal(envelope.causationId, 'm-0');
  });
});

describe('parseEnvelope', () => {
  test('accepts a valid envelope and returns its fields', () => {
    const envelope = validEnvelope();
    assert.deepEqual(parseEnvelope(bodyOf(envelope)), envelope);
  });

  test('accepts what createEnvelope makes', () => {
    const envelope = createEnvelope('crawl.repo', { n: 1 }, { causationId: 'parent' });
    assert.deepEqual(parseEnvelope(bodyOf(envelope)), envelope);
  });

  test('accepts an envelope whose payload is null', () => {
    assert.equal(parseEnvelope(bodyOf({ ...validEnvelope(), payload: null })).payload, null);
  });

  test('rejects a body that is not JSON', () => {
    assertInvalid(Buffer.from('not json at all'), /not JSON/);
    assertInvalid(Buffer.from(''), /not JSON/);
  });

  test('rejects JSON that is not an object', () => {
    for (const value of [null, 42, 'text', [validEnvelope()]]) {
      assertInvalid(bodyOf(value), /not a JSON object/);
    }
  });

  const fields = [
    'id',
    'type',
    'version',
    'occurredAt',
    'correlationId',
    'causationId',
    'attempt',
    'payload',
  ] as const;
  for (const field of fields) {
    test(`rejects an envelope without ${field}, naming the field`, () => {
      const envelope: Partial<Envelope> = validEnvelope();
      delete envelope[field];
      assertInvalid(bodyOf(envelope), new RegExp(`missing or malformed: ${field}$`));
    });
  }

  test('rejects malformed fields and names each of them', () => {
    const envelope = { ...validEnvelope(), id: '', version: '1', attempt: 0, causationId: 7 };
    assertInvalid(bodyOf(envelope), /missing or malformed: id, version, causationId, attempt$/);
  });

  test('rejects ids PostgreSQL cannot hold (the inbox key, copied into follow-ups), so no retry is spent on them', () => {
    const envelope = { ...validEnvelope(), id: 'a\u0000b', correlationId: '\ud800', causationId: 'c\u0000' };
    assertInvalid(bodyOf(envelope), /missing or malformed: id, correlationId, causationId$/);
  });
});

describe('encodeEnvelope', () => {
  test('serialises the envelope as JSON', () => {
    const envelope = createEnvelope('ingest.events', { a: [1, 2] });
    assert.deepEqual(JSON.parse(encodeEnvelope(envelope).toString()), envelope);
  });

  test('splices in the payload bytes it is given, dropping a byte-order mark, into the same JSON', () => {
    const payload = { source: 'x', events: [{ id: 'é' }] };
    const envelope = createEnvelope('ingest.events', payload);
    const raw = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(` ${JSON.stringify(payload, null, 2)}\n`),
    ]);
    const encoded = encodeEnvelope(envelope, raw);
    assert.deepEqual(JSON.parse(encoded.toString('utf8')), envelope);
    assert.deepEqual(parseEnvelope(encoded), envelope);
  });
});
