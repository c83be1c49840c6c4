import {
  BadRequestError,
  createRouter,
  ForbiddenError,
  UnauthorisedError,
  type Queryable,
} from '@repopulse/core';
import type { RequestHandler, Router } from 'express';

const day = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /auth/usage?from=YYYY-MM-DD&to=YYYY-MM-DD&principal=user:12`: requests, denials and bytes per caller,
 * route and day (admins only, by the ACL). `to` is inclusive; the default is the last 30 days.
 */
/** The ACL already keeps everyone but admins out; checked here again so a bad rule cannot open it. */
const adminsOnly: RequestHandler = (request, _response, next) => {
  if (!request.identity) next(new UnauthorisedError('Usage statistics need an admin’s credentials'));
  else if (!request.identity.roles.includes('admin'))
    next(new ForbiddenError('Usage statistics are for the admin role only'));
  else next();
};

export function usageRoute(options: { database: Queryable }): Router {
  const router = createRouter();
  router.get('/auth/usage', adminsOnly, async (request, response) => {
    const { from, to, principal } = request.query as Record<string, string | undefined>;
    for (const [name, value] of Object.entries({ from, to })) {
      if (
        value !== undefined &&
        (typeof value !== 'string' || !day.test(value) || Number.isNaN(Date.parse(value)))
      ) {
        throw new BadRequestError(`Query parameter "${name}" must be a date YYYY-MM-DD`, { parameter: name });
      }
    }
    if (
      principal !== undefined &&
      (typeof principal !== 'string' || !/^(user|api-key|anonymous):.{1,200}$/.test(principal))
    ) {
      throw new BadRequestError(
        'Query parameter "principal" must look like user:12, api-key:5 or anonymous:<address>',
        {
          parameter: 'principal',
        },
      );
    }
    const [kind, ...rest] = principal?.split(':') ?? [];
    const { rows } = await options.database.query(
      `SELECT to_char(u.day, 'YYYY-MM-DD') AS day, u.principal_kind AS "principalKind", u.principal_id AS "principalId",
              u.route, u.requests::int, u.denials::int, u.bytes_in::bigint::text AS "bytesIn", u.bytes_out::bigint::text AS "bytesOut"
       FROM usage_daily u
       WHERE u.day >= coalesce($1::date, current_date - 29) AND u.day <= coalesce($2::date, current_date)
         AND ($3::text IS NULL OR (u.principal_kind = $3 AND u.principal_id = $4))
       ORDER BY u.day, u.principal_kind, u.principal_id, u.route
       LIMIT 10000`,
      [from ?? null, to ?? null, kind ?? null, rest.join(':') || null],
    );
    response.json({
      usage: rows.map((row) => ({ ...row, bytesIn: Number(row.bytesIn), bytesOut: Number(row.bytesOut) })),
    });
  });
  return router;
}
