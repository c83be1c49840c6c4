import type { Queryable } from '@repopulse/core';
import { organisationOfCompany } from './github-company.js';

/** A GitHub user as a crawl saw them: the profile's company as written, null when empty. */
export interface GithubPerson {
  githubId: number;
  login: string;
  company: string | null;
}

/**
 * Only the people whose login, company or organisation differ from the stored row are written. The
 * filter is ahead of the `ON CONFLICT`, not only in its `WHERE`: `ON CONFLICT DO UPDATE` locks every
 * conflicting row, updated or not, and the same people appear in every crawl of an organisation's
 * repositories, so an unchanged person must not be locked at all.
 */
const upsertChanged = `
  INSERT INTO github_people AS p (github_id, login, company, organisation, updated_at)
  SELECT input.github_id, input.login, input.company, input.organisation, now()
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS input (github_id, login, company, organisation)
  WHERE NOT EXISTS (
    SELECT 1 FROM github_people stored
     WHERE stored.github_id = input.github_id
       AND stored.login = input.login
       AND stored.company IS NOT DISTINCT FROM input.company
       AND stored.organisation IS NOT DISTINCT FROM input.organisation)
  ORDER BY input.github_id
  ON CONFLICT (github_id) DO UPDATE SET
    login = EXCLUDED.login,
    company = EXCLUDED.company,
    organisation = EXCLUDED.organisation,
    updated_at = EXCLUDED.updated_at
  WHERE p.login IS DISTINCT FROM EXCLUDED.login
     OR p.company IS DISTINCT FROM EXCLUDED.company
     OR p.organisation IS DISTINCT FROM EXCLUDED.organisation`;

/**
 * Stores a page's people in one statement, each once (the last seen wins), their company's organisation
 * normalised (`organisationOfCompany`). Rows go in id order, so two crawls writing the same people lock
 * them in the same order. Returns how many rows were inserted or changed.
 */
export async function upsertGithubPeople(
  database: Queryable,
  people: readonly GithubPerson[],
): Promise<number> {
  const byId = new Map<number, GithubPerson>();
  for (const person of people) byId.set(person.githubId, person);
  if (byId.size === 0) return 0;
  const unique = [...byId.values()];
  const result = await database.query(upsertChanged, [
    unique.map((person) => person.githubId),
    unique.map((person) => person.login),
    unique.map((person) => (person.company?.trim() ? person.company : null)),
    unique.map((person) => organisationOfCompany(person.company)),
  ]);
  return result.rowCount;
}
