import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FollowUp } from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { createGithubWebhookHandler } from '../src/github-webhooks/handle-github-webhook.js';
import {
  forkBody,
  githubComExamples,
  issueBody,
  pullRequestBody,
  pushBody,
  sender,
  starBody,
  watchBody,
  webhookEnvelope,
  widgetsRepository,
} from './github-webhook-builders.js';

type Counts = {
  commits: number;
  pull_requests_opened: number;
  pull_requests_merged: number;
  issues_opened: number;
  issues_closed: number;
  releases: number;
  stars: number;
  forks: number;
};

const zero: Counts = {
  commits: 0,
  pull_requests_opened: 0,
  pull_requests_merged: 0,
  issues_opened: 0,
  issues_closed: 0,
  releases: 0,
  stars: 0,
  forks: 0,
};

const sha = (n: number) => n.toString(16).padStart(40, 'a');

describe('ingest.github-webhook handler (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  const handler = createGithubWebhookHandler(2_000);
  const logger = testLogger();

  before(async () => {
    testDatabase = await createTestDatabase();
  });
  after(async () => {
    await testDatabase.drop();
  });
  beforeEach(async () => {
    await testDatabase.database.query('TRUNCATE repositories, processed_events, rejected_events CASCADE');
  });

  async function handle(
    event: string,
    body: Record<string, unknown>,
    options?: Parameters<typeof webhookEnvelope>[2],
  ): Promise<FollowUp[]> {
    const followUps = await testDatabase.database.transaction((transaction) =>
      handler({ envelope: webhookEnvelope(event, body, options), transaction, logger }),
    );
    return followUps ?? [];
  }

  async function days(): Promise<Record<string, Counts>> {
    const { rows } = await testDatabase.database.query<Counts & { day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, commits, pull_requests_opened, pull_requests_merged, issues_opened,
              issues_closed, releases, stars, forks
       FROM activity_daily WHERE commits + pull_requests_opened + pull_requests_merged + issues_opened + issues_closed
         + releases + stars + forks > 0 ORDER BY day`,
    );
    return Object.fromEntries(rows.map(({ day, ...counts }) => [day, counts]));
  }

  async function count(table: string): Promise<number> {
    const { rows } = await testDatabase.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table}`,
    );
    return rows[0]!.n;
  }

  const exampleEvents = [
    'push',
    'pull_request',
    'pull_request_review',
    'issues',
    'issue_comment',
    'release',
    'star',
    'watch',
    'fork',
  ];
  const examples = githubComExamples(exampleEvents);

  test('accepts every GitHub.com example of the event types it maps', async () => {
    assert.deepEqual(new Set(examples.map((example) => example.event)), new Set(exampleEvents));
    for (const example of examples) {
      const followUps = await handle(example.event, example.body).catch((error: unknown) => {
        assert.fail(`${example.label}: ${String(error)}`);
      });
      assert.equal(followUps.length, 1, example.label);
    }
    // The examples are all about Codertocat/Hello-World (and one org's copy of it).
    const { rows } = await testDatabase.database.query<{ host: string; owner: string; name: string }>(
      'SELECT host, owner, name FROM repositories ORDER BY owner',
    );
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.equal(row.host, 'github.com');
    assert.ok(rows.some((row) => row.name === 'Hello-World'));
    for (const table of ['commits', 'pull_requests', 'issues', 'releases', 'stars', 'forks']) {
      assert.ok((await count(table)) > 0, `the examples stored no ${table}`);
    }
  });

  test('a push of 3 commits stores 3 commits and counts them by the UTC day of their author date', async () => {
    await handle(
      'push',
      pushBody([
        { id: sha(1), timestamp: '2026-03-01T23:59:59Z' },
        // 01:30 at UTC+02:00 is 23:30 UTC the day before
        { id: sha(2), timestamp: '2026-03-02T01:30:00+02:00' },
        { id: sha(3), timestamp: '2026-03-02T00:00:00Z', author: { name: 'Bot', email: 'BOT@example.org' } },
      ]),
    );
    const { rows } = await testDatabase.database.query<{
      sha: string;
      author_login: string | null;
      author_email: string;
    }>('SELECT sha, author_login, author_email FROM commits ORDER BY sha');
    assert.deepEqual(rows, [
      { sha: sha(1), author_login: 'ada', author_email: 'ada@example.org' },
      { sha: sha(2), author_login: 'ada', author_email: 'ada@example.org' },
      { sha: sha(3), author_login: null, author_email: 'bot@example.org' },
    ]);
    assert.deepEqual(await days(), {
      '2026-03-01': { ...zero, commits: 2 },
      '2026-03-02': { ...zero, commits: 1 },
    });
  });

  test('a merge commit recognised by its message is stored but not counted', async () => {
    await handle(
      'push',
      pushBody([
        { id: sha(4), timestamp: '2026-03-05T10:00:00Z', message: 'Merge pull request #7 from ada/feature' },
        { id: sha(5), timestamp: '2026-03-05T10:00:00Z', message: 'Merge branch main into feature' },
        {
          id: sha(6),
          timestamp: '2026-03-05T10:00:00Z',
          message: 'Fix the merge of two lists',
          distinct: false,
        },
      ]),
    );
    assert.equal(await count('commits'), 3);
    assert.deepEqual(await days(), { '2026-03-05': { ...zero, commits: 1 } });
  });

  test('commits pushed to another branch than the default one, or with a tag, are not stored', async () => {
    await handle('push', pushBody([{ id: sha(7), timestamp: '2026-03-06T10:00:00Z' }], 'refs/heads/feature'));
    await handle('push', pushBody([{ id: sha(8), timestamp: '2026-03-06T10:00:00Z' }], 'refs/tags/v1.0.0'));
    assert.equal(await count('commits'), 0);
    assert.equal(await count('repositories'), 1);
  });

  test('a pull request opened and then closed with merged_at is merged', async () => {
    const opened = { number: 12, created_at: '2026-03-10T09:00:00Z' } as const;
    await handle(
      'pull_request',
      pullRequestBody('opened', { ...opened, state: 'open', updated_at: opened.created_at }),
    );
    await handle(
      'pull_request',
      pullRequestBody('closed', {
        ...opened,
        state: 'closed' as const,
        updated_at: '2026-03-12T15:00:00Z',
        closed_at: '2026-03-12T15:00:00Z',
        merged_at: '2026-03-12T15:00:00Z',
      }),
    );
    const { rows } = await testDatabase.database.query(
      'SELECT number, title, author_login, state, created_at, merged_at, closed_at FROM pull_requests',
    );
    assert.deepEqual(rows, [
      {
        number: 12,
        title: 'Pull request 12',
        author_login: 'ada',
        state: 'merged',
        created_at: new Date('2026-03-10T09:00:00Z'),
        merged_at: new Date('2026-03-12T15:00:00Z'),
        closed_at: new Date('2026-03-12T15:00:00Z'),
      },
    ]);
    assert.deepEqual(await days(), {
      '2026-03-10': { ...zero, pull_requests_opened: 1 },
      '2026-03-12': { ...zero, pull_requests_merged: 1 },
    });
  });

  test('an issue opened, closed, reopened and closed again counts only by its last close', async () => {
    const issue = { number: 3, created_at: '2026-04-01T08:00:00Z' } as const;
    await handle('issues', issueBody('opened', { ...issue, state: 'open', updated_at: issue.created_at }));
    const firstClose = '2026-04-02T08:00:00Z';
    await handle(
      'issues',
      issueBody('closed', {
        ...issue,
        state: 'closed' as const,
        updated_at: firstClose,
        closed_at: firstClose,
      }),
    );
    await handle(
      'issues',
      issueBody('reopened', { ...issue, state: 'open', updated_at: '2026-04-03T08:00:00Z' }),
    );
    const { rows: reopened } = await testDatabase.database.query('SELECT state, closed_at FROM issues');
    assert.deepEqual(reopened, [{ state: 'open', closed_at: null }]);
    const lastClose = '2026-04-04T08:00:00Z';
    await handle(
      'issues',
      issueBody('closed', {
        ...issue,
        state: 'closed' as const,
        updated_at: lastClose,
        closed_at: lastClose,
      }),
    );
    const { rows } = await testDatabase.database.query('SELECT state, closed_at FROM issues');
    assert.deepEqual(rows, [{ state: 'closed' as const, closed_at: new Date(lastClose) }]);
    assert.deepEqual(await days(), {
      '2026-04-01': { ...zero, issues_opened: 1 },
      '2026-04-04': { ...zero, issues_closed: 1 },
    });
  });

  test('an issue event about a pull request stores no issue', async () => {
    await handle(
      'issues',
      issueBody('opened', {
        number: 4,
        state: 'open' as const,
        created_at: '2026-04-01T08:00:00Z',
        updated_at: '2026-04-01T08:00:00Z',
        pull_request: { url: 'https://api.github.com/repos/acme/widgets/pulls/4' },
      }),
    );
    assert.equal(await count('issues'), 0);
  });

  test('a comment upserts the issue or pull request it is on from the snapshot in the payload', async () => {
    const comment = { id: 1, body: 'Thanks!', user: { login: 'grace' } };
    const onIssue = issueBody('created', {
      number: 5,
      state: 'closed' as const,
      created_at: '2026-04-05T08:00:00Z',
      updated_at: '2026-04-06T08:00:00Z',
      closed_at: '2026-04-06T08:00:00Z',
    });
    await handle('issue_comment', { ...onIssue, comment });
    const onPullRequest = issueBody('created', {
      number: 6,
      state: 'open' as const,
      created_at: '2026-04-05T09:00:00Z',
      updated_at: '2026-04-05T09:00:00Z',
      pull_request: { url: 'https://api.github.com/repos/acme/widgets/pulls/6' },
    });
    await handle('issue_comment', { ...onPullRequest, comment });
    const { rows: issues } = await testDatabase.database.query(
      'SELECT number, state, created_at, closed_at FROM issues',
    );
    assert.deepEqual(issues, [
      {
        number: 5,
        state: 'closed' as const,
        created_at: new Date('2026-04-05T08:00:00Z'),
        closed_at: new Date('2026-04-06T08:00:00Z'),
      },
    ]);
    const { rows: pullRequests } = await testDatabase.database.query(
      'SELECT number, state FROM pull_requests',
    );
    assert.deepEqual(pullRequests, [{ number: 6, state: 'open' as const }]);
  });

  test('a star created and then deleted is not counted; a watch "started" is a star', async () => {
    await handle('star', starBody('created', 'ada', '2026-05-01T10:00:00Z'), {
      receivedAt: '2026-05-01T10:00:01Z',
    });
    await handle('star', starBody('deleted', 'ada', null), { receivedAt: '2026-05-01T11:00:00Z' });
    assert.deepEqual(await days(), {});
    await handle('watch', watchBody('grace'), { receivedAt: '2026-05-02T10:00:00Z' });
    const { rows } = await testDatabase.database.query(
      'SELECT actor_login, starred_at, unstarred_at FROM stars ORDER BY actor_login',
    );
    assert.deepEqual(rows, [
      {
        actor_login: 'ada',
        starred_at: new Date('2026-05-01T10:00:00Z'),
        unstarred_at: new Date('2026-05-01T11:00:00Z'),
      },
      { actor_login: 'grace', starred_at: new Date('2026-05-02T10:00:00Z'), unstarred_at: null },
    ]);
    assert.deepEqual(await days(), { '2026-05-02': { ...zero, stars: 1 } });
  });

  test('a fork is stored once, dated by its creation', async () => {
    await handle('fork', forkBody('grace', '2026-05-03T10:00:00Z'));
    await handle('fork', forkBody('grace', '2026-05-03T10:00:00Z'));
    const { rows } = await testDatabase.database.query(
      'SELECT fork_owner, fork_name, actor_login, forked_at FROM forks',
    );
    assert.deepEqual(rows, [
      {
        fork_owner: 'grace',
        fork_name: 'widgets',
        actor_login: 'grace',
        forked_at: new Date('2026-05-03T10:00:00Z'),
      },
    ]);
    assert.deepEqual(await days(), { '2026-05-03': { ...zero, forks: 1 } });
  });

  test('the same delivery body under two message ids stores no duplicate facts', async () => {
    const deliveries: Array<[string, Record<string, unknown>]> = [
      [
        'push',
        pushBody([
          { id: sha(9), timestamp: '2026-06-01T10:00:00Z' },
          { id: sha(10), timestamp: '2026-06-01T11:00:00Z' },
        ]),
      ],
      [
        'pull_request',
        pullRequestBody('opened', {
          number: 1,
          state: 'open' as const,
          created_at: '2026-06-01T10:00:00Z',
          updated_at: '2026-06-01T10:00:00Z',
        }),
      ],
      [
        'issues',
        issueBody('opened', {
          number: 2,
          state: 'open' as const,
          created_at: '2026-06-01T10:00:00Z',
          updated_at: '2026-06-01T10:00:00Z',
        }),
      ],
      ['star', starBody('created', 'ada', '2026-06-01T10:00:00Z')],
      ['watch', watchBody('grace')],
      ['fork', forkBody('linus', '2026-06-01T10:00:00Z')],
    ];
    const receivedAt = '2026-06-01T12:00:00Z';
    for (const [event, body] of deliveries) {
      const deliveryId = `delivery-${event}`;
      await handle(event, body, { deliveryId, receivedAt, messageId: 'first' + event });
      await handle(event, body, { deliveryId, receivedAt, messageId: 'second' + event });
    }
    const tables = ['commits', 'pull_requests', 'issues', 'stars', 'forks', 'repositories'];
    const counts = Object.fromEntries(
      await Promise.all(tables.map(async (table) => [table, await count(table)])),
    );
    assert.deepEqual(counts, {
      commits: 2,
      pull_requests: 1,
      issues: 1,
      stars: 2,
      forks: 1,
      repositories: 1,
    });
    assert.deepEqual(await days(), {
      '2026-06-01': { ...zero, commits: 2, pull_requests_opened: 1, issues_opened: 1, stars: 2, forks: 1 },
    });
  });

  test('a release published counts on its publication day until it is deleted; a draft is no release', async () => {
    const release = {
      tag_name: 'v1.0.0',
      name: 'One',
      draft: false,
      created_at: '2026-07-01T09:00:00Z',
      published_at: '2026-07-01T10:00:00Z',
    };
    const body = (action: string, overrides: object = {}) => ({
      action,
      release: { ...release, ...overrides },
      repository: pushBody([])['repository'],
    });
    await handle('release', body('created', { tag_name: 'v2.0.0-draft', draft: true, published_at: null }));
    await handle('release', body('published'), { receivedAt: '2026-07-01T10:00:01Z' });
    assert.deepEqual(await days(), { '2026-07-01': { ...zero, releases: 1 } });
    await handle('release', body('deleted'), { receivedAt: '2026-07-02T10:00:00Z' });
    assert.deepEqual(await days(), {});
    assert.equal(await count('releases'), 1);
  });

  test('every delivery of a repository returns one coalesced metrics.compute for it, to wait the configured delay', async () => {
    const followUps = [
      ...(await handle('push', pushBody([{ id: sha(11), timestamp: '2026-08-01T10:00:00Z' }]))),
      ...(await handle('create', {
        ref: 'feature',
        ref_type: 'branch',
        repository: pushBody([])['repository'],
      })),
    ];
    const { rows } = await testDatabase.database.query<{ id: string }>('SELECT id FROM repositories');
    assert.equal(rows.length, 1);
    const expected: FollowUp = {
      type: 'metrics.compute',
      payload: { repositoryId: rows[0]!.id },
      coalesceKey: `metrics.compute:${rows[0]!.id}`,
      delayMs: 2_000,
    };
    assert.deepEqual(followUps, [expected, expected]);
  });

  test('drops an event type it does not process without writing or following up', async () => {
    assert.deepEqual(await handle('gollum', { pages: [], repository: pushBody([])['repository'] }), []);
    assert.equal(await count('repositories'), 0);
  });

  test('sets a delivery without its repository aside as a rejected event with the path, writing nothing else', async () => {
    assert.deepEqual(await handle('star', { action: 'created', sender: { login: 'ada' } }), []);
    const malformed = { ...webhookEnvelope('star', {}), payload: { event: 'star' } };
    assert.deepEqual(
      await testDatabase.database.transaction((transaction) =>
        handler({ envelope: malformed, transaction, logger }),
      ),
      [],
    );
    assert.equal(await count('repositories'), 0);
    const { rows } = await testDatabase.database.query<{ event_type: string; errors: unknown[] }>(
      'SELECT event_type, errors FROM rejected_events ORDER BY id',
    );
    assert.deepEqual(
      rows.map((row) => row.errors),
      [
        [{ path: '/repository', message: 'is required' }],
        [
          { path: '/deliveryId', message: 'must be a non-empty string' },
          { path: '/receivedAt', message: 'must be a non-empty string' },
          { path: '/body', message: 'must be an object' },
        ],
      ],
    );
    assert.deepEqual(
      rows.map((row) => row.event_type),
      ['star', 'star'],
    );
  });

  describe('first responses, bots and repository metadata', () => {
    type Conversation = {
      first_response_at: Date | null;
      first_responder_login: string | null;
      author_is_bot: boolean;
      approved?: boolean | null;
    };
    async function conversation(table: 'issues' | 'pull_requests', number: number): Promise<Conversation> {
      const { rows } = await testDatabase.database.query<Conversation>(
        `SELECT first_response_at, first_responder_login, author_is_bot${table === 'pull_requests' ? ', approved' : ''}
         FROM ${table} WHERE number = $1`,
        [number],
      );
      return rows[0]!;
    }
    const comment = (login: string, createdAt: string, type = 'User') => ({
      id: Math.floor(Math.random() * 1e9),
      user: { login, type },
      created_at: createdAt,
      body: 'hi',
    });

    test("an issue comment by someone else is a response; the author's own and a bot's are not; the earliest wins", async () => {
      const issue = {
        number: 7,
        created_at: '2026-03-01T10:00:00Z',
        updated_at: '2026-03-01T10:00:00Z',
        state: 'open' as const,
      };
      await handle('issues', issueBody('opened', issue));
      const commentBody = (login: string, at: string, type?: string) => ({
        ...issueBody('created', { ...issue, updated_at: at }),
        comment: comment(login, at, type),
      });
      await handle('issue_comment', commentBody('grace', '2026-03-01T11:00:00Z')); // the author
      await handle('issue_comment', commentBody('dependabot[bot]', '2026-03-01T11:30:00Z', 'Bot'));
      await handle('issue_comment', commentBody('github-actions', '2026-03-01T11:40:00Z'));
      assert.deepEqual(await conversation('issues', 7), {
        first_response_at: null,
        first_responder_login: null,
        author_is_bot: false,
      });
      await handle('issue_comment', commentBody('linus', '2026-03-02T09:00:00Z'));
      // Delivered late, but earlier: it becomes the first response.
      await handle('issue_comment', commentBody('ada', '2026-03-01T15:00:00Z'));
      await handle('issue_comment', commentBody('bob', '2026-03-03T09:00:00Z'));
      assert.deepEqual(await conversation('issues', 7), {
        first_response_at: new Date('2026-03-01T15:00:00Z'),
        first_responder_login: 'ada',
        author_is_bot: false,
      });
    });

    test("closing someone else's issue is a response; closing one's own is not", async () => {
      const opened = {
        number: 8,
        created_at: '2026-03-01T10:00:00Z',
        updated_at: '2026-03-01T10:00:00Z',
        state: 'open' as const,
      };
      const closed = {
        ...opened,
        state: 'closed' as const,
        closed_at: '2026-03-04T10:00:00Z',
        updated_at: '2026-03-04T10:00:00Z',
      };
      await handle('issues', { ...issueBody('closed', closed), sender: sender('grace') });
      assert.equal((await conversation('issues', 8)).first_response_at, null);
      await handle('issues', { ...issueBody('closed', { ...closed, number: 9 }), sender: sender('linus') });
      assert.deepEqual(await conversation('issues', 9), {
        first_response_at: new Date('2026-03-04T10:00:00Z'),
        first_responder_login: 'linus',
        author_is_bot: false,
      });
    });

    test("a review by another person responds and approves; a bot's pull request is marked", async () => {
      const pullRequest = {
        number: 21,
        created_at: '2026-04-01T08:00:00Z',
        updated_at: '2026-04-01T08:00:00Z',
        state: 'open' as const,
        user: { login: 'dependabot[bot]', type: 'Bot', id: 49699333 },
      };
      await handle('pull_request', pullRequestBody('opened', pullRequest));
      const review = (login: string, state: string, at: string) => ({
        ...pullRequestBody('submitted', { ...pullRequest, updated_at: at }),
        review: { id: 1, user: { login, type: 'User' }, state, submitted_at: at },
      });
      await handle('pull_request_review', review('dependabot[bot]', 'commented', '2026-04-01T08:30:00Z'));
      assert.deepEqual(await conversation('pull_requests', 21), {
        first_response_at: null,
        first_responder_login: null,
        author_is_bot: true,
        approved: null,
      });
      await handle('pull_request_review', review('ada', 'commented', '2026-04-01T12:00:00Z'));
      await handle('pull_request_review', review('linus', 'approved', '2026-04-02T12:00:00Z'));
      assert.deepEqual(await conversation('pull_requests', 21), {
        first_response_at: new Date('2026-04-01T12:00:00Z'),
        first_responder_login: 'ada',
        author_is_bot: true,
        approved: true,
      });
    });

    test('the repository object of a delivery updates the metadata; an older delivery does not undo a newer one', async () => {
      const repository = {
        ...widgetsRepository,
        id: 4242,
        stargazers_count: 120,
        forks_count: 9,
        language: 'Rust',
        topics: ['cli', 'parsing'],
        license: { spdx_id: 'MIT' },
        archived: false,
        fork: false,
        has_issues: true,
        created_at: 1_700_000_000, // push payloads give epoch seconds
        pushed_at: 1_780_000_000,
        description: 'Widgets for everyone',
      };
      await handle('watch', { ...watchBody('zoe'), repository }, { receivedAt: '2026-05-02T00:00:00Z' });
      await handle(
        'watch',
        { ...watchBody('yan'), repository: { ...repository, stargazers_count: 100 } },
        { receivedAt: '2026-05-01T00:00:00Z' },
      );
      const { rows } = await testDatabase.database.query(
        `SELECT github_id::int, stars, forks, primary_language, topics, license, archived, is_fork, has_issues,
                repo_created_at, description, default_branch, owner_type FROM repositories`,
      );
      assert.deepEqual(rows, [
        {
          github_id: 4242,
          stars: 120,
          forks: 9,
          primary_language: 'Rust',
          topics: ['cli', 'parsing'],
          license: 'MIT',
          archived: false,
          is_fork: false,
          has_issues: true,
          repo_created_at: new Date(1_700_000_000_000),
          description: 'Widgets for everyone',
          default_branch: 'main',
          owner_type: 'Organization',
        },
      ]);
    });
  });
});
