import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createGenericEventBatchValidator, genericEventTypes, SchemaViolationError } from '../src/index.js';

const maxEvents = 10;
const validate = createGenericEventBatchValidator(maxEvents);

const repository = { host: 'git.example.org', owner: 'acme', name: 'widget' };
const sha = 'a'.repeat(40);

/** One valid event of each type; tests break one field of a copy. */
function eventsOfEachType(): Record<string, unknown>[] {
  const common = { repository, occurredAt: '2024-05-01T12:00:00Z', actor: { login: 'octocat' } };
  return [
    {
      ...common,
      id: 'c-1',
      type: 'commit',
      action: 'pushed',
      data: {
        sha,
        message: 'Fix the widget',
        authoredAt: '2024-05-01T11:00:00+02:00',
        author: { name: 'Octo Cat', email: 'octo@example.org' },
        parents: ['b'.repeat(40)],
        additions: 3,
        deletions: 1,
      },
    },
    {
      ...common,
      id: 'pr-1',
      type: 'pull_request',
      action: 'merged',
      data: {
        number: 12,
        title: 'Add gears',
        createdAt: '2024-04-30T08:00:00Z',
        mergedAt: '2024-05-01T12:00:00Z',
      },
    },
    { ...common, id: 'i-1', type: 'issue', action: 'opened', data: { number: 3, title: 'It squeaks' } },
    {
      ...common,
      id: 'r-1',
      type: 'release',
      action: 'published',
      data: { tag: 'v1.0.0', publishedAt: '2024-05-01T12:00:00Z' },
    },
    { ...common, id: 's-1', type: 'star', action: 'created', data: {} },
    {
      ...common,
      id: 'f-1',
      type: 'fork',
      action: 'created',
      data: { fork: { owner: 'someone', name: 'widget' } },
    },
  ];
}

function batchOf(events: unknown[]): unknown {
  return { source: 'gitea-import', events };
}

/** An event of `type` from the valid set, changed by `change`, alone in a batch. */
function batchWithOne(type: string, change: (event: Record<string, unknown>) => void): unknown {
  const event = structuredClone(eventsOfEachType().find((candidate) => candidate.type === type)!);
  change(event);
  return batchOf([event]);
}

function violationsOf(batch: unknown): { path: string; message: string }[] {
  try {
    validate(batch);
  } catch (error) {
    assert.ok(error instanceof SchemaViolationError, `expected a SchemaViolationError, got ${String(error)}`);
    assert.equal(error.status, 422);
    assert.deepEqual(
      error.extensions.errors,
      error.violations,
      'the violations become the problem document errors',
    );
    return error.violations;
  }
  assert.fail('the batch was accepted');
}

function assertViolationAt(batch: unknown, path: string, message?: RegExp): void {
  const violations = violationsOf(batch);
  const atPath = violations.filter((violation) => violation.path === path);
  assert.ok(atPath.length > 0, `expected a violation at ${path}, got ${JSON.stringify(violations)}`);
  if (message)
    assert.ok(
      atPath.some((violation) => message.test(violation.message)),
      JSON.stringify(atPath),
    );
}

describe('generic event batch validator', () => {
  test('accepts a batch with one valid event of each type and returns it unchanged', () => {
    const batch = batchOf(eventsOfEachType());
    assert.deepEqual(
      eventsOfEachType().map((event) => event.type),
      [...genericEventTypes],
    );
    assert.equal(validate(batch), batch);
  });

  test('accepts an event without an actor when its type does not need one', () => {
    const batch = batchWithOne('commit', (event) => delete event.actor);
    assert.doesNotThrow(() => validate(batch));
  });

  test('accepts a batch of exactly the maximum number of events', () => {
    const release = eventsOfEachType()[3]!;
    const events = Array.from({ length: maxEvents }, (_, index) => ({ ...release, id: `r-${index}` }));
    assert.doesNotThrow(() => validate(batchOf(events)));
  });

  test('rejects an action that its type does not have, naming the allowed ones', () => {
    assertViolationAt(
      batchWithOne('star', (event) => (event.action = 'merged')),
      '/events/0/action',
      /created, deleted/,
    );
    assertViolationAt(
      batchWithOne('commit', (event) => (event.action = 'opened')),
      '/events/0/action',
      /pushed/,
    );
  });

  test('rejects a data field that belongs to another type', () => {
    assertViolationAt(
      batchWithOne('release', (event) => ((event.data as Record<string, unknown>).sha = sha)),
      '/events/0/data/sha',
      /not allowed/,
    );
    assertViolationAt(
      batchWithOne(
        'issue',
        (event) => ((event.data as Record<string, unknown>).mergedAt = '2024-05-01T12:00:00Z'),
      ),
      '/events/0/data/mergedAt',
      /not allowed/,
    );
  });

  test('rejects a star that carries data', () => {
    assertViolationAt(
      batchWithOne('star', (event) => (event.data = { number: 1 })),
      '/events/0/data/number',
      /not allowed/,
    );
  });

  test('rejects an event without a repository', () => {
    assertViolationAt(
      batchWithOne('issue', (event) => delete event.repository),
      '/events/0/repository',
      /required/,
    );
  });

  test('rejects a repository without an owner', () => {
    assertViolationAt(
      batchWithOne('fork', (event) => (event.repository = { host: 'github.com', name: 'widget' })),
      '/events/0/repository/owner',
      /required/,
    );
  });

  test('rejects a time that is not an RFC 3339 date-time', () => {
    assertViolationAt(
      batchWithOne('pull_request', (event) => (event.occurredAt = '2024-05-01 noon')),
      '/events/0/occurredAt',
      /date-time/,
    );
    assertViolationAt(
      batchWithOne(
        'pull_request',
        (event) => ((event.data as Record<string, unknown>).mergedAt = 'yesterday'),
      ),
      '/events/0/data/mergedAt',
      /date-time/,
    );
  });

  test('rejects a batch of more events than the configured maximum', () => {
    const release = eventsOfEachType()[3]!;
    const events = Array.from({ length: maxEvents + 1 }, (_, index) => ({ ...release, id: `r-${index}` }));
    assertViolationAt(batchOf(events), '/events', new RegExp(`more than ${maxEvents} items`));
  });

  test('rejects an empty batch', () => {
    assertViolationAt(batchOf([]), '/events');
  });

  test('rejects a star without actor.login', () => {
    assertViolationAt(
      batchWithOne('star', (event) => (event.actor = { email: 'fan@example.org' })),
      '/events/0/actor/login',
      /required/,
    );
    assertViolationAt(
      batchWithOne('star', (event) => delete event.actor),
      '/events/0/actor',
      /required/,
    );
  });

  test('rejects an unknown event type, naming the known ones', () => {
    assertViolationAt(
      batchWithOne('issue', (event) => (event.type = 'wiki_page')),
      '/events/0/type',
      /commit, pull_request, issue, release, star, fork/,
    );
  });

  test('reports every failing path of the batch, not only the first', () => {
    const events = eventsOfEachType();
    events[1]!.action = 'pushed';
    delete events[4]!.repository;
    const paths = violationsOf(batchOf(events)).map((violation) => violation.path);
    assert.ok(paths.includes('/events/1/action'), paths.join(' '));
    assert.ok(paths.includes('/events/4/repository'), paths.join(' '));
  });

  test('rejects a batch without a source or with unknown top-level fields', () => {
    assertViolationAt({ events: eventsOfEachType() }, '/source', /required/);
    assertViolationAt({ ...(batchOf(eventsOfEachType()) as object), extra: true }, '/extra', /not allowed/);
  });
  describe('nothing it accepts fails in PostgreSQL', () => {
    const data = (event: Record<string, unknown>) => event.data as Record<string, unknown>;

    test('refuses an integer its column cannot hold', () => {
      for (const field of ['additions', 'deletions'])
        assertViolationAt(
          batchWithOne('commit', (event) => (data(event)[field] = 2_147_483_648)),
          `/events/0/data/${field}`,
          /<= 2147483647/,
        );
      assertViolationAt(
        batchWithOne('issue', (event) => (data(event).number = 2_147_483_648)),
        '/events/0/data/number',
        /<= 2147483647/,
      );
    });

    test('refuses times PostgreSQL cannot store or reads otherwise, naming the path', () => {
      const profile = /seconds 00-59, at most 6 decimals, an offset within ±15:59/;
      const window = /from 1970-01-01T00:00:00Z to one day from now/;
      for (const [time, message] of [
        ['0000-01-01T00:00:00Z', window],
        ['0001-01-01T00:00:00Z', window],
        ['1969-12-31T23:59:59Z', window],
        ['9999-12-31T23:59:59-23:59', profile],
        ['9999-12-31T23:59:59Z', window],
        ['2026-01-01T00:00:00+16:00', profile],
        ['2016-12-31T23:59:60Z', profile],
        ['2026-01-01T23:59:59.9999999Z', profile],
        ['2026-01-01T00:00:00+05', profile],
        [new Date(Date.now() + 2 * 86_400_000).toISOString(), window],
      ] as const) {
        assertViolationAt(
          batchWithOne('star', (event) => (event.occurredAt = time)),
          '/events/0/occurredAt',
          message,
        );
      }
      for (const field of ['authoredAt', 'committedAt'])
        assertViolationAt(
          batchWithOne('commit', (event) => (data(event)[field] = '0000-01-01T00:00:00Z')),
          `/events/0/data/${field}`,
          window,
        );
    });

    test('accepts times at the ends of its window and every offset PostgreSQL reads', () => {
      for (const time of [
        '1970-01-01T00:00:00Z',
        '1970-01-01T01:00:00+01:00',
        '2026-01-01t00:00:00z',
        '2026-01-01T00:00:00.123456-15:59',
        new Date(Date.now() + 86_000_000).toISOString(),
      ])
        assert.doesNotThrow(() => validate(batchWithOne('star', (event) => (event.occurredAt = time))), time);
    });

    test('refuses NUL and unpaired surrogates in any text, naming the path', () => {
      const refused = /must not contain U\+0000 \(NUL\) or an unpaired surrogate/;
      for (const bad of ['fix\u0000', '\ud800', 'a\udc00b']) {
        assertViolationAt(
          batchWithOne('commit', (event) => (data(event).message = bad)),
          '/events/0/data/message',
          refused,
        );
        assertViolationAt(
          batchWithOne('issue', (event) => (data(event).title = bad)),
          '/events/0/data/title',
          refused,
        );
        assertViolationAt(
          batchWithOne('star', (event) => (event.id = bad)),
          '/events/0/id',
          refused,
        );
        assertViolationAt(
          batchWithOne('star', (event) => (event.actor = { login: bad })),
          '/events/0/actor/login',
          refused,
        );
        assertViolationAt(
          batchWithOne('commit', (event) => (data(event).author = { name: bad, email: bad })),
          '/events/0/data/author/email',
          refused,
        );
        assertViolationAt(
          batchWithOne('release', (event) => (data(event).tag = bad)),
          '/events/0/data/tag',
          refused,
        );
      }
      // A character beyond the BMP is a surrogate pair: that is text.
      assert.doesNotThrow(() =>
        validate(batchWithOne('issue', (event) => (data(event).title = 'ship it 🚀'))),
      );
    });
  });
});
