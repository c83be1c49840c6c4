import type { Queryable } from '@repopulse/core';
import type { TouchedDays } from '../activity/touched-days.js';
import { isBot } from '../people/bots.js';
import type { GitCommit } from './git-commit-record.js';
import type { MailmapResolver } from './mailmap-resolver.js';
import { upsertGitCommits, type GitCommitRow } from './upsert-git-commits.js';

export interface StoreCommitStreamOptions {
  transaction: Queryable;
  repositoryId: string;
  commits: AsyncIterable<GitCommit[]>;
  mailmap: MailmapResolver;
  touched: TouchedDays;
  batchSize: number;
  signal?: AbortSignal;
}

/**
 * Stores commits as git's output is parsed: while one batch is written, the next is read, so a big first
 * crawl costs about the longer of the two rather than their sum. At most one batch is in the database and
 * one is filling; git waits (its pipe fills) when the database is the slower.
 */
export async function storeCommitStream(
  options: StoreCommitStreamOptions,
): Promise<{ read: number; inserted: number }> {
  const isBotAuthor = createBotCheck();
  let read = 0;
  let inserted = 0;
  let filling: GitCommit[] = [];
  let writing: Promise<void> = Promise.resolve();

  const write = async (batch: GitCommit[]) => {
    const rows = await toRows(batch, options.mailmap, isBotAuthor);
    const result = await upsertGitCommits(options.transaction, options.repositoryId, rows, options.touched);
    inserted += result.inserted;
  };
  const startWrite = async (batch: GitCommit[]) => {
    await writing;
    writing = write(batch);
    writing.catch(() => {}); // awaited before the next batch or at the end
  };

  for await (const commits of options.commits) {
    options.signal?.throwIfAborted();
    read += commits.length;
    for (const commit of commits) filling.push(commit);
    if (filling.length >= options.batchSize) {
      await startWrite(filling);
      filling = [];
    }
  }
  if (filling.length > 0) await startWrite(filling);
  await writing;
  return { read, inserted };
}

async function toRows(
  commits: GitCommit[],
  mailmap: MailmapResolver,
  isBotAuthor: (commit: GitCommit) => boolean,
): Promise<GitCommitRow[]> {
  const coAuthors = await mailmap.resolve(commits.flatMap((commit) => commit.coAuthors));
  let next = 0;
  return commits.map((commit) => {
    const mappedCoAuthors = coAuthors.slice(next, next + commit.coAuthors.length);
    next += commit.coAuthors.length;
    return { ...commit, mappedCoAuthors, authorIsBot: isBotAuthor(commit) };
  });
}

/** The same few authors write most commits: each identity is checked once per crawl. */
function createBotCheck(): (commit: GitCommit) => boolean {
  const known = new Map<string, boolean>();
  return (commit) => {
    const key = `${commit.authorName}\n${commit.authorEmail}\n${commit.authorOriginalName}\n${commit.authorOriginalEmail}`;
    let bot = known.get(key);
    if (bot === undefined) {
      bot =
        isBot({ name: commit.authorName, email: commit.authorEmail }) ||
        isBot({ name: commit.authorOriginalName, email: commit.authorOriginalEmail });
      known.set(key, bot);
    }
    return bot;
  };
}
