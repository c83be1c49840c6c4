import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crawlMessageForSource, cronScheduleProblem } from '../src/index.js';

describe('source schedules', () => {
  test('accepts five-field, six-field (seconds first) and nickname expressions', () => {
    for (const expression of ['0 3 * * *', '*/15 * * * *', '0 9 * * MON-FRI', '*/10 * * * * *', '@daily']) {
      assert.equal(cronScheduleProblem(expression), undefined, expression);
    }
  });

  test('says what is wrong with an expression cron cannot run', () => {
    assert.match(cronScheduleProblem('every day at noon')!, /expected 5 or 6 fields but got 4/);
    assert.match(cronScheduleProblem('61 * * * *')!, /^minute: 61 is a invalid expression for minute/);
    assert.match(cronScheduleProblem('0 0 31 2 *')!, /impossible day of month/);
    assert.match(cronScheduleProblem('  ')!, /is empty/);
    assert.match(cronScheduleProblem('* '.repeat(150))!, /longer than 200/);
  });
});

describe('the crawl message of a source', () => {
  const context = { crawlRunId: 'run-1', requestedBy: 'cron' };

  test('an organisation or user is listed by crawl.org', () => {
    const message = crawlMessageForSource({ id: '7', kind: 'github-user', target: 'octocat' }, context);
    assert.deepEqual(message, {
      routingKey: 'crawl.org',
      items: undefined,
      payload: {
        host: 'github.com',
        login: 'octocat',
        kind: 'github-user',
        crawlRunId: 'run-1',
        requestedBy: 'cron',
        sourceId: '7',
      },
    });
  });

  test('a GitHub repository or a git URL is one crawl.repo, planned as one item', () => {
    assert.deepEqual(
      crawlMessageForSource({ id: '8', kind: 'github-repo', target: 'Octo/Hello.World' }, context),
      {
        routingKey: 'crawl.repo',
        items: ['github.com/octo/hello.world'],
        payload: {
          host: 'github.com',
          owner: 'Octo',
          name: 'Hello.World',
          crawlRunId: 'run-1',
          requestedBy: 'cron',
          sourceId: '8',
        },
      },
    );
    const git = crawlMessageForSource(
      { id: '9', kind: 'git', target: 'git@git.example.org:tools/widget.git' },
      context,
    );
    assert.equal(git?.routingKey, 'crawl.repo');
    assert.deepEqual(git?.items, ['git.example.org/tools/widget']);
    assert.equal(git?.payload.crawlRunId, 'run-1');
  });

  test('a target that names nothing crawlable has no message', () => {
    assert.equal(
      crawlMessageForSource({ id: '1', kind: 'github-repo', target: 'no-slash' }, context),
      undefined,
    );
    assert.equal(crawlMessageForSource({ id: '1', kind: 'git', target: 'not a url' }, context), undefined);
  });
});
