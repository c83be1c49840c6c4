import type { Queryable } from '@repopulse/core';
import { healthScoreName } from '../metrics/metric-names.js';
import type { ComparedName } from './compare-parameters.js';

export interface ComparedRepository {
  /** Absent for a repository the gateway does not know. */
  id: string | undefined;
  listed: ComparedName;
  host: string | undefined;
  owner: string | undefined;
  name: string | undefined;
  computedAt: string | null;
  healthScore: number | null;
  /** The named metrics' latest values; `null` where unknown or never computed. */
  metrics: Record<string, number | null>;
}

interface Row {
  id: string | null;
  host: string | null;
  owner: string | null;
  name: string | null;
  computedAt: Date | null;
  healthScore: number | null;
  values: Record<string, number | null> | null;
}

// One query for all of them: each listed pair found through the unique index on the lowered identity, its
// snapshot by primary key, and only the named metrics' values taken out of the snapshot's document.
const comparedSql = `
  SELECT repositories.id::text AS "id", repositories.host, repositories.owner, repositories.name,
         metric_snapshots.computed_at AS "computedAt", metric_snapshots.health_score AS "healthScore",
         (SELECT jsonb_object_agg(stored.key, stored.value -> 'value')
            FROM jsonb_each(metric_snapshots.metrics) AS stored (key, value)
           WHERE stored.key = ANY($4::text[])) AS "values"
    FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS listed (owner, name, position)
    LEFT JOIN repositories
      ON lower(repositories.host) = lower($1)
     AND lower(repositories.owner) = lower(listed.owner)
     AND lower(repositories.name) = lower(listed.name)
    LEFT JOIN metric_snapshots ON metric_snapshots.repository_id = repositories.id
   ORDER BY listed.position`;

/** The listed repositories in their order, each with its latest metrics; unknown ones without an id. */
export async function readComparedRepositories(
  database: Queryable,
  host: string,
  listed: readonly ComparedName[],
  names: readonly string[],
): Promise<ComparedRepository[]> {
  const result = await database.query<Row>(comparedSql, [
    host,
    listed.map(({ owner }) => owner),
    listed.map(({ name }) => name),
    names,
  ]);
  return result.rows.map((row, index) => {
    const metrics: Record<string, number | null> = {};
    for (const name of names) {
      metrics[name] = name === healthScoreName ? row.healthScore : (row.values?.[name] ?? null);
    }
    return {
      id: row.id ?? undefined,
      listed: listed[index]!,
      host: row.host ?? undefined,
      owner: row.owner ?? undefined,
      name: row.name ?? undefined,
      computedAt: row.computedAt?.toISOString() ?? null,
      healthScore: row.healthScore,
      metrics,
    };
  });
}
