export interface Contact {
  name: string;
  email: string;
}

/** One commit as `git log` reports it. */
export interface GitCommit {
  sha: string;
  isMerge: boolean;
  /** The author as the repository's `.mailmap` names them. */
  authorName: string;
  authorEmail: string;
  /** The author as the commit records them. */
  authorOriginalName: string;
  authorOriginalEmail: string;
  /** ISO 8601 with the author's UTC offset, as git recorded it. */
  authoredAt: string;
  /** Minutes east of UTC. */
  authorTzOffset: number;
  committerName: string;
  committerEmail: string;
  committedAt: string;
  committerTzOffset: number;
  /** The full message, capped at `messageCap` characters. */
  message: string;
  /** From `--numstat`; binary files count 0. Null for a merge, for which git computes no diff. */
  additions: number | null;
  deletions: number | null;
  filesChanged: number | null;
  /** `Co-authored-by:` trailers as written (no mailmap applied yet). */
  coAuthors: Contact[];
}

export const messageCap = 4_096;

/**
 * The placeholders of one commit, in order. `%aN %aE %cN %cE` apply the mailmap, `%an %ae` do not; `%aI`
 * keeps the author's offset. Each field ends with a NUL: git refuses NUL in messages and identities, so
 * no text can be mistaken for a separator, and the numstat lines follow the last NUL up to the next commit.
 */
const placeholders = ['%H', '%P', '%aN', '%aE', '%an', '%ae', '%aI', '%cN', '%cE', '%cI', '%B'];
export const logFormat = `%x00${placeholders.join('%x00')}%x00`;
export const fieldsPerCommit = placeholders.length;

/** `fields` holds the placeholders' values; `numstat` the lines after them. */
export function commitFromFields(fields: string[], numstat: string): GitCommit {
  const [sha, parents, authorName, authorEmail, authorOriginalName, authorOriginalEmail, authoredAt] = fields;
  const [, , , , , , , committerName, committerEmail, committedAt, body] = fields;
  const isMerge = parents!.includes(' ');
  const changes = isMerge ? null : parseNumstat(numstat);
  const message = body!.trimEnd();
  return {
    sha: sha!,
    isMerge,
    authorName: authorName!,
    authorEmail: authorEmail!,
    authorOriginalName: authorOriginalName!,
    authorOriginalEmail: authorOriginalEmail!,
    authoredAt: authoredAt!,
    authorTzOffset: offsetMinutes(authoredAt!),
    committerName: committerName!,
    committerEmail: committerEmail!,
    committedAt: committedAt!,
    committerTzOffset: offsetMinutes(committedAt!),
    message: capped(message),
    additions: changes?.additions ?? null,
    deletions: changes?.deletions ?? null,
    filesChanged: changes?.filesChanged ?? null,
    coAuthors: coAuthorTrailers(message),
  };
}

/** `+05:30` → 330, `-08:00` → -480; newer git writes `Z` for UTC. */
export function offsetMinutes(isoDate: string): number {
  if (isoDate.endsWith('Z')) return 0;
  const sign = isoDate.charAt(isoDate.length - 6) === '-' ? -1 : 1;
  const hours = Number(isoDate.slice(-5, -3));
  const minutes = Number(isoDate.slice(-2));
  return sign * (hours * 60 + minutes);
}

/**
 * Lines of `added<TAB>deleted<TAB>path`; a binary file shows `-` for both. A rename's path is
 * `{old => new}`, never read: only the counts matter, and git quotes any path holding a newline.
 */
export function parseNumstat(text: string): { additions: number; deletions: number; filesChanged: number } {
  let additions = 0;
  let deletions = 0;
  let filesChanged = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const firstTab = text.indexOf('\t', start);
      const secondTab = text.indexOf('\t', firstTab + 1);
      if (firstTab !== -1 && firstTab < end && secondTab !== -1 && secondTab < end) {
        filesChanged++;
        additions += countOrZero(text, start, firstTab);
        deletions += countOrZero(text, firstTab + 1, secondTab);
      }
    }
    start = end + 1;
  }
  return { additions, deletions, filesChanged };
}

function countOrZero(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return 0; // '-': a binary file
    value = value * 10 + digit;
  }
  return value;
}

const coAuthorLine = /^co-authored-by:[ \t]*([^<>\n]*?)[ \t]*<([^<>\s]+)>[ \t]*$/gim;

/** The `Co-authored-by: Name <email>` trailers, each e-mail once (as GitHub credits them). */
export function coAuthorTrailers(message: string): Contact[] {
  if (!/co-authored-by:/i.test(message)) return [];
  const found = new Map<string, Contact>();
  for (const [, name = '', email = ''] of message.matchAll(coAuthorLine)) {
    const key = email.toLowerCase();
    if (!found.has(key)) found.set(key, { name, email });
  }
  return [...found.values()];
}

function capped(message: string): string {
  if (message.length <= messageCap) return message;
  const highSurrogate = /[\uD800-\uDBFF]/.test(message.charAt(messageCap - 1));
  return message.slice(0, highSurrogate ? messageCap - 1 : messageCap);
}
