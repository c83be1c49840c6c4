import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { createEnvelope } from '@repopulse/core';
import { createTestDatabase, testLogger, type TestDatabase } from '@repopulse/core/testing';
import { crawlGitRepository } from '../src/git-crawler/crawl-git-repository.js';
import { createMetricsComputeHandler } from '../src/metrics/handle-metrics-compute.js';
import {
  createGitRepository,
  temporaryDirectory,
  type Identity,
  type TestGitRepository,
} from './support/git-repositories.js';
import { localGitTargets } from './support/local-git-targets.js';

const now = Date.parse('2026-06-01T00:00:00Z');
const day = 86_400_000;

const people: Record<string, Identity> = {
  ada: { name: 'Ada Lovelace', email: 'ada@analytical.org' },
  adaOld: { name: 'ada', email: 'Ada.Lovelace@Gmail.com' },
  grace: { name: 'Grace Hopper', email: 'grace@navy.mil' },
  linus: { name: 'Linus', email: 'linus@kernel.org' },
  ken: { name: 'Ken', email: '1234+ken@users.noreply.github.com' },
  bot: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
};

/** Who committed when (days before `now`, with an hour and a time zone) — the history the test builds. */
const history: Array<{ who: keyof typeof people; daysAgo: number; zone: string; lines: number }> = [
  { who: 'ada', daysAgo: 400, zone: '+00:00', lines: 10 },
  { who: 'grace', daysAgo: 300, zone: '-08:00', lines: 4 },
  { who: 'adaOld', daysAgo: 200, zone: '+05:30', lines: 7 },
  { who: 'linus', daysAgo: 150, zone: '+02:00', lines: 3 },
  { who: 'grace', daysAgo: 120, zone: '-08:00', lines: 2 },
  { who: 'ada', daysAgo: 95, zone: '+00:00', lines: 5 },
  { who: 'ken', daysAgo: 89, zone: '+09:00', lines: 8 },
  { who: 'bot', daysAgo: 60, zone: '+00:00', lines: 1 },
  { who: 'ada', daysAgo: 45, zone: '+05:30', lines: 6 },
  { who: 'adaOld', daysAgo: 31, zone: '-03:00', lines: 2 },
  { who: 'grace', daysAgo: 29, zone: '-08:00', lines: 9 },
  { who: 'bot', daysAgo: 10, zone: '+00:00', lines: 1 },
  { who: 'linus', daysAgo: 3, zone: '+02:00', lines: 4 },
  { who: 'ada', daysAgo: 1, zone: '+14:00', lines: 3 },
];

function isoInZone(time: number, zone: string): string {
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).split(':').map(Number);
  const local = new Date(time + sign * (hours! * 60 + minutes!) * 60_000).toISOString().slice(0, 19);
  return `${local}${zone}`;
}

describe('metrics from git history equal what git itself reports (real git, PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let source: TestGitRepository;
  let cacheDir: string;
  let repositoryId: string;
  let metrics: Record<string, { value: number | null; reason?: string }>;
  const logger = testLogger();

  before(async () => {
    testDatabase = await createTestDatabase();
    cacheDir = await temporaryDirectory('metrics-git-cache');
    source = await createGitRepository();
    await source.commit({
      author: people.ada!,
      date: isoInZone(now - 401 * day, '+00:00'),
      message: 'Mailmap',
      files: { '.mailmap': 'Ada Lovelace <ada@analytical.org> ada <ada.lovelace@gmail.com>\n' },
    });
    for (const [index, entry] of history.entries()) {
      const time = now - entry.daysAgo * day + 3_600_000 * (index % 5);
      await source.commit({
        author: people[entry.who]!,
        date: isoInZone(time, entry.zone),
        message: `Change ${index}`,
        files: {
          [`file-${index}.txt`]:
            Array.from({ length: entry.lines }, (_, line) => `line ${line}`).join('\n') + '\n',
        },
      });
    }
    // A merge inside the window: not a commit for docs/METRICS.md's counts.
    await source.checkout('topic', { create: true });
    await source.commit({
      author: people.grace!,
      date: isoInZone(now - 20 * day, '-08:00'),
      message: 'Topic',
      files: { topic: 'x\n' },
    });
    await source.checkout('main');
    await source.merge('topic', {
      author: people.linus!,
      date: isoInZone(now - 19 * day, '+02:00'),
      message: 'Merge topic',
    });

    // Version tags, annotated with their own dates (two in the last year, one before it), and a tag that
    // names no version.
    for (const [tag, daysAgo] of [
      ['v1.0.0', 390],
      ['v1.1.0', 100],
      ['v1.2.0', 10],
    ] as const) {
      const date = isoInZone(now - daysAgo * day, '+02:00');
      await source.git(['tag', '-a', tag, '-m', `Release ${tag}`], {
        author: people.ada!,
        committer: people.ada!,
        date,
        commitDate: date,
      });
    }
    await source.git(['tag', 'latest']);

    const { rows } = await testDatabase.database.query<{ id: string }>(
      `INSERT INTO repositories (host, owner, name) VALUES ('local', 'test', 'history') RETURNING id`,
    );
    repositoryId = rows[0]!.id;
    await testDatabase.database.transaction((transaction) =>
      crawlGitRepository({
        transaction,
        repositoryId,
        gitUrl: source.path,
        cacheDir,
        logger,
        ...localGitTargets,
      }),
    );
    const handler = createMetricsComputeHandler({ now: () => now });
    await testDatabase.database.transaction((transaction) =>
      handler({ envelope: createEnvelope('metrics.compute', { repositoryId }), transaction, logger }),
    );
    const snapshot = await testDatabase.database.query<{ metrics: typeof metrics }>(
      'SELECT metrics FROM metric_snapshots WHERE repository_id = $1',
      [repositoryId],
    );
    metrics = snapshot.rows[0]!.metrics;
  });

  after(async () => {
    await testDatabase.drop();
    await source.remove();
    await rm(cacheDir, { recursive: true, force: true });
  });

  /** `git log --no-merges --use-mailmap` of the default branch: author time, mapped e-mail and name, numstat. */
  async function gitLog() {
    const output = await source.git([
      'log',
      '--no-merges',
      '--use-mailmap',
      '--numstat',
      '--format=%x00%at%x09%aE%x09%aN',
      'main',
    ]);
    return output
      .split('\0')
      .filter((record) => record.trim() !== '')
      .map((record) => {
        const [header, ...stat] = record.split('\n');
        const [at, email, name] = header!.split('\t');
        const added = stat
          .filter((line) => /^\d+\t\d+\t/.test(line))
          .reduce((sum, line) => sum + Number(line.split('\t')[0]), 0);
        const removed = stat
          .filter((line) => /^\d+\t\d+\t/.test(line))
          .reduce((sum, line) => sum + Number(line.split('\t')[1]), 0);
        return { time: Number(at) * 1000, email: email!.toLowerCase(), name: name!, added, removed };
      });
  }

  const inWindow = (time: number, days: number) => time >= now - days * day && time < now;
  const human = (entry: { name: string }) => !entry.name.endsWith('[bot]');

  test('commit counts per window equal git log --no-merges over author dates', async () => {
    const log = await gitLog();
    for (const days of [30, 90, 365]) {
      assert.equal(
        metrics[`commits_${days}d`]?.value,
        log.filter((entry) => inWindow(entry.time, days)).length,
        `commits_${days}d`,
      );
    }
  });

  test('lines added and removed over 90 days equal git log --numstat', async () => {
    const log = (await gitLog()).filter((entry) => inWindow(entry.time, 90));
    assert.equal(
      metrics['lines_added_90d']?.value,
      log.reduce((sum, entry) => sum + entry.added, 0),
    );
    assert.equal(
      metrics['lines_removed_90d']?.value,
      log.reduce((sum, entry) => sum + entry.removed, 0),
    );
  });

  test('contributors equal the distinct mailmapped authors of git shortlog, bots apart', async () => {
    const log = await gitLog();
    for (const days of [90, 365]) {
      const authors = new Set(
        log.filter((entry) => inWindow(entry.time, days) && human(entry)).map((entry) => entry.email),
      );
      assert.equal(metrics[`contributors_${days}d`]?.value, authors.size, `contributors_${days}d`);
    }
    // The same from git shortlog itself (its window is by commit date, here the author date), for the year.
    const since = Math.floor((now - 365 * day) / 1_000);
    const shortlog = await source.git([
      'shortlog',
      '-sne',
      '--no-merges',
      `--since=@${since}`,
      `--until=@${Math.floor(now / 1_000) - 1}`,
      'main',
    ]);
    const shortlogPeople = shortlog
      .trim()
      .split('\n')
      .filter((line) => !line.includes('[bot]'));
    assert.equal(
      metrics['contributors_365d']?.value,
      shortlogPeople.length,
      'contributors_365d vs git shortlog',
    );
    assert.equal(shortlogPeople.length, 4, 'ada (two e-mails, one person), grace, linus, ken; the bot apart');
  });

  test("the bus factor is the fewest shortlog authors making half of the year's human commits", async () => {
    const log = (await gitLog()).filter((entry) => inWindow(entry.time, 365) && human(entry));
    const counts = new Map<string, { name: string; commits: number }>();
    for (const entry of log) {
      const person = counts.get(entry.email) ?? { name: entry.name, commits: 0 };
      person.commits++;
      counts.set(entry.email, person);
    }
    const ordered = [...counts.values()].sort(
      (a, b) => b.commits - a.commits || a.name.localeCompare(b.name),
    );
    let covered = 0;
    let factor = 0;
    for (const person of ordered) {
      if (covered * 2 >= log.length) break;
      covered += person.commits;
      factor++;
    }
    assert.equal(metrics['bus_factor_365d']?.value, factor);
  });

  test('days since the last commit counts whole days from the newest author date', async () => {
    const newest = Math.max(...(await gitLog()).map((entry) => entry.time));
    assert.equal(metrics['days_since_last_commit']?.value, Math.floor((now - newest) / day));
  });

  test('a plain git repository has no GitHub data: those metrics are null with a reason', () => {
    assert.equal(metrics['pull_requests_opened_90d']?.value, null);
    assert.ok(metrics['pull_requests_opened_90d']?.reason, 'a reason is given');
  });

  test('the daily series is backfilled: a point per day since the first commit, capped at a year', async () => {
    const { rows } = await testDatabase.database.query<{ days: number; first: string; last: string }>(
      `SELECT count(*)::int AS days, min(day)::text AS first, max(day)::text AS last FROM metric_points
       WHERE repository_id = $1 AND metric = 'commits_30d'`,
      [repositoryId],
    );
    assert.deepEqual(rows[0], { days: 365, first: '2025-06-02', last: '2026-06-01' });
    // A past point is the metric at the end of its day: 30 days ending 2026-05-03 (now − 29 d) hold the
    // commits 31, 29 and 20 days before now, minus the merge… computed from git's own log.
    const log = await gitLog();
    const pointEnd = now - 29 * day + day;
    const expected = log.filter((entry) => entry.time >= pointEnd - 30 * day && entry.time < pointEnd).length;
    const point = await testDatabase.database.query<{ value: number }>(
      `SELECT value FROM metric_points WHERE repository_id = $1 AND metric = 'commits_30d' AND day = '2026-05-03'`,
      [repositoryId],
    );
    assert.equal(point.rows[0]?.value, expected);
  });

  test('with no GitHub release, releases are the version tags: two in the year, the newest 10 days ago', () => {
    assert.equal(metrics['releases_365d']?.value, 2);
    assert.equal(metrics['days_since_last_release']?.value, 10);
  });

  test('once the repository has a GitHub release, only GitHub releases count', async () => {
    await testDatabase.database.query(
      `INSERT INTO releases (repository_id, tag, name, published_at) VALUES ($1, 'v1.2.0', 'One point two', $2)`,
      [repositoryId, new Date(now - 5 * day)],
    );
    const handler = createMetricsComputeHandler({ now: () => now });
    await testDatabase.database.transaction((transaction) =>
      handler({ envelope: createEnvelope('metrics.compute', { repositoryId }), transaction, logger }),
    );
    const { rows } = await testDatabase.database.query<{ metrics: typeof metrics }>(
      'SELECT metrics FROM metric_snapshots WHERE repository_id = $1',
      [repositoryId],
    );
    assert.equal(rows[0]!.metrics['releases_365d']?.value, 1);
    assert.equal(rows[0]!.metrics['days_since_last_release']?.value, 5);
  });
});
