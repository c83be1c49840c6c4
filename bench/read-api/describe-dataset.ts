import type pg from 'pg';

/** Lines that tell the dataset's shape: totals, how skewed the repositories are, the top languages. */
export async function describeDataset(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{
    kind: string;
    total: string;
    p50: number;
    p90: number;
    p99: number;
    max: number;
  }>(
    `WITH per_repository AS (
       SELECT r.id,
              (SELECT count(*) FROM commits AS c WHERE c.repository_id = r.id) AS commits,
              (SELECT count(*) FROM pull_requests AS p WHERE p.repository_id = r.id) AS pull_requests,
              (SELECT count(*) FROM issues AS i WHERE i.repository_id = r.id) AS issues,
              r.stars
         FROM repositories AS r),
     kinds AS (
       SELECT 'commits' AS kind, commits AS value FROM per_repository
       UNION ALL SELECT 'pull requests', pull_requests FROM per_repository
       UNION ALL SELECT 'issues', issues FROM per_repository
       UNION ALL SELECT 'stars (as GitHub reports them)', stars FROM per_repository)
     SELECT kind, sum(value)::text AS total,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY value)::integer AS p50,
            percentile_disc(0.9) WITHIN GROUP (ORDER BY value)::integer AS p90,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY value)::integer AS p99, max(value)::integer AS max
       FROM kinds GROUP BY kind ORDER BY min(CASE kind WHEN 'commits' THEN 1 WHEN 'pull requests' THEN 2
                                                      WHEN 'issues' THEN 3 ELSE 4 END)`,
  );
  const { rows: languages } = await client.query<{ language: string; share: number }>(
    `SELECT primary_language AS language, round(100.0 * count(*) / sum(count(*)) OVER ())::integer AS share
       FROM repositories GROUP BY 1 ORDER BY count(*) DESC LIMIT 6`,
  );
  const number = (value: number | string) => Number(value).toLocaleString('en-US');
  return [
    ...rows.map(
      (row) =>
        `  ${row.kind.padEnd(31)} ${number(row.total).padStart(11)} in all; per repository p50 ${number(row.p50)}, ` +
        `p90 ${number(row.p90)}, p99 ${number(row.p99)}, max ${number(row.max)}`,
    ),
    `  primary languages: ${languages.map(({ language, share }) => `${language} ${share} %`).join(', ')}, …`,
  ];
}
