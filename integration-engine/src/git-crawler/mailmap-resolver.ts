import { createInterface } from 'node:readline';
import { GitCommandError, startGit, type GitCommandOptions, type RunningGit } from './git-command.js';
import type { Contact } from './git-commit-record.js';

export interface MailmapResolver {
  /** The contacts as the repository's `.mailmap` names them, in the same order. */
  resolve(contacts: Contact[]): Promise<Contact[]>;
  close(): Promise<void>;
}

/**
 * Applies the mailmap to identities git log does not map itself (the co-authors of trailers) with one
 * long-lived `git check-mailmap --stdin`, started on first use: it answers each line as it reads it, so a
 * batch of contacts costs one round trip, and each contact is asked once per crawl.
 */
export function createMailmapResolver(options: GitCommandOptions): MailmapResolver {
  const known = new Map<string, Contact>();
  let git: RunningGit | undefined;
  let answers: AsyncIterator<string> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function ask(contacts: Contact[]): Promise<void> {
    if (git === undefined) {
      git = startGit(['check-mailmap', '--stdin'], {
        ...options,
        configuration: { 'mailmap.blob': 'HEAD:.mailmap' },
      });
      answers = createInterface({ input: git.child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
    }
    git.child.stdin.write(contacts.map((contact) => `${contact.name} <${contact.email}>\n`).join(''));
    for (const contact of contacts) {
      const answer = await answers!.next();
      if (answer.done) {
        throw new GitCommandError('check-mailmap', git.child.exitCode, git.stderr());
      }
      known.set(keyOf(contact), parseContact(answer.value) ?? contact);
    }
  }

  return {
    resolve(contacts) {
      const unknown = uniqueByKey(
        contacts.filter((contact) => isAskable(contact) && !known.has(keyOf(contact))),
      );
      const done = queue.then(async () => {
        if (unknown.length > 0) await ask(unknown);
        return contacts.map((contact) => known.get(keyOf(contact)) ?? contact);
      });
      queue = done.catch(() => {});
      return done;
    },
    async close() {
      if (git === undefined) return;
      git.child.stdin.end();
      await git.exited;
    },
  };
}

function keyOf(contact: Contact): string {
  return `${contact.name}\n${contact.email}`;
}

/** check-mailmap stops at a line it cannot parse: only well-formed contacts are asked. */
function isAskable(contact: Contact): boolean {
  return contact.email !== '' && !/[<>\n]/.test(contact.name) && !/[<>\s]/.test(contact.email);
}

function uniqueByKey(contacts: Contact[]): Contact[] {
  return [...new Map(contacts.map((contact) => [keyOf(contact), contact])).values()];
}

function parseContact(line: string): Contact | undefined {
  const match = /^(.*?) ?<([^<>]*)>$/.exec(line);
  return match ? { name: match[1]!, email: match[2]! } : undefined;
}
