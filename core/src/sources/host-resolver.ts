import { lookup } from 'node:dns/promises';

/** Every address a host name resolves to; rejects with the resolver's error code (`ENOTFOUND`, …). */
export type HostResolver = (host: string) => Promise<string[]>;

const resolveTimeoutMs = 5_000;

/**
 * The system resolver (getaddrinfo: /etc/hosts, then DNS), as git and curl would ask it. Every address is
 * returned, not just the first: a name answering one public and one private address is refused.
 * A resolver that hangs is cut short with `ETIMEOUT`, a transient failure.
 */
export const systemHostResolver: HostResolver = async (host) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`resolving ${host} timed out`), { code: 'ETIMEOUT' })),
      resolveTimeoutMs,
    );
  });
  try {
    const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return answers.map((answer) => answer.address);
  } finally {
    clearTimeout(timer);
  }
};
