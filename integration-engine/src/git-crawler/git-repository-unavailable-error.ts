/**
 * The git URL names no repository we can read: it does not exist, is not a git repository, needs
 * credentials we do not have, or is blocked. Retrying will not help; the caller marks the crawl failed
 * for good. Network failures and timeouts are ordinary errors, which are retried.
 */
export class GitRepositoryUnavailableError extends Error {
  constructor(
    readonly gitUrl: string,
    /** git's own explanation, from its standard error. */
    readonly gitMessage: string,
  ) {
    super(`git repository ${gitUrl} is not available: ${gitMessage}`);
    this.name = 'GitRepositoryUnavailableError';
  }
}

// git's messages (LC_ALL=C) for a repository that is not there, local and remote. GitHub answers 401 to a
// repository that does not exist or is private, which git without a prompt reports as "could not read
// Username". 403 and 5xx are left out: rate limits and outages heal.
const unavailablePatterns = [
  /repository '.*' does not exist/i,
  /repository '.*' not found/i,
  /does not appear to be a git repository/i,
  /not a git repository/i,
  /Repository not found/i,
  /could not read (Username|Password) for/i,
  /Authentication failed/i,
  /The requested URL returned error: (401|404|410|451)\b/,
  /Permission denied \(publickey/i,
  /'remote-[^']*' is not a git command/i,
  /Unable to find remote helper/i,
  /transport '.*' not allowed/i,
  /unable to find a usable protocol|Protocol ".*" not supported/i,
];

export function isRepositoryUnavailableMessage(stderr: string): boolean {
  return unavailablePatterns.some((pattern) => pattern.test(stderr));
}

/**
 * The URL without credentials: a token in an https URL (`https://x-access-token:TOKEN@…`, `https://TOKEN@…`)
 * must not reach logs, errors or the database. An ssh user name (`ssh://git@…`) is no secret and stays.
 */
export function redactGitUrl(gitUrl: string): string {
  return gitUrl
    .replace(/^(https?:\/\/)[^/@]*@/i, '$1***@')
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}
