import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { refreshActivityDays } from '../src/activity/refresh-activity-days.js';
import { TouchedDays } from '../src/activity/touched-days.js';
import {
  crawlGitRepository,
  GitRepositoryUnavailableError,
  type GitCrawlResult,
} from '../src/git-crawler/crawl-git-repository.js';
import { mirrorDirectoryFor } from '../src/git-crawler/git-mirror.js';
import { isRepositoryUnavailableMessage } from '../src/git-crawler/git-repository-unavailable-error.js';
import {
  createGitRepository,
  runGit,
  temporaryDirectory,
  type Identity,
  type TestGitRepository,
} from './support/git-repositories.js';
import { localGitTargets } from './support/local-git-targets.js';

const alice: Identity = { name: 'Alice', email: 'alice@old.example' };
const aliceAtNewJob: Identity = { name: 'alice smith', email: 'Alice@New.Example' };
const bob: Identity = { name: 'Bob', email: 'bob@example.net' };
const carol: Identity = { name: 'Carol', email: 'carol@example.org' };
const dave: Identity = { name: 'Dave', email: 'dave@example.com' };
const dependabot: Identity = {
  name: 'dependabot[bot]',
  email: '49699333+dependabot[bot]@users.noreply.github.com',
};
const mailmap = [
  'Alice Smith <alice@example.org> <alice@old.example>',
  'Alice Smith <alice@example.org> <alice@new.example>',
  '',
].join('\n');
// A PNG signature and NUL bytes: git counts it as binary ("-\t-" in numstat).
const binaryImage = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0, 1, 2, 3]);

interface CommitRow {
  sha: string;
  authored_at: Date;
  committed_at: Date;
  author_name: string;
  author_email: string;
  author_login: string | null;
  author_original_name: string;
  author_original_email: string;
  author_tz_offset: number;
  committer_name: string;
  committer_email: string;
  committer_tz_offset: number;
  message: string;
  additions: number | null;
  deletions: number | null;
  files_changed: number | null;
  is_merge: boolean;
  co_authors: Array<{ name: string; email: string }> | null;
  author_is_bot: boolean;
  xmin: string;
}

describe('git crawler (real git, real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let cacheDir: string;
  const logger = testLogger('git-crawler');
  const cleanups: Array<() => Promise<void>> = [];

  before(async () => {
    testDatabase = await createTestDatabase();
    cacheDir = await temporaryDirectory('git-cache');
  });
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
    await rm(cacheDir, { recursive: true, force: true });
    await testDatabase.drop();
  });

  async function newRepositoryRow(name: string): Promise<string> {
    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO repositories (host, owner, name) VALUES ('local', 'test', $1) RETURNING id`,
      [name],
    );
    return rows[0]!.id;
  }

  function crawl(repositoryId: string, gitUrl: string, options: { batchSize?: number } = {}) {
    return testDatabase.database.transaction((transaction) =>
      crawlGitRepository({
        transaction,
        repositoryId,
        gitUrl,
        cacheDir,
        logger,
        ...localGitTargets,
        ...options,
      }),
    );
  }

  async function commitRows(repositoryId: string): Promise<Map<string, CommitRow>> {
    const { rows } = await testDatabase.database.query<CommitRow>(
      `SELECT sha, authored_at, committed_at, author_name, author_email, author_login, author_original_name,
         author_original_email, author_tz_offset, committer_name, committer_email, committer_tz_offset, message,
         additions, deletions, files_changed, is_merge, co_authors, author_is_bot, xmin::text AS xmin
       FROM commits WHERE repository_id = $1`,
      [repositoryId],
    );
    return new Map(rows.map((row) => [row.sha, row]));
  }

  async function activityDays(repositoryId: string): Promise<Record<string, number>> {
    const { rows } = await testDatabase.database.query<{ day: string; commits: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, commits FROM activity_daily
       WHERE repository_id = $1 AND commits > 0 ORDER BY day`,
      [repositoryId],
    );
    return Object.fromEntries(rows.map((row) => [row.day, row.commits]));
  }

  /** What git says: the default branch's non-merge commits per UTC day of their author date. */
  async function gitCommitsPerDay(
    repository: TestGitRepository,
    branch: string,
  ): Promise<Record<string, number>> {
    const days: Record<string, number> = {};
    for (const seconds of (await repository.git(['log', '--no-merges', '--format=%at', branch])).split(
      '\n',
    )) {
      if (seconds === '') continue;
      const day = new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
      days[day] = (days[day] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(days).sort());
  }

  async function gitShas(repository: TestGitRepository, range: string): Promise<string[]> {
    return (await repository.git(['log', '--format=%H', range])).split('\n').filter(Boolean).sort();
  }

  async function repositoryState(repositoryId: string) {
    const { rows } = await testDatabase.database.query<{
      git_head: string | null;
      default_branch: string | null;
      git_url: string | null;
      git_crawled_at: Date | null;
    }>('SELECT git_head, default_branch, git_url, git_crawled_at FROM repositories WHERE id = $1', [
      repositoryId,
    ]);
    return rows[0]!;
  }

  describe('a history with several people, time zones, a mailmap, a merge, a bot and a side branch', () => {
    let repository: TestGitRepository;
    let repositoryId: string;
    let result: GitCrawlResult;
    let rows: Map<string, CommitRow>;
    const sha: Record<string, string> = {};

    before(async () => {
      repository = await createGitRepository('main');
      cleanups.push(() => repository.remove());
      sha.first = await repository.commit({
        author: alice,
        date: '2026-03-01T10:00:00+05:30',
        message: 'First lines and a logo',
        files: { 'README.md': 'one\ntwo\nthree\n', 'logo.png': binaryImage },
      });
      sha.timeZones = await repository.commit({
        author: aliceAtNewJob,
        date: '2026-03-01T20:00:00-08:00',
        committer: bob,
        commitDate: '2026-03-02T09:00:00+01:00',
        message: 'Late evening in California',
        files: { 'README.md': 'one\n2\nthree\nfour\n' },
      });
      sha.coAuthored = await repository.commit({
        author: bob,
        date: '2026-03-02T12:00:00+00:00',
        // A body line shaped like a numstat line must stay part of the message.
        message:
          'Add the app and a mailmap\n\nA body line.\n3\t4\tnot-a-file.txt\n\n' +
          'Co-authored-by: Alice <alice@old.example>\nCo-authored-by: Erin <erin@example.com>\n' +
          'co-authored-by: Erin Again <ERIN@example.com>',
        files: { '.mailmap': mailmap, 'src/app.ts': 'a\nb\nc\nd\ne\n' },
      });
      await repository.checkout('feature', { create: true });
      sha.feature = await repository.commit({
        author: carol,
        date: '2026-03-03T09:00:00+09:00',
        message: 'A feature',
        files: { 'src/feature.ts': 'export const feature = 1;\nexport const other = 2;\n' },
      });
      await repository.checkout('main');
      sha.bot = await repository.commit({
        author: dependabot,
        date: '2026-03-03T10:00:00+00:00',
        message: 'Bump left-pad from 1.0.0 to 1.0.1',
        files: { 'package.json': '{ "dependencies": { "left-pad": "1.0.1" } }\n' },
      });
      sha.merge = await repository.merge('feature', {
        author: alice,
        date: '2026-03-04T08:00:00-08:00',
        message: "Merge branch 'feature'",
      });
      await repository.git(['mv', 'src/app.ts', 'src/main.ts']);
      sha.rename = await repository.commit({
        author: bob,
        date: '2026-03-05T00:30:00+05:30',
        message: 'Rename',
      });
      await repository.checkout('wip', { create: true });
      sha.wip = await repository.commit({
        author: dave,
        date: '2026-03-06T10:00:00+00:00',
        message: 'Work in progress',
        files: { 'wip.txt': 'wip\n' },
      });
      await repository.checkout('main');

      repositoryId = await newRepositoryRow('history');
      result = await crawl(repositoryId, repository.path, { batchSize: 2 });
      rows = await commitRows(repositoryId);
    });

    test('reads every commit reachable from the default branch, merges included, and nothing else', async () => {
      assert.deepEqual([...rows.keys()].sort(), await gitShas(repository, 'main'));
      assert.equal(rows.size, 7);
      assert.equal(rows.has(sha.wip!), false);
      assert.equal(result.commitsRead, 7);
      assert.equal(result.newCommits, 7);
      assert.equal(result.head, (await repository.git(['rev-parse', 'main'])).trim());
      assert.equal(rows.get(sha.merge!)!.is_merge, true);
      assert.deepEqual(
        [...rows.values()].filter((row) => row.is_merge).map((row) => row.sha),
        [sha.merge],
      );
    });

    test('records the head, the default branch and the URL on the repository', async () => {
      const state = await repositoryState(repositoryId);
      assert.equal(state.git_head, result.head);
      assert.equal(state.default_branch, 'main');
      assert.equal(state.git_url, repository.path);
      assert.ok(state.git_crawled_at instanceof Date);
    });

    test('names authors as the mailmap does and keeps the identity the commit recorded', async () => {
      const first = rows.get(sha.first!)!;
      assert.equal(first.author_name, 'Alice Smith');
      assert.equal(first.author_email, 'alice@example.org');
      assert.equal(first.author_original_name, 'Alice');
      assert.equal(first.author_original_email, 'alice@old.example');
      const second = rows.get(sha.timeZones!)!;
      assert.equal(second.author_name, 'Alice Smith');
      assert.equal(second.author_email, 'alice@example.org');
      assert.equal(second.author_original_name, 'alice smith');
      assert.equal(second.author_original_email, 'Alice@New.Example');
      assert.equal(second.committer_name, 'Bob');
      assert.equal(second.committer_email, 'bob@example.net');
      assert.equal(first.author_login, null);

      // git shortlog -sne applies the same mailmap: the same people with the same counts.
      const shortlog = (await repository.git(['shortlog', '-sne', 'main']))
        .split('\n')
        .filter(Boolean)
        .map((line) => /^\s*(\d+)\t(.*) <(.*)>$/.exec(line)!)
        .map(([, count, name, email]) => `${name} <${email!.toLowerCase()}> ${count}`)
        .sort();
      const counts = new Map<string, number>();
      for (const row of rows.values()) {
        const key = `${row.author_name} <${row.author_email}>`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      assert.deepEqual([...counts].map(([key, count]) => `${key} ${count}`).sort(), shortlog);
    });

    test('stores author dates in UTC with the author and committer offsets in minutes', async () => {
      const first = rows.get(sha.first!)!;
      assert.equal(first.authored_at.toISOString(), '2026-03-01T04:30:00.000Z');
      assert.equal(first.author_tz_offset, 330);
      const second = rows.get(sha.timeZones!)!;
      assert.equal(second.authored_at.toISOString(), '2026-03-02T04:00:00.000Z');
      assert.equal(second.author_tz_offset, -480);
      assert.equal(second.committed_at.toISOString(), '2026-03-02T08:00:00.000Z');
      assert.equal(second.committer_tz_offset, 60);
      assert.equal(rows.get(sha.feature!)!.authored_at.toISOString(), '2026-03-03T00:00:00.000Z');
      assert.equal(rows.get(sha.feature!)!.author_tz_offset, 540);
      assert.equal(rows.get(sha.bot!)!.author_tz_offset, 0);
    });

    test('counts lines and files from numstat, a binary file adding no lines and a rename none', async () => {
      assert.deepEqual(pick(rows.get(sha.first!)!), { additions: 3, deletions: 0, files_changed: 2 });
      assert.deepEqual(pick(rows.get(sha.timeZones!)!), { additions: 2, deletions: 1, files_changed: 1 });
      assert.deepEqual(pick(rows.get(sha.coAuthored!)!), { additions: 7, deletions: 0, files_changed: 2 });
      assert.deepEqual(pick(rows.get(sha.rename!)!), { additions: 0, deletions: 0, files_changed: 1 });
      assert.deepEqual(pick(rows.get(sha.merge!)!), {
        additions: null,
        deletions: null,
        files_changed: null,
      });

      // The totals are what `git log --numstat` adds up to for the same branch.
      let additions = 0;
      let deletions = 0;
      let files = 0;
      for (const line of (await repository.git(['log', '--numstat', '--format=', 'main'])).split('\n')) {
        const [added, deleted] = line.split('\t');
        if (deleted === undefined) continue;
        files++;
        additions += added === '-' ? 0 : Number(added);
        deletions += deleted === '-' ? 0 : Number(deleted);
      }
      const sum = (key: 'additions' | 'deletions' | 'files_changed') =>
        [...rows.values()].reduce((total, row) => total + (row[key] ?? 0), 0);
      assert.deepEqual(
        { additions: sum('additions'), deletions: sum('deletions'), files: sum('files_changed') },
        { additions, deletions, files },
      );
    });

    test('keeps the whole message and reads co-authors from its trailers, mailmap applied', async () => {
      const row = rows.get(sha.coAuthored!)!;
      assert.equal(
        row.message,
        'Add the app and a mailmap\n\nA body line.\n3\t4\tnot-a-file.txt\n\n' +
          'Co-authored-by: Alice <alice@old.example>\nCo-authored-by: Erin <erin@example.com>\n' +
          'co-authored-by: Erin Again <ERIN@example.com>',
      );
      assert.deepEqual(row.co_authors, [
        { name: 'Alice Smith', email: 'alice@example.org' },
        { name: 'Erin', email: 'erin@example.com' },
      ]);
      assert.deepEqual(rows.get(sha.first!)!.co_authors, []);
    });

    test('marks the bot’s commit as a bot’s and no other', async () => {
      assert.equal(rows.get(sha.bot!)!.author_is_bot, true);
      assert.deepEqual(
        [...rows.values()].filter((row) => row.author_is_bot).map((row) => row.sha),
        [sha.bot],
      );
    });

    test('counts the activity of each UTC day as git log --no-merges does', async () => {
      assert.deepEqual(await activityDays(repositoryId), await gitCommitsPerDay(repository, 'main'));
      assert.deepEqual(await activityDays(repositoryId), {
        '2026-03-01': 1,
        '2026-03-02': 2,
        '2026-03-03': 2,
        '2026-03-04': 1,
      });
    });
  });

  describe('crawling again', () => {
    let repository: TestGitRepository;
    let repositoryId: string;
    const at = (day: number, hour = 12) =>
      `2026-04-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+02:00`;

    before(async () => {
      repository = await createGitRepository('main');
      cleanups.push(() => repository.remove());
      for (let day = 1; day <= 5; day++) {
        await repository.commit({
          author: bob,
          date: at(day),
          message: `Day ${day}`,
          files: { 'log.txt': `${day}\n` },
        });
      }
      repositoryId = await newRepositoryRow('again');
      const first = await crawl(repositoryId, repository.path);
      assert.equal(first.commitsRead, 5);
    });

    test('reads nothing when the default branch has not moved', async () => {
      const before = await commitRows(repositoryId);
      const result = await crawl(repositoryId, repository.path);
      assert.equal(result.commitsRead, 0);
      assert.equal(result.newCommits, 0);
      assert.deepEqual(await commitRows(repositoryId), before);
    });

    test('reads only the commits added since, leaving the stored ones untouched', async () => {
      const before = await commitRows(repositoryId);
      await repository.commit({ author: carol, date: at(6), message: 'Day 6', files: { 'log.txt': '6\n' } });
      await repository.commit({
        author: carol,
        date: at(7, 1),
        message: 'Day 7',
        files: { 'log.txt': '7\n' },
      });
      const result = await crawl(repositoryId, repository.path);
      assert.equal(result.commitsRead, 2);
      assert.equal(result.newCommits, 2);
      assert.equal(result.commitsRemoved, 0);
      const after = await commitRows(repositoryId);
      for (const [key, row] of before) assert.deepEqual(after.get(key), row); // same xmin: not rewritten
      assert.deepEqual([...after.keys()].sort(), await gitShas(repository, 'main'));
      const { rows } = await testDatabase.database.query<{ all: number; distinct: number }>(
        'SELECT count(*)::int AS all, count(DISTINCT sha)::int AS distinct FROM commits WHERE repository_id = $1',
        [repositoryId],
      );
      assert.deepEqual(rows[0], { all: 7, distinct: 7 });
      assert.deepEqual(await activityDays(repositoryId), await gitCommitsPerDay(repository, 'main'));
      assert.equal((await repositoryState(repositoryId)).git_head, result.head);
    });

    test('after a force push, reads the branch again and removes the commits it lost', async () => {
      const lost = (await repository.git(['rev-parse', 'HEAD', 'HEAD~1'])).trim().split('\n');
      await repository.git(['reset', '--quiet', '--hard', 'HEAD~2']);
      const rewritten = await repository.commit({
        author: dave,
        date: at(8),
        message: 'Day 8, written over days 6 and 7',
        files: { 'log.txt': '8\n' },
      });
      const result = await crawl(repositoryId, repository.path);
      assert.equal(result.head, rewritten);
      assert.equal(result.commitsRead, 6);
      assert.equal(result.newCommits, 1);
      assert.equal(result.commitsRemoved, 2);
      const after = await commitRows(repositoryId);
      for (const sha of lost) assert.equal(after.has(sha), false);
      assert.deepEqual([...after.keys()].sort(), await gitShas(repository, 'main'));
      assert.deepEqual(await activityDays(repositoryId), await gitCommitsPerDay(repository, 'main'));
    });

    test('fills in a commit a webhook stored with fewer fields, keeping its GitHub login', async () => {
      await repository.commit({
        author: bob,
        date: at(9),
        message: 'Day 9, pushed',
        files: { 'log.txt': '9\n' },
      });
      const pushed = (await repository.git(['rev-parse', 'HEAD'])).trim();
      // As a webhook would have stored it, dated a day late, with its day counted.
      await testDatabase.database.transaction(async (transaction) => {
        await transaction.query(
          `INSERT INTO commits (repository_id, sha, authored_at, author_name, author_email, author_login, message, is_merge)
           VALUES ($1, $2, '2026-04-10T10:00:00Z', 'Bob', 'bob@example.net', 'bob-on-github', 'Day 9', false)`,
          [repositoryId, pushed],
        );
        const touched = new TouchedDays();
        touched.add(repositoryId, '2026-04-10T10:00:00Z');
        await refreshActivityDays(transaction, touched);
      });
      assert.equal((await activityDays(repositoryId))['2026-04-10'], 1);
      const result = await crawl(repositoryId, repository.path);
      assert.equal(result.commitsRead, 1);
      assert.equal(result.newCommits, 0);
      const row = (await commitRows(repositoryId)).get(pushed)!;
      assert.equal(row.author_login, 'bob-on-github');
      assert.equal(row.message, 'Day 9, pushed');
      assert.deepEqual(pick(row), { additions: 1, deletions: 1, files_changed: 1 });
      assert.equal(row.author_tz_offset, 120);
      assert.equal(row.author_original_email, 'bob@example.net');
      assert.equal(row.authored_at.toISOString(), '2026-04-09T10:00:00.000Z');
      // Both the day it left and the day it moved to are recounted.
      assert.deepEqual(await activityDays(repositoryId), await gitCommitsPerDay(repository, 'main'));
    });
  });

  test('follows the repository’s default branch, whatever its name, and reads no other', async () => {
    const repository = await createGitRepository('trunk');
    cleanups.push(() => repository.remove());
    await repository.commit({
      author: bob,
      date: '2026-05-01T10:00:00Z',
      message: 'On trunk',
      files: { a: 'a\n' },
    });
    await repository.checkout('main', { create: true });
    await repository.commit({
      author: carol,
      date: '2026-05-02T10:00:00Z',
      message: 'On main',
      files: { b: 'b\n' },
    });
    await repository.checkout('trunk');
    const repositoryId = await newRepositoryRow('trunk');
    const result = await crawl(repositoryId, `file://${repository.path}`);
    assert.equal(result.commitsRead, 1);
    assert.deepEqual([...(await commitRows(repositoryId)).keys()], await gitShas(repository, 'trunk'));
    assert.equal((await repositoryState(repositoryId)).default_branch, 'trunk');
  });

  test('stores the version tags with their dates, and a re-crawl follows tags added, moved and deleted', async () => {
    const source = await createGitRepository();
    cleanups.push(() => source.remove());
    const ada = { name: 'Ada', email: 'ada@example.org' };
    const at = (date: string) => ({ author: ada, committer: ada, date, commitDate: date });
    const first = await source.commit({ author: ada, date: '2026-02-01T10:00:00+02:00', message: 'one' });
    await source.git(['tag', '-a', 'v1.0.0', '-m', 'First'], at('2026-02-03T09:00:00+01:00'));
    await source.git(['tag', 'nightly']); // not a version
    const tree = (await source.git(['rev-parse', 'HEAD^{tree}'])).trim();
    await source.git(['tag', 'v0.0.1-tree', tree]); // a tag of a tree, not of a commit
    await source.commit({ author: ada, date: '2026-03-01T10:00:00Z', message: 'two' });
    await source.git(['tag', 'release-1.1']); // lightweight: the commit's date
    const repositoryId = await newRepositoryRow('tagged');

    const tags = async () => {
      const { rows } = await testDatabase.database.query<{ tag: string; tagged_at: Date }>(
        'SELECT tag, tagged_at FROM version_tags WHERE repository_id = $1 ORDER BY tag',
        [repositoryId],
      );
      return Object.fromEntries(rows.map((row) => [row.tag, row.tagged_at.toISOString()]));
    };
    await crawl(repositoryId, source.path);
    assert.deepEqual(await tags(), {
      'release-1.1': '2026-03-01T10:00:00.000Z',
      'v1.0.0': '2026-02-03T08:00:00.000Z',
    });

    await testDatabase.database.query('UPDATE repositories SET metrics_dirty_since = NULL WHERE id = $1', [
      repositoryId,
    ]);
    await source.git(['tag', '-d', 'release-1.1']);
    await source.git(['tag', '-f', 'v1.0.0', first]); // now lightweight, on the first commit
    await source.git(['tag', '2.0'], at('2026-04-01T00:00:00Z'));
    await crawl(repositoryId, source.path);
    assert.deepEqual(await tags(), {
      '2.0': '2026-03-01T10:00:00.000Z',
      'v1.0.0': '2026-02-01T08:00:00.000Z',
    });
    // The metrics' series is recomputed from the earliest day a tag change falls on: v1.0.0's new date.
    const state = await testDatabase.database.query<{ since: string }>(
      `SELECT to_char(metrics_dirty_since, 'YYYY-MM-DD') AS since FROM repositories WHERE id = $1`,
      [repositoryId],
    );
    assert.equal(state.rows[0]?.since, '2026-02-01');
  });

  test('an empty repository has no head and no commits', async () => {
    const directory = await temporaryDirectory('git-empty');
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    await runGit(['init', '--quiet', '--bare', directory]);
    const repositoryId = await newRepositoryRow('empty');
    const result = await crawl(repositoryId, directory);
    assert.equal(result.head, null);
    assert.equal(result.commitsRead, 0);
    assert.equal((await repositoryState(repositoryId)).git_head, null);
  });

  test('a URL that names no git repository fails for good with git’s explanation', async () => {
    const notARepository = await temporaryDirectory('git-not-a-repository');
    cleanups.push(() => rm(notARepository, { recursive: true, force: true }));
    const repositoryId = await newRepositoryRow('missing');
    for (const url of [
      '/nonexistent/repopulse/repository',
      'file:///nonexistent/repository',
      notARepository,
    ]) {
      await assert.rejects(crawl(repositoryId, url), (error: unknown) => {
        assert.ok(error instanceof GitRepositoryUnavailableError, String(error));
        assert.match(error.gitMessage, /does not exist|does not appear to be a git repository/);
        return true;
      });
    }
    assert.equal((await repositoryState(repositoryId)).git_head, null);
  });

  test('tells a repository that is not there from a network failure', () => {
    for (const message of [
      "remote: Repository not found.\nfatal: repository 'https://github.com/nobody/nothing/' not found",
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      "fatal: unable to access 'https://example.org/x.git/': The requested URL returned error: 451",
      'ERROR: Repository not found.\nfatal: Could not read from remote repository.',
    ]) {
      assert.equal(isRepositoryUnavailableMessage(message), true, message);
    }
    for (const message of [
      "fatal: unable to access 'https://github.com/a/b/': Could not resolve host: github.com",
      "fatal: unable to access 'https://github.com/a/b/': The requested URL returned error: 503",
      'error: RPC failed; curl 18 transfer closed with outstanding read data remaining',
      "fatal: unable to access 'https://github.com/a/b/': Operation too slow. Less than 1000 bytes/sec",
    ]) {
      assert.equal(isRepositoryUnavailableMessage(message), false, message);
    }
  });

  test('two crawls of one mirror at once take turns, and a lock left by a dead process is taken over', async () => {
    const repository = await createGitRepository('main');
    cleanups.push(() => repository.remove());
    for (let index = 0; index < 3; index++) {
      await repository.commit({ author: bob, date: `2026-06-0${index + 1}T10:00:00Z`, message: `c${index}` });
    }
    await writeFile(
      `${mirrorDirectoryFor(cacheDir, repository.path)}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 12_345, host: hostname(), acquiredAt: new Date().toISOString() }),
    );
    const [one, two] = [await newRepositoryRow('shared-1'), await newRepositoryRow('shared-2')];
    const results = await Promise.all([crawl(one, repository.path), crawl(two, repository.path)]);
    assert.deepEqual(
      results.map((result) => result.commitsRead),
      [3, 3],
    );
    assert.equal((await commitRows(one)).size, 3);
    assert.equal((await commitRows(two)).size, 3);
  });
});

function pick(row: CommitRow) {
  return { additions: row.additions, deletions: row.deletions, files_changed: row.files_changed };
}
