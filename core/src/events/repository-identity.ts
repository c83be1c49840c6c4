import type { RepositoryReference } from './generic-event-types.js';

/**
 * The repository a git URL names (docs/DESIGN.md, "Repositories and sources"): the URL's host, or `local`
 * for a file path, and the last two path segments without `.git` as owner and name. Accepts https, http, ssh,
 * git and file URLs, scp-like `git@host:owner/name.git`, and absolute paths. Undefined if it names none.
 */
export function repositoryFromGitUrl(gitUrl: string): RepositoryReference | undefined {
  const text = gitUrl.trim();
  let host: string;
  let path: string;
  const scpLike = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/.exec(text);
  if (text.startsWith('/')) {
    host = 'local';
    path = text;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'file:'].includes(url.protocol)) return undefined;
    host = url.protocol === 'file:' ? 'local' : url.hostname.toLowerCase();
    path = decodeURIComponent(url.pathname);
  } else if (scpLike) {
    host = scpLike[1]!.toLowerCase();
    path = scpLike[2]!;
  } else {
    return undefined;
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length < 2 || host === '') return undefined;
  const owner = segments.at(-2)!;
  const name = segments.at(-1)!.replace(/\.git$/, '');
  const segment = /^[A-Za-z0-9._-]{1,100}$/;
  if (!segment.test(owner) || !segment.test(name) || name === '') return undefined;
  return { host, owner, name };
}

/** The key of a repository within a crawl run: `host/owner/name`, case-folded. */
export function crawlRunItem(repository: { host: string; owner: string; name: string }): string {
  return `${repository.host}/${repository.owner}/${repository.name}`.toLowerCase();
}
