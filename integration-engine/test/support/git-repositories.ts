import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface Identity {
  name: string;
  email: string;
}

export interface CommitSpec {
  author: Identity;
  /** The committer; the author when left out. */
  committer?: Identity;
  /** Author date, ISO 8601 with the author's offset (`2026-03-01T10:00:00+05:30`). */
  date: string;
  /** Committer date; the author date when left out. */
  commitDate?: string;
  message: string;
  /** Path → content; null deletes the file. */
  files?: Record<string, string | Buffer | null>;
}

export interface TestGitRepository {
  /** The working repository's directory: what the crawler is given as its URL. */
  path: string;
  /** Runs git in the repository, isolated from the user's and the system's configuration. */
  git(
    args: string[],
    identity?: { author: Identity; committer: Identity; date: string; commitDate: string },
  ): Promise<string>;
  commit(spec: CommitSpec): Promise<string>;
  /** Switches branch; `create` starts it at the current commit. */
  checkout(branch: string, options?: { create?: boolean }): Promise<void>;
  /** A merge commit (never a fast-forward) of `branch` into the current branch. */
  merge(branch: string, spec: Omit<CommitSpec, 'files'>): Promise<string>;
  remove(): Promise<void>;
}

/** A scratch directory for mirrors and repositories, removed by the caller. */
export function temporaryDirectory(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `repopulse-${prefix}-`));
}

/** Runs git outside any repository (or with `-C`), isolated from the user's configuration. */
export async function runGit(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmpdir(),
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      LC_ALL: 'C',
      ...env,
    },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

/** A real repository with a history made of explicit identities and dates, as a test describes it. */
export async function createGitRepository(defaultBranch = 'main'): Promise<TestGitRepository> {
  const path = await temporaryDirectory('git-source');
  await runGit(['init', '--quiet', `--initial-branch=${defaultBranch}`, path]);

  const repository: TestGitRepository = {
    path,
    git(args, identity) {
      const env: Record<string, string> = identity
        ? {
            GIT_AUTHOR_NAME: identity.author.name,
            GIT_AUTHOR_EMAIL: identity.author.email,
            GIT_AUTHOR_DATE: identity.date,
            GIT_COMMITTER_NAME: identity.committer.name,
            GIT_COMMITTER_EMAIL: identity.committer.email,
            GIT_COMMITTER_DATE: identity.commitDate,
          }
        : {};
      return runGit(['-C', path, ...args], env);
    },
    async commit(spec) {
      for (const [file, content] of Object.entries(spec.files ?? {})) {
        const target = join(path, file);
        if (content === null) {
          await repository.git(['rm', '--quiet', '--', file]);
        } else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
          await repository.git(['add', '--', file]);
        }
      }
      await repository.git(
        ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', spec.message],
        identityOf(spec),
      );
      return (await repository.git(['rev-parse', 'HEAD'])).trim();
    },
    async checkout(branch, options) {
      await repository.git(['checkout', '--quiet', ...(options?.create ? ['-b'] : []), branch]);
    },
    async merge(branch, spec) {
      await repository.git(
        ['merge', '--quiet', '--no-ff', '--no-verify', '-m', spec.message, branch],
        identityOf(spec),
      );
      return (await repository.git(['rev-parse', 'HEAD'])).trim();
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
  return repository;
}

function identityOf(spec: Omit<CommitSpec, 'files'>) {
  return {
    author: spec.author,
    committer: spec.committer ?? spec.author,
    date: spec.date,
    commitDate: spec.commitDate ?? spec.date,
  };
}
