import type pg from 'pg';
import { datasetShape } from './dataset-shape.js';

// Names and weights the SQL draws from; the rest of each repository's metadata is drawn in the database.
const ownerAdjectives = [
  'open',
  'bright',
  'swift',
  'quiet',
  'north',
  'iron',
  'blue',
  'amber',
  'lunar',
  'prime',
];
const ownerNouns = [
  'forge',
  'labs',
  'works',
  'systems',
  'cloud',
  'data',
  'stack',
  'collective',
  'hq',
  'foundation',
];
const projectWords = [
  'atlas', 'beacon', 'cinder', 'delta', 'ember', 'falcon', 'garnet', 'harbor', 'indigo', 'juniper',
  'kestrel', 'lantern', 'meadow', 'nimbus', 'orbit', 'pylon', 'quartz', 'raven', 'sierra', 'tundra',
  'umbra', 'vertex', 'willow', 'xenon', 'zephyr',
]; // prettier-ignore
const projectVariants = ['core', 'cli', 'sdk', 'web'];
// Shares of primary languages, as skewed as GitHub's: a few languages hold most repositories.
const languageShares: ReadonlyArray<[string, number]> = [
  ['TypeScript', 0.17],
  ['Python', 0.16],
  ['JavaScript', 0.13],
  ['Go', 0.1],
  ['Java', 0.08],
  ['Rust', 0.07],
  ['C++', 0.05],
  ['C', 0.04],
  ['Ruby', 0.04],
  ['PHP', 0.03],
  ['C#', 0.03],
  ['Kotlin', 0.025],
  ['Shell', 0.025],
  ['Swift', 0.02],
  ['Scala', 0.015],
  ['Elixir', 0.01],
  ['Haskell', 0.01],
  ['Zig', 0.01],
];
const licenses = ['MIT', 'Apache-2.0', 'MIT', 'BSD-3-Clause', 'GPL-3.0', 'MPL-2.0', 'Apache-2.0', 'MIT'];

function ownerNames(): string[] {
  return ownerAdjectives.flatMap((adjective) => ownerNouns.map((noun) => `${adjective}-${noun}`));
}

function repositoryNames(): string[] {
  return projectWords.flatMap((word) => projectVariants.map((variant) => `${word}-${variant}`));
}

/**
 * The plan of every repository, in a temporary table of the loading session: its owner and name, its
 * metadata, when it was active, and how many facts of each kind it gets. Activity and popularity weights
 * are log-normal (an organisation's own factor times the repository's), so a few repositories hold most
 * facts and stars and most hold few; fact counts are the totals shared out by weight.
 */
async function planRepositories(client: pg.Client, now: Date): Promise<void> {
  const { organisations, repositoriesPerOrganisation, windowDays, facts } = datasetShape;
  const total = languageShares.reduce((sum, [, share]) => sum + share, 0);
  const upper: number[] = [];
  for (const [, share] of languageShares) upper.push((upper.at(-1) ?? 0) + share / total);
  upper[upper.length - 1] = 1; // no draw falls past the last language through rounding
  await client.query('SELECT setseed(0.42)');
  await client.query(
    `CREATE TEMP TABLE repository_plan AS
     WITH organisation AS (
       SELECT o AS organisation, random() AS language_draw,
              sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS size_z
       FROM generate_series(0, $1::int - 1) AS o
     ),
     drawn AS (
       SELECT org.organisation, s AS slot, ($4::text[])[org.organisation + 1] AS owner, ($5::text[])[s + 1] AS name,
              CASE WHEN random() < 0.55 THEN org.language_draw ELSE random() END AS language_draw,
              org.size_z, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS activity_z,
              sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS popularity_z,
              random() < 0.2 AS created_in_window, random() AS age_draw,
              random() < 0.12 AS dormant, random() AS dormant_draw, random() < 0.96 AS has_issues
       FROM organisation AS org CROSS JOIN generate_series(0, $2::int - 1) AS s
     ),
     timed AS (
       SELECT d.*,
              (SELECT l.language FROM unnest($6::text[], $7::float8[]) AS l (language, upper)
               WHERE l.upper >= d.language_draw ORDER BY l.upper LIMIT 1) AS language,
              exp(0.7 * d.size_z + 1.6 * d.activity_z) AS activity_weight,
              exp(0.5 * d.size_z + 0.5 * d.activity_z + 1.2 * d.popularity_z) AS popularity_weight,
              CASE WHEN d.created_in_window THEN $3::timestamptz - d.age_draw * ($8::int - 45) * interval '1 day'
                   ELSE $3::timestamptz - ($8::int + d.age_draw * 3650) * interval '1 day' END AS created_at
       FROM drawn AS d
     ),
     active AS (
       SELECT t.*, greatest(t.created_at, $3::timestamptz - $8::int * interval '1 day') AS active_from,
              CASE WHEN t.dormant
                   THEN least($3::timestamptz, greatest($3::timestamptz - (60 + t.dormant_draw * 500) * interval '1 day',
                                                    t.created_at + interval '30 days'))
                   ELSE $3::timestamptz END AS active_to
       FROM timed AS t
     ),
     shared AS (
       SELECT a.*,
              a.activity_weight / sum(a.activity_weight) OVER () AS activity_share,
              CASE WHEN a.has_issues THEN a.activity_weight / sum(a.activity_weight) FILTER (WHERE a.has_issues) OVER ()
                   ELSE 0 END AS issue_share,
              sqrt(a.activity_weight) / sum(sqrt(a.activity_weight)) OVER () AS release_share,
              a.popularity_weight / sum(a.popularity_weight) OVER () AS popularity_share
       FROM active AS a
     )
     SELECT organisation, slot, owner, name, language, created_at, active_from, active_to,
            dormant AND random() < 0.4 AS archived, has_issues, created_in_window,
            greatest(1, round($9::bigint * activity_share))::int AS commits,
            round($10::bigint * activity_share)::int AS pull_requests,
            round($11::bigint * issue_share)::int AS issues,
            round($12::bigint * popularity_share)::int AS stars,
            round($13::bigint * popularity_share)::int AS forks,
            round($14::bigint * release_share)::int AS releases,
            least(3000, greatest(1, round(1.2 * sqrt($9::bigint * activity_share))))::int AS contributors,
            NULL::bigint AS repository_id
     FROM shared`,
    [
      organisations,
      repositoriesPerOrganisation,
      now,
      ownerNames(),
      repositoryNames(),
      languageShares.map(([language]) => language),
      upper,
      windowDays,
      facts.commits,
      facts.pullRequests,
      facts.issues,
      facts.stars,
      facts.forks,
      facts.releases,
    ],
  );
}

/** The repositories with GitHub's metadata; the counts GitHub reports are set from the facts later. */
async function insertRepositories(client: pg.Client, now: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO repositories (host, owner, name, github_id, node_id, owner_type, description, homepage,
       primary_language, languages, topics, license, default_branch, archived, is_fork, has_issues,
       repo_created_at, git_url, metadata_updated_at, pull_requests_synced_at, issues_synced_at,
       releases_synced_at, git_crawled_at, created_at, updated_at)
     SELECT 'github.com', p.owner, p.name, 100000000 + p.organisation * 1000 + p.slot,
            'R_kgDO' || left(md5(p.owner || '/' || p.name), 10), 'Organization',
            initcap(replace(p.name, '-', ' ')) || ': a ' || p.language || ' project of ' || p.owner,
            CASE WHEN random() < 0.3 THEN 'https://' || p.owner || '.example/' || p.name END,
            p.language,
            jsonb_build_object(p.language, 20000 + floor(random() * 5000000)::int,
                               'Shell', floor(random() * 40000)::int, 'Dockerfile', floor(random() * 3000)::int),
            ARRAY[lower(p.language), split_part(p.name, '-', 2), split_part(p.owner, '-', 2)],
            ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int], 'main', p.archived, false,
            p.has_issues, p.created_at, 'https://github.com/' || p.owner || '/' || p.name || '.git',
            $1, $1, $1, $1, $1, $1, $1
     FROM repository_plan AS p ORDER BY p.organisation, p.slot`,
    [now, licenses],
  );
  await client.query(
    `UPDATE repository_plan AS p SET repository_id = r.id FROM repositories AS r
     WHERE r.host = 'github.com' AND r.owner = p.owner AND r.name = p.name`,
  );
  await client.query('CREATE INDEX ON repository_plan (organisation, slot)');
  await client.query('ANALYZE repository_plan');
  return result.rowCount ?? 0;
}

export async function loadRepositories(client: pg.Client, now: Date): Promise<number> {
  await planRepositories(client, now);
  return insertRepositories(client, now);
}

/**
 * GitHub's counts as a crawl would store them: stars and forks are the facts still standing plus those
 * from before the facts' window (an older repository has more), open issues count open pull requests
 * too, as GitHub's do.
 */
export async function setReportedCounts(client: pg.Client): Promise<void> {
  await client.query(
    `WITH star_counts AS (SELECT s.repository_id, count(*) FILTER (WHERE s.unstarred_at IS NULL) AS standing
                          FROM stars AS s GROUP BY s.repository_id),
          fork_counts AS (SELECT f.repository_id, count(*) AS standing FROM forks AS f GROUP BY f.repository_id),
          open_counts AS (SELECT o.repository_id, count(*) AS open FROM (
                            SELECT i.repository_id FROM issues AS i WHERE i.state = 'open'
                            UNION ALL SELECT pr.repository_id FROM pull_requests AS pr WHERE pr.state = 'open') AS o
                          GROUP BY o.repository_id),
          pushes AS (SELECT c.repository_id, max(c.committed_at) AS pushed_at FROM commits AS c GROUP BY c.repository_id),
          reported AS (
            SELECT p.repository_id,
                   coalesce(sc.standing, 0) + CASE WHEN p.created_in_window THEN 0
                     ELSE floor(coalesce(sc.standing, 0) * (0.3 + 3 * random()))::int END AS stars,
                   coalesce(fc.standing, 0) + CASE WHEN p.created_in_window THEN 0
                     ELSE floor(coalesce(fc.standing, 0) * (0.3 + 3 * random()))::int END AS forks,
                   coalesce(oc.open, 0) AS open_issues, pu.pushed_at
            FROM repository_plan AS p
            LEFT JOIN star_counts AS sc ON sc.repository_id = p.repository_id
            LEFT JOIN fork_counts AS fc ON fc.repository_id = p.repository_id
            LEFT JOIN open_counts AS oc ON oc.repository_id = p.repository_id
            LEFT JOIN pushes AS pu ON pu.repository_id = p.repository_id)
     UPDATE repositories AS r
     SET stars = reported.stars, forks = reported.forks, watchers = 1 + reported.stars / 30,
         open_issues = reported.open_issues, pushed_at = reported.pushed_at, git_head = md5(r.id::text)
     FROM reported WHERE r.id = reported.repository_id`,
  );
}
