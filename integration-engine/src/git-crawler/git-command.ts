import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface GitCommandOptions {
  /** The repository (a bare mirror) the command runs in; none for `git clone`. */
  gitDirectory?: string;
  /** `-c name=value` settings for this command. */
  configuration?: Record<string, string>;
  /**
   * The one transport this command may use (`https`, `http`, `ssh`, `git`, `file`), for commands that
   * reach a remote: the target it reaches was checked by the crawl target policy (`git-remote-guard.ts`).
   * Every other command may use none, so no remote helper (`ext::`) or other transport can ever run.
   */
  allowedProtocol?: 'https' | 'http' | 'ssh' | 'git' | 'file';
  /** The process is ended after this long; git's own network timeouts do not cover every stall. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** git exited with an error; `stderr` is git's own explanation (its last 8 KB). */
export class GitCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly timedOut = false,
  ) {
    super(
      timedOut
        ? `git ${command} did not finish in time and was stopped`
        : `git ${command} failed (exit ${exitCode}): ${stderr.trim() || 'no message'}`,
    );
    this.name = 'GitCommandError';
  }
}

// Settings that make git's output and failures the same whatever the machine's or user's configuration:
// no prompt for credentials (a crawler has nobody to answer; it fails instead), English messages (the
// errors are classified by their text), replace refs ignored (they would rewrite the history the metrics
// count, which is the history as committed), and stalled transfers aborted by git itself.
const fixedEnvironment = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
  LC_ALL: 'C',
  LANGUAGE: 'C',
};
const inheritedRepositoryVariables = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
];
// No transport unless the command names one (protocol.allow=never), and git never follows a redirect on
// its own: the guard followed and checked them before (git's default follows the first request's).
// These come after the command's own settings, so no command can loosen them.
const fixedConfiguration = { 'http.lowSpeedLimit': '1000', 'http.lowSpeedTime': '60' };
const transportConfiguration = { 'protocol.allow': 'never', 'http.followRedirects': 'false' };

function gitEnvironment(allowedProtocol: string | undefined): NodeJS.ProcessEnv {
  // The child inherits the environment (PATH, HOME, proxies, an SSH agent); nothing is read from it here.
  // eslint-disable-next-line no-restricted-properties
  const environment: NodeJS.ProcessEnv = { ...process.env, ...fixedEnvironment };
  // GIT_ALLOW_PROTOCOL overrides protocol.allow: set here, never inherited, so it says the same (an empty
  // list allows nothing).
  environment.GIT_ALLOW_PROTOCOL = allowedProtocol ?? '';
  // ssh must not prompt either; an operator's own ssh command (a deploy key) is kept.
  environment.GIT_SSH_COMMAND ??= 'ssh -o BatchMode=yes';
  for (const name of inheritedRepositoryVariables) delete environment[name];
  return environment;
}

export interface RunningGit {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code once git ended and its output was read; rejects on timeout or abort. */
  exited: Promise<number | null>;
  /** git's standard error so far (capped). */
  stderr(): string;
  /** Ends git early (the caller stopped reading). */
  stop(): void;
}

const stderrCap = 8 * 1024;
const killGraceMs = 5_000;

/** Starts git without a shell. The caller reads `child.stdout` and awaits `exited`. */
export function startGit(args: string[], options: GitCommandOptions): RunningGit {
  const protocol = options.allowedProtocol ? { [`protocol.${options.allowedProtocol}.allow`]: 'always' } : {};
  const configurationArgs = Object.entries({
    ...fixedConfiguration,
    ...options.configuration,
    ...transportConfiguration,
    ...protocol,
  }).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const directoryArgs = options.gitDirectory === undefined ? [] : ['--git-dir', options.gitDirectory];
  const child = spawn('git', [...configurationArgs, ...directoryArgs, ...args], {
    env: gitEnvironment(options.allowedProtocol),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // git may end before reading all its input (a failure); the failure is reported by its exit, not EPIPE.
  child.stdin.on('error', () => {});
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-stderrCap);
  });
  const command = args[0] ?? '';
  let timedOut = false;
  // SIGTERM first: git removes its lock files and a half-made clone; SIGKILL only if it does not end.
  const terminate = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), killGraceMs).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    terminate();
  }, options.timeoutMs);
  const onAbort = () => terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) reject(options.signal.reason ?? new Error('aborted'));
      else if (timedOut) reject(new GitCommandError(command, code, stderr, true));
      else resolve(code);
    });
  });
  // Observed by whoever awaits it; a rejection while the caller is still reading stdout must not crash.
  exited.catch(() => {});
  if (options.signal?.aborted) onAbort();
  return { child, exited, stderr: () => stderr, stop: terminate };
}

export interface GitOutput {
  stdout: string;
  exitCode: number;
}

/**
 * Runs git to the end and returns its output. Exit codes in `acceptedExitCodes` (default: 0) are answers;
 * any other is a `GitCommandError`.
 */
export async function runGit(
  args: string[],
  options: GitCommandOptions & { input?: string; acceptedExitCodes?: number[] },
): Promise<GitOutput> {
  const git = startGit(args, options);
  git.child.stdin.end(options.input ?? '');
  let stdout = '';
  git.child.stdout.setEncoding('utf8');
  git.child.stdout.on('data', (text: string) => (stdout += text));
  const exitCode = await git.exited;
  if (exitCode === null || !(options.acceptedExitCodes ?? [0]).includes(exitCode)) {
    throw new GitCommandError(args[0] ?? '', exitCode, git.stderr());
  }
  return { stdout, exitCode };
}
