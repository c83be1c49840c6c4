import { runGit, type GitCommandOptions } from './git-command.js';

export interface DefaultBranch {
  /** `main`, from the mirror's HEAD (the remote's default branch); null if HEAD is detached. */
  name: string | null;
  /** The branch's head commit; null for an empty repository. */
  head: string | null;
}

export async function readDefaultBranch(options: GitCommandOptions): Promise<DefaultBranch> {
  const symbolic = await runGit(['symbolic-ref', '--quiet', 'HEAD'], {
    ...options,
    acceptedExitCodes: [0, 1],
  });
  const ref = symbolic.exitCode === 0 ? symbolic.stdout.trim() : 'HEAD';
  const resolved = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    ...options,
    acceptedExitCodes: [0, 1],
  });
  return {
    name: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null,
    head: resolved.exitCode === 0 ? resolved.stdout.trim() : null,
  };
}

/** False as well when `ancestor` is not in the mirror any more (history rewritten and since pruned). */
export async function isAncestor(
  ancestor: string,
  head: string,
  options: GitCommandOptions,
): Promise<boolean> {
  const { exitCode } = await runGit(['merge-base', '--is-ancestor', ancestor, head], {
    ...options,
    acceptedExitCodes: [0, 1, 128],
  });
  return exitCode === 0;
}

export async function hasCommit(sha: string, options: GitCommandOptions): Promise<boolean> {
  const { exitCode } = await runGit(['cat-file', '-e', `${sha}^{commit}`], {
    ...options,
    acceptedExitCodes: [0, 1, 128],
  });
  return exitCode === 0;
}

/** Commits reachable from `oldHead` and not from `newHead`: what a force push took off the branch. */
export async function commitsLeftBehind(
  oldHead: string,
  newHead: string,
  options: GitCommandOptions,
): Promise<string[]> {
  const { stdout } = await runGit(['rev-list', oldHead, '--not', newHead, '--'], options);
  return stdout.split('\n').filter((line) => line !== '');
}
