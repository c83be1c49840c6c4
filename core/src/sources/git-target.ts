import { canonicalHost } from './address-range.js';

/**
 * How git would reach a target. `helper` is git's `<transport>::<address>` remote-helper syntax
 * (`ext::sh -c …` runs a command); `unknown` is any other URL scheme git would hand to a
 * `git-remote-<scheme>` helper. Neither is ever crawled.
 */
export type GitTransport = 'https' | 'http' | 'ssh' | 'git' | 'file' | 'helper' | 'unknown';

export interface GitTarget {
  transport: GitTransport;
  /** What git is given: for URLs the parsed and re-serialised form, so what was checked is what runs. */
  gitUrl: string;
  /** Lower case, without brackets or a trailing dot; absent for local targets. */
  host?: string;
  /** The port named or the transport's default; absent for local targets. */
  port?: number;
  /** A user name or password in the target (`https://token@…`, `ssh://git@…`). */
  hasCredentials: boolean;
  /** A query or fragment after the path. */
  hasQueryOrFragment: boolean;
}

const defaultPorts: Partial<Record<GitTransport, number>> = { https: 443, http: 80, ssh: 22, git: 9418 };
const schemes: Record<string, GitTransport> = {
  https: 'https',
  http: 'http',
  ssh: 'ssh',
  'git+ssh': 'ssh',
  'ssh+git': 'ssh',
  git: 'git',
  file: 'file',
};

/**
 * Classifies a git target the way git itself reads it (`transport.c`, `connect.c`): the helper syntax
 * first, then `scheme://`, then scp-like `[user@]host:path` (a colon before any slash), else a local path.
 * Undefined when it cannot be read at all (a URL that does not parse, an empty host).
 */
export function classifyGitTarget(text: string): GitTarget | undefined {
  const target = text.trim();
  if (target === '') return undefined;
  if (/^[A-Za-z0-9][A-Za-z0-9+.-]*::/.test(target)) {
    return { transport: 'helper', gitUrl: target, hasCredentials: false, hasQueryOrFragment: false };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(target)?.[1]?.toLowerCase();
  if (scheme !== undefined) return classifyUrl(target, schemes[scheme] ?? 'unknown');
  const scpLike = /^(?:([^@/]*)@)?(\[[^\]/]*\]|[^:/[\]]+):(.*)$/s.exec(target);
  if (scpLike) {
    const host = canonicalHost(scpLike[2]!.replace(/^\[|\]$/g, '').replace(/^[^@]*@/, ''));
    if (host === '') return undefined;
    return {
      transport: 'ssh',
      gitUrl: target,
      host,
      port: 22,
      hasCredentials: scpLike[1] !== undefined || scpLike[2]!.includes('@'),
      hasQueryOrFragment: false,
    };
  }
  return { transport: 'file', gitUrl: target, hasCredentials: false, hasQueryOrFragment: false };
}

function classifyUrl(text: string, transport: GitTransport): GitTarget | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const hasCredentials = url.username !== '' || url.password !== '';
  const hasQueryOrFragment = url.search !== '' || url.hash !== '' || /[?#]/.test(text);
  if (transport === 'file') {
    // git reads file://host/path as the path on this machine whatever the host; it is local either way.
    return { transport, gitUrl: url.href, hasCredentials, hasQueryOrFragment };
  }
  if (transport === 'unknown') return { transport, gitUrl: text, hasCredentials, hasQueryOrFragment };
  // For https and http the WHATWG parser has already read every IPv4 spelling (0x7f.1, 127.1,
  // 2130706433) as the address it is; ssh and git hosts are opaque to it and canonicalHost reads them.
  const host = canonicalHost(url.hostname.replace(/^\[|\]$/g, ''));
  if (host === '') return undefined;
  const port = url.port === '' ? defaultPorts[transport]! : Number(url.port);
  if (transport === 'https' || transport === 'http') {
    // Re-serialised with the canonical host, so the name git (curl) connects to is the one checked and
    // pinned: no trailing dot, no second spelling of an address.
    url.hostname = host.includes(':') ? `[${host}]` : host;
    return { transport, gitUrl: url.href, host, port, hasCredentials, hasQueryOrFragment };
  }
  return { transport, gitUrl: text, host, port, hasCredentials, hasQueryOrFragment };
}
