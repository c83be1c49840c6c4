import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface UpstreamAgentOptions {
  protocol: 'http:' | 'https:';
  /** Most sockets open to one upstream (host and port) at once; requests beyond wait for a free one. */
  maxSockets: number;
  /** An upstream that does not accept the connection within this time counts as unreachable. */
  connectTimeoutMs: number;
}

/** The error a connection attempt ends with when the upstream neither accepts nor refuses it in time. */
export const connectTimeoutCode = 'UPSTREAM_CONNECT_TIMEOUT';

/**
 * Keep-alive sockets to the upstreams, reused request after request: a new TCP connection per request
 * would cost more than everything else the proxy does. Idle sockets are closed a second before the
 * upstream would close them, as Node reads from the upstream's `Keep-Alive: timeout=` hint, so a request
 * is never sent on a socket the upstream is closing.
 *
 * The connect timeout is separate from the answer timeout: a host that drops packets would otherwise
 * hold a request for the whole answer timeout and be reported as slow rather than unreachable.
 */
export function createUpstreamAgent(options: UpstreamAgentOptions): HttpAgent {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    maxFreeSockets: options.maxSockets,
    // The most recently used socket first: under light load the others expire instead of all staying warm.
    scheduling: 'lifo' as const,
  };
  const agent = options.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = connect(connectOptions, callback);
    if (!socket) return socket;
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`No connection within ${options.connectTimeoutMs} ms`), {
        code: connectTimeoutCode,
      });
      socket.destroy(error);
    }, options.connectTimeoutMs);
    // TCP-level 'connect' (also emitted by TLS sockets, before their handshake): the host is reachable.
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
  return agent;
}
