import type { Request } from 'express';
import { ForbiddenError, identityHeaders, type Scopes } from '@repopulse/core';

/**
 * The caller's scopes, as the permission proxy sent them: `X-Scope-Param-<name>: v1,v2` per scoped query
 * parameter (names lowercased), `X-Scope-Max-Limit: N`. No such header: the caller is unscoped. The one
 * place the gateway reads them, so that trusting them (today: only the proxy reaches the gateway) can
 * become verifying them without touching the endpoints.
 *
 * A header that cannot be read is refused rather than ignored: ignoring it would widen the answer.
 */
export function scopesOf(request: Request): Scopes {
  const params: Record<string, string[]> = {};
  let maxLimit: number | undefined;
  for (const [header, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    // Node joins a repeated header with ", " (set-cookie aside), which splits as one list.
    const text = Array.isArray(value) ? value.join(',') : value;
    if (header.startsWith(identityHeaders.scopeParamPrefix)) {
      const parameter = header.slice(identityHeaders.scopeParamPrefix.length);
      // An empty list allows nothing: the caller then sees no repository, never every one.
      params[parameter] = text
        .split(',')
        .map((allowed) => allowed.trim())
        .filter((allowed) => allowed !== '');
    } else if (header === identityHeaders.scopeMaxLimit) {
      if (!/^[1-9][0-9]{0,8}$/.test(text.trim())) {
        throw new ForbiddenError(`Your access carries a limit cap that cannot be read ("${text}")`);
      }
      maxLimit = Number(text.trim());
    }
  }
  return {
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(maxLimit !== undefined ? { maxLimit } : {}),
  };
}
