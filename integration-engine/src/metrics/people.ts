import { isBot } from '../people/bots.js';

/** Mail domains that say nothing of an employer: their people count as independents (METRICS.md). */
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

/**
 * The person a commit's author is, in METRICS.md's order: the `.mailmap` (already applied to the stored
 * name and e-mail), the GitHub login (webhook commits carry it; GitHub noreply addresses name it), then
 * the e-mail, case-folded. `emailLogins` maps e-mails to the logins seen with them elsewhere.
 */
export function commitPerson(
  author: { login: string | null; email: string | null; name: string | null },
  emailLogins: ReadonlyMap<string, string>,
): string {
  if (author.login) return `login:${author.login.toLowerCase()}`;
  const email = author.email?.trim().toLowerCase();
  if (email) {
    const match = noreply.exec(email);
    if (match) return `login:${match[2]!.toLowerCase()}`;
    const login = emailLogins.get(email);
    if (login) return `login:${login.toLowerCase()}`;
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

export function loginPerson(login: string | null): string | null {
  return login ? `login:${login.toLowerCase()}` : null;
}

export function commitAuthorIsBot(author: {
  login: string | null;
  email: string | null;
  name: string | null;
  markedBot: boolean;
}): boolean {
  return author.markedBot || isBot(author);
}
