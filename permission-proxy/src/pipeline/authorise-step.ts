import { ForbiddenError, UnauthorisedError } from '@repopulse/core';
import type { AclCache } from '../access-control/acl-cache.js';
import { decideAccess, matchRule } from '../access-control/acl-rules.js';
import type { ProxyRequest, RecordDenial } from './proxy-request.js';

/** May they: the first ACL rule by priority that matches the method and the normalised path decides. */
export function authoriseStep(options: { acl: AclCache; recordDenial: RecordDenial }) {
  return async (context: ProxyRequest): Promise<void> => {
    const rule = matchRule(await options.acl.rules(), context.request.method, context.pathname);
    context.rule = rule;
    const decision = decideAccess(rule, context.identity);
    if (decision.allowed) return;
    options.recordDenial(context, 'request.denied', decision.status, decision.reason);
    throw decision.status === 401
      ? new UnauthorisedError(decision.reason)
      : new ForbiddenError(decision.reason);
  };
}
