import { encodeHeaderText, identityHeaders } from '@repopulse/core';
import type { UpstreamService, Upstreams } from '../access-control/upstream-routes.js';
import type { Forwarder } from '../contracts.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { principalOf, type ProxyRequest } from './proxy-request.js';
import type { receiveBodyStep } from './receive-body-step.js';
import type { scopeStep } from './scope-step.js';

/**
 * Forwarded: the credentials stay here; the upstream learns who the caller is from the proxy's identity
 * headers (signed by the forwarder) and, on the read API, the caller's scopes.
 */
export function forwardStep(options: {
  forwarder: Forwarder;
  upstreams: Upstreams;
  usage: UsageRecorder;
  scope: ReturnType<typeof scopeStep>;
  receiveBody: ReturnType<typeof receiveBodyStep>;
}) {
  return async (context: ProxyRequest, service: UpstreamService, upstreamPath: string): Promise<void> => {
    const { request, response, identity, rule } = context;
    delete request.headers.authorization;
    delete request.headers['x-api-key'];
    const headers: Record<string, string> = {
      [identityHeaders.requestId]: request.requestId,
      [identityHeaders.clientAddress]: request.ip ?? request.socket.remoteAddress ?? '',
    };
    let path = upstreamPath;
    if (identity) {
      headers[identityHeaders.userId] = `${identity.kind}:${identity.id}`;
      headers[identityHeaders.userName] = encodeHeaderText(identity.name);
      headers[identityHeaders.userRoles] = identity.roles.join(',');
      if (service === 'output-gateway') {
        const scoped = options.scope(context, upstreamPath);
        path = scoped.path;
        Object.assign(headers, scoped.headers);
      }
    }
    // Only now, with every check passed, is the body read (ordinary sizes whole, here; see receiveBody).
    const received = await options.receiveBody(context);
    const result = await options.forwarder.forward(request, response, {
      upstream: options.upstreams[service],
      path,
      headers,
      body: received.kind === 'buffered' ? received.body : undefined,
      streamed: received.kind === 'streamed',
    });
    const principal = principalOf(identity, request);
    options.usage.record({
      principalKind: principal.principalKind,
      principalId: principal.principalId,
      route: rule?.pathPattern ?? '(none)',
      denied: false,
      bytesIn: result.bytesIn,
      bytesOut: result.bytesOut,
    });
  };
}
