import type { Queryable } from '@repopulse/core';
import { githubKeysOf } from './people.js';

/**
 * The organisations of `persons` by their GitHub profile company (`github_people`), in one query for the
 * whole repository (the commit authors of a large one are thousands; a query each would be the slowest
 * part of loading its facts): person key (`github:<id>`, `login:<login>`) → organisation, for those whose
 * company names one. A `github:` person is matched by user id; a `login:` person (a webhook commit's login, an old
 * noreply address) by login without regard to case, and should two accounts have held the login, by the
 * one seen last. No query at all when no person is a GitHub user (a plain git repository).
 */
export async function loadGithubOrganisations(
  database: Queryable,
  persons: Iterable<string>,
): Promise<Map<string, string>> {
  const organisations = new Map<string, string>();
  const { ids, logins } = githubKeysOf(persons);
  if (ids.length === 0 && logins.length === 0) return organisations;
  const { rows } = await database.query<{ github_id: string; login: string; organisation: string | null }>(
    `SELECT github_people.github_id::text AS github_id, lower(github_people.login) AS login,
            github_people.organisation
       FROM github_people
      WHERE github_people.github_id = ANY($1::bigint[]) OR lower(github_people.login) = ANY($2::text[])
      ORDER BY github_people.updated_at, github_people.github_id`,
    [ids, logins],
  );
  const wantedIds = new Set(ids);
  const wantedLogins = new Set(logins);
  // Rows without an organisation are read too: the login's latest holder may have no company, and then
  // an earlier holder's must not stand in for it.
  const byPerson = new Map<string, string | null>();
  for (const row of rows) {
    if (wantedIds.has(row.github_id)) byPerson.set(`github:${row.github_id}`, row.organisation);
    if (wantedLogins.has(row.login)) byPerson.set(`login:${row.login}`, row.organisation);
  }
  for (const [person, organisation] of byPerson)
    if (organisation !== null) organisations.set(person, organisation);
  return organisations;
}
