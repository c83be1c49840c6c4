import { GitCommandError, startGit, type GitCommandOptions } from './git-command.js';
import { commitFromFields, fieldsPerCommit, logFormat, type GitCommit } from './git-commit-record.js';

// Fixed so that the output is the same whatever the mirror's or the user's configuration: the mailmap from
// the default branch's tip (git's default in a bare repository, set anyway), renames found as plain
// `git log --numstat` finds them, UTF-8, no signatures.
const logConfiguration = {
  'mailmap.blob': 'HEAD:.mailmap',
  'diff.renames': 'true',
  'i18n.logOutputEncoding': 'UTF-8',
  'log.showSignature': 'false',
};

/**
 * Streams the commits of `revisions` (e.g. `[head]`, or `[head, '^' + oldHead]`) from `git log --numstat`
 * as they are parsed, a chunk of git's output at a time, never holding the whole log. Stopping early (an
 * error downstream) ends git.
 */
export async function* readCommits(
  revisions: string[],
  options: GitCommandOptions,
): AsyncGenerator<GitCommit[], void, undefined> {
  const git = startGit(
    [
      'log',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--numstat',
      `--format=${logFormat}`,
      ...revisions,
      '--',
    ],
    { ...options, configuration: logConfiguration },
  );
  git.child.stdin.end();
  git.child.stdout.setEncoding('utf8');
  const parser = createLogParser();
  let finished = false;
  try {
    for await (const chunk of git.child.stdout as AsyncIterable<string>) {
      const commits = parser.push(chunk);
      if (commits.length > 0) yield commits;
    }
    const last = parser.end();
    const exitCode = await git.exited;
    finished = true;
    if (exitCode !== 0) throw new GitCommandError('log', exitCode, git.stderr());
    if (last.length > 0) yield last;
  } finally {
    if (!finished) git.stop();
  }
}

/**
 * The output is NUL-separated tokens: one empty token before the first commit, then per commit its fields
 * and the text after its last field (its numstat lines), which ends where the next commit's first NUL is.
 */
export function createLogParser(): { push(chunk: string): GitCommit[]; end(): GitCommit[] } {
  let pending = '';
  let seenStart = false;
  let fields: string[] = [];

  function accept(token: string, commits: GitCommit[]) {
    if (!seenStart) {
      seenStart = true;
      return;
    }
    if (fields.length < fieldsPerCommit) {
      fields.push(token);
      return;
    }
    commits.push(commitFromFields(fields, token));
    fields = [];
  }

  return {
    push(chunk) {
      const commits: GitCommit[] = [];
      const tokens = (pending + chunk).split('\0');
      pending = tokens.pop()!;
      for (const token of tokens) accept(token, commits);
      return commits;
    },
    end() {
      if (fields.length < fieldsPerCommit) return [];
      const commits = [commitFromFields(fields, pending)];
      fields = [];
      pending = '';
      return commits;
    },
  };
}
