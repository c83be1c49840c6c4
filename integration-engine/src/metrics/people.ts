import { isBot } from '../people/bots.js';

/** Mail domains that say nothing of an employer: their people count as independents (docs/METRICS.md). */
const publicMailDomains = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.ru',
  'yandex.ru',
  'qq.com',
  '163.com',
  '126.com',
  'fastmail.com',
  'hey.com',
  'users.noreply.github.com',
  'localhost',
]);

const noreply = /^(?:(\d+)\+)?([^@]+)@users\.noreply\.github\.com$/i;

/** GitHub user ids by login (lower case), as the facts reveal them: authors' ids, noreply addresses. */
export type LoginIds = ReadonlyMap<string, string>;

const noLoginIds: LoginIds = new Map();

/**
 * The GitHub user id a noreply address names (`<id>+<login>@users.noreply.github.com`), with its login;
 * undefined for any other address or the old id-less form.
 */
export function noreplyIdentity(email: string | null): { id: string; login: string } | undefined {
  const match = email ? noreply.exec(email.trim()) : null;
  return match?.[1] ? { id: match[1], login: match[2]!.toLowerCase() } : undefined;
}

/**
 * The person a commit's author is, in docs/METRICS.md's order: the `.mailmap` (already applied to the stored
 * name and e-mail), the GitHub user id (a noreply address names it; a login is its user's where the facts
 * tie the two, `loginIds`, so a renamed account stays one person), the GitHub login (webhook commits carry
 * it; noreply addresses name it), then the e-mail, case-folded. `emailLogins` maps e-mails to the logins
 * seen with them elsewhere.
 */
export function commitPerson(
  author: { login: string | null; email: string | null; name: string | null },
  emailLogins: ReadonlyMap<string, string>,
  loginIds: LoginIds = noLoginIds,
): string {
  if (author.login) return loginPerson(author.login, loginIds)!;
  const email = author.email?.trim().toLowerCase();
  if (email) {
    const match = noreply.exec(email);
    if (match) return match[1] ? `github:${match[1]}` : loginPerson(match[2]!, loginIds)!;
    const login = emailLogins.get(email);
    if (login) return loginPerson(login, loginIds)!;
    return `email:${email}`;
  }
  return `name:${(author.name ?? 'unknown').trim().toLowerCase()}`;
}

/** The organisation of an author by e-mail domain; null for independents and unknown addresses. */
export function emailOrganisation(email: string | null): string | null {
  const domain = email?.trim().toLowerCase().split('@')[1];
  if (!domain || publicMailDomains.has(domain)) return null;
  return domain;
}

/**
 * The organisation a commit counts for, in docs/METRICS.md's order: its person's GitHub company where known
 * (`githubOrganisations`, person key → the company's organisation, see `organisationOfCompany`), else its
 * e-mail domain (`emailOrganisation`); null for an independent. A company and a domain are different
 * keys (`acme` and `acme.com`): nothing says an e-mail domain is the company's.
 */
export function commitOrganisation(
  person: string,
  domainOrganisation: string | null,
  githubOrganisations: ReadonlyMap<string, string>,
): string | null {
  return githubOrganisations.get(person) ?? domainOrganisation;
}

/**
 * The GitHub user ids (`github:<id>`) and logins (`login:<login>`, lower case) that `persons` name: the
 * keys to look their GitHub profiles up by.
 */
export function githubKeysOf(persons: Iterable<string>): { ids: string[]; logins: string[] } {
  const ids = new Set<string>();
  const logins = new Set<string>();
  for (const person of persons) {
    // An id too long for a bigint (a made-up noreply address) names no GitHub user, and would fail the query.
    if (person.startsWith('github:')) {
      const id = person.slice('github:'.length);
      if (/^\d{1,18}$/.test(id)) ids.add(id);
    } else if (person.startsWith('login:')) logins.add(person.slice('login:'.length));
  }
  return { ids: [...ids], logins: [...logins] };
}

/** The person behind a GitHub login: its user id where known (`id`, or `loginIds`), else the login. */
export function loginPerson(
  login: string | null,
  loginIds: LoginIds = noLoginIds,
  id: string | number | null = null,
): string | null {
  if (id !== null) return `github:${id}`;
  if (!login) return null;
  const known = loginIds.get(login.toLowerCase());
  return known ? `github:${known}` : `login:${login.toLowerCase()}`;
}

export function commitAuthorIsBot(author: {
  login: string | null;
  email: string | null;
  name: string | null;
  markedBot: boolean;
}): boolean {
  return author.markedBot || isBot(author);
}
