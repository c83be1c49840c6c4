/**
 * Bots, as docs/METRICS.md defines them: a login ending in `[bot]`, a GitHub account of type `Bot`, or a
 * name, login or e-mail on the list of well-known automation accounts. Bots are stored and marked,
 * never counted as contributors or responders.
 */
const knownBotNames = [
  'dependabot',
  'dependabot-preview',
  'renovate',
  'renovate-bot',
  'renovatebot',
  'github-actions',
  'pre-commit-ci',
  'greenkeeper',
  'snyk-bot',
  'mergify',
  'codecov',
  'allcontributors',
  'imgbot',
  'netlify',
  'vercel',
  'copilot',
  'k8s-ci-robot',
  'google-oss-bot',
  'azure-pipelines',
  'web-flow',
];

const knownBotPattern = new RegExp(
  `^(${knownBotNames.map((name) => name.replace(/[-]/g, '\\-')).join('|')})(\\[bot\\])?$`,
  'i',
);

export interface ActorForBotCheck {
  login?: string | null;
  /** GitHub's account type: `User`, `Bot`, `Organization`, `Mannequin`. */
  type?: string | null;
  name?: string | null;
  email?: string | null;
}

export function isBot(actor: ActorForBotCheck): boolean {
  if (actor.type === 'Bot') return true;
  const login = actor.login?.trim();
  if (login && (/\[bot\]$/i.test(login) || knownBotPattern.test(login))) return true;
  const name = actor.name?.trim();
  if (name && (/\[bot\]$/i.test(name) || knownBotPattern.test(name))) return true;
  const email = actor.email?.trim().toLowerCase();
  if (email) {
    const [local = '', domain = ''] = email.split('@');
    // <id>+<login>[bot]@users.noreply.github.com, and the bots' own addresses (support@dependabot.com…).
    const noreplyLogin = domain === 'users.noreply.github.com' ? local.replace(/^\d+\+/, '') : undefined;
    if (noreplyLogin && (/\[bot\]$/.test(noreplyLogin) || knownBotPattern.test(noreplyLogin))) return true;
    if (/\[bot\]$/.test(local) || knownBotPattern.test(local)) return true;
    if (/(^|\.)(dependabot\.com|renovateapp\.com|mend\.io)$/.test(domain)) return true;
    if (local === 'action' && domain === 'github.com') return true; // github-actions' commits
  }
  return false;
}
