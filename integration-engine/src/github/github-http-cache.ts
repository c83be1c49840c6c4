import type { Queryable } from '@repopulse/core';

/** The last answer to one REST URL: sent back as If-None-Match, served again on a 304. */
export interface CachedAnswer {
  etag: string;
  link: string | null;
  body: unknown;
}

export async function readCachedAnswer(database: Queryable, url: string): Promise<CachedAnswer | undefined> {
  const { rows } = await database.query<CachedAnswer>(
    `SELECT github_http_cache.etag, github_http_cache.link, github_http_cache.body
       FROM github_http_cache
      WHERE github_http_cache.url = $1`,
    [url],
  );
  return rows[0];
}

export async function storeCachedAnswer(
  database: Queryable,
  url: string,
  answer: CachedAnswer,
): Promise<void> {
  await database.query(
    `INSERT INTO github_http_cache (url, etag, link, body, fetched_at)
     VALUES ($1, $2, $3, $4::jsonb, now())
     ON CONFLICT (url) DO UPDATE SET
       etag = EXCLUDED.etag, link = EXCLUDED.link, body = EXCLUDED.body, fetched_at = now()`,
    [url, answer.etag, answer.link, JSON.stringify(answer.body)],
  );
}

/** A 304 still proves the cached answer current. */
export async function touchCachedAnswer(database: Queryable, url: string): Promise<void> {
  await database.query('UPDATE github_http_cache SET fetched_at = now() WHERE github_http_cache.url = $1', [
    url,
  ]);
}
