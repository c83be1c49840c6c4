import { UnauthorisedError } from '@repopulse/core';
import type { RequestAuthenticator } from '../contracts.js';
import type { ProxyRequest, RecordDenial } from './proxy-request.js';

/** Who is it: the identity behind the credentials, none for an anonymous caller; bad credentials are 401. */
export function authenticateStep(options: {
  authenticator: RequestAuthenticator;
  recordDenial: RecordDenial;
}) {
  return async (context: ProxyRequest): Promise<void> => {
    try {
      context.identity = await options.authenticator.authenticate(context.request);
    } catch (error) {
      if (error instanceof UnauthorisedError)
        options.recordDenial(context, 'request.denied', 401, error.message);
      throw error;
    }
    context.request.identity = context.identity;
  };
}
