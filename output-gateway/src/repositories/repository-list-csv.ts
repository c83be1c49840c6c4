import type { Request, Response } from 'express';
import type { Queryable } from '@repopulse/core';
import { sendCsv } from '../http/send-csv.js';
import { readRepositoryListFingerprint, readRepositoryPage } from './read-repository-list.js';
import { repositoryListColumns } from './repository-list-endpoint.js';
import { csvRowsOf, type RepositoryListParameters } from './repository-list-parameters.js';

/** Rows per query while streaming: small enough to hold, large enough that round trips do not dominate. */
export const csvPageSize = 1000;

// Bumped when the columns change, so a client's cached CSV of the old columns is not revalidated.
const csvLayout = 'repositories.csv 1';

/**
 * The list as CSV, streamed: every matching repository from the cursor on (or `limit` of them, or at most
 * the scope's cap: a capped caller's CSV is one page as long as the cap, continued with `cursor` as JSON
 * pages are), read in keyset pages of `csvPageSize`. The pages are separate queries, not one snapshot: a
 * repository changing its sort value meanwhile may appear twice or not at all, as between JSON pages.
 */
export async function sendRepositoryListCsv(
  database: Queryable,
  request: Request,
  response: Response,
  parameters: RepositoryListParameters,
): Promise<void> {
  const { filters, sort, order } = parameters;
  const fingerprint = await readRepositoryListFingerprint(database, filters);
  await sendCsv(request, response, {
    fingerprint: `${csvLayout}|${request.originalUrl}|${fingerprint}`,
    header: repositoryListColumns,
    async *pages() {
      let after = parameters.after;
      let remaining = csvRowsOf(parameters);
      while (remaining > 0) {
        const limit = Math.min(csvPageSize, remaining);
        const page = await readRepositoryPage(database, { filters, sort, order, after, limit });
        yield page.items.map((item) => repositoryListColumns.map((column) => item[column]));
        remaining -= page.items.length;
        if (!page.next) return;
        after = page.next;
      }
    },
  });
}
