import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { communityMetrics } from '../src/metrics/definitions/community.js';
import { activeContributors90d } from '../src/metrics/definitions/community-active-contributors.js';
import { codeReviewRatio90d } from '../src/metrics/definitions/community-code-review.js';
import {
  busFactor365d,
  elephantFactor365d,
  organisationsByCommits,
  personsByCommits,
} from '../src/metrics/definitions/community-concentration.js';
import {
  contributorRetention90d,
  contributors365d,
  contributors90d,
  newContributors90d,
} from '../src/metrics/definitions/community-contributors.js';
import { scorecardMaintained } from '../src/metrics/definitions/community-scorecard-maintained.js';
import type { MetricDefinition, MetricValue } from '../src/metrics/metric-definition.js';
import {
  commitAuthorIsBot,
  commitOrganisation,
  commitPerson,
  emailOrganisation,
  githubKeysOf,
  loginPerson,
} from '../src/metrics/people.js';
import type { RepositoryFacts } from '../src/metrics/repository-facts.js';
import { at, days, factsBuilder, hours, type FactsBuilder } from './support/metric-facts-builder.js';

// Every test computes at 2024-07-01T00:00Z unless it says otherwise. Its windows start at:
//   90 days:  2024-04-02T00:00Z  (30 days of June, 31 of May, 29 of April: 90)
//   180 days: 2024-01-03T00:00Z  (2024-04-02 − 31 of March − 29 of February − 30 more days of January)
//   365 days: 2023-07-02T00:00Z  (2023-07-01 → 2024-07-01 is 366 days: 2024 has a 29 February)
const now = at('2024-07-01T00:00:00Z');
const ago = (count: number): number => now - days(count);

const compute = (metric: MetricDefinition, facts: RepositoryFacts, when = now): MetricValue =>
  metric.compute(facts, when);

/** `count` commits by one person, an hour apart, the first `daysAgo` days before now. */
function commitsBy(
  builder: FactsBuilder,
  count: number,
  author: { person: string; personName?: string; emailOrganisation?: string | null; isBot?: boolean },
  daysAgo = 10,
  isMerge = false,
): FactsBuilder {
  for (let index = 0; index < count; index++)
    builder.commit({ ...author, authoredAt: ago(daysAgo) + hours(index), isMerge });
  return builder;
}

describe('people: one person across e-mails and logins', () => {
  test('reads a GitHub noreply address as its user id, or as its login in the old form without one', () => {
    const none = new Map<string, string>();
    assert.equal(
      commitPerson({ login: null, email: '123+Octo@users.noreply.github.com', name: 'Octo Cat' }, none),
      'github:123',
    );
    assert.equal(
      commitPerson({ login: null, email: 'octo@users.noreply.github.com', name: 'Octo' }, none),
      'login:octo',
    );
    // Once the facts tie the login to its user id, the old form is that user too.
    const loginIds = new Map([['octo', '123']]);
    assert.equal(
      commitPerson({ login: null, email: 'octo@users.noreply.github.com', name: 'Octo' }, none, loginIds),
      'github:123',
    );
  });

  test('a renamed GitHub account stays one person: its user id, whatever login it had', () => {
    const none = new Map<string, string>();
    // The account 123 committed as "octo" (noreply), then was renamed "octocat" and opened pull requests.
    const loginIds = new Map([
      ['octo', '123'],
      ['octocat', '123'],
    ]);
    const before = commitPerson(
      { login: null, email: '123+octo@users.noreply.github.com', name: 'O' },
      none,
      loginIds,
    );
    const after = commitPerson({ login: 'OctoCat', email: 'cat@example.org', name: 'O' }, none, loginIds);
    assert.equal(before, 'github:123');
    assert.equal(after, 'github:123');
    assert.equal(
      loginPerson('octocat', new Map(), 123),
      'github:123',
      "a pull request's author id comes first",
    );
    assert.equal(loginPerson('someone', loginIds), 'login:someone');
    assert.equal(loginPerson(null, loginIds), null);
  });

  test('ties an e-mail to the login seen with it elsewhere, whatever the case of either', () => {
    const emailLogins = new Map([['ada@example.com', 'AdaL']]);
    assert.equal(
      commitPerson({ login: null, email: ' Ada@Example.COM ', name: 'Ada' }, emailLogins),
      'login:adal',
    );
    // The commit's own login comes first.
    assert.equal(commitPerson({ login: 'Ada', email: 'x@y.org', name: 'Ada' }, emailLogins), 'login:ada');
  });

  test('falls back to the case-folded e-mail, then to the name', () => {
    const none = new Map<string, string>();
    assert.equal(
      commitPerson({ login: null, email: 'Bob@Example.COM', name: 'Bob' }, none),
      'email:bob@example.com',
    );
    assert.equal(commitPerson({ login: null, email: null, name: ' Bob Smith ' }, none), 'name:bob smith');
  });

  test('counts public mail domains and noreply addresses as independents', () => {
    assert.equal(emailOrganisation('ada@Example.com'), 'example.com');
    assert.equal(emailOrganisation('ada@gmail.com'), null);
    assert.equal(emailOrganisation('1+ada@users.noreply.github.com'), null);
    assert.equal(emailOrganisation(null), null);
  });

  test('a commit counts for its GitHub company first, then its e-mail domain', () => {
    const companies = new Map([['github:1', 'acme']]);
    assert.equal(commitOrganisation('github:1', 'example.com', companies), 'acme');
    assert.equal(commitOrganisation('github:2', 'example.com', companies), 'example.com');
    assert.equal(commitOrganisation('github:2', null, companies), null);
  });

  test('names the GitHub ids and logins to look profiles up by, and no id too long to be one', () => {
    assert.deepEqual(
      githubKeysOf([
        'github:1',
        'login:ada',
        'email:bob@example.com',
        'github:1',
        'github:99999999999999999999',
      ]),
      { ids: ['1'], logins: ['ada'] },
    );
  });

  test('recognises a bot by its noreply address', () => {
    const bot = {
      login: null,
      email: '49699333+dependabot[bot]@users.noreply.github.com',
      name: 'dependabot[bot]',
      markedBot: false,
    };
    assert.equal(commitAuthorIsBot(bot), true);
    assert.equal(commitPerson(bot, new Map()), 'github:49699333');
  });
});

describe('contributors_90d and contributors_365d', () => {
  test('count distinct persons, leaving out bots and merge commits', () => {
    const builder = factsBuilder();
    commitsBy(builder, 3, { person: 'login:ada' });
    commitsBy(builder, 1, { person: 'login:bob' });
    commitsBy(builder, 2, { person: 'login:dependabot[bot]', isBot: true });
    commitsBy(builder, 1, { person: 'login:carol' }, 10, true); // only a merge
    commitsBy(builder, 1, { person: 'login:dave' }, 200); // outside 90 days, inside 365
    const facts = builder.build();
    // 90 days: ada, bob = 2 (not the bot, not carol's merge, not dave 200 days ago).
    assert.deepEqual(compute(contributors90d, facts), { value: 2 });
    // 365 days: ada, bob, dave = 3.
    assert.deepEqual(compute(contributors365d, facts), { value: 3 });
  });

  test('count one person once when their commits carry several e-mails', () => {
    // The loader resolves each author with commitPerson: webhook commits tied ada@work.example to `ada`,
    // and the noreply address ties `ada` to the GitHub user 42.
    const emailLogins = new Map([['ada@work.example', 'ada']]);
    const loginIds = new Map([['ada', '42']]);
    const builder = factsBuilder();
    for (const email of ['ada@work.example', 'ADA@Work.Example', '42+Ada@users.noreply.github.com'])
      builder.commit({
        authoredAt: ago(5),
        person: commitPerson({ login: null, email, name: 'Ada' }, emailLogins, loginIds),
      });
    // Three e-mails, one person: github:42.
    assert.deepEqual(compute(contributors90d, builder.build()), { value: 1 });
  });

  test('take the window as [now − 90 days, now) in UTC', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: ago(90), person: 'login:at-start' }) // 2024-04-02T00:00Z: in
      .commit({ authoredAt: ago(90) - 1, person: 'login:just-before' }) // 1 ms earlier: out
      .commit({ authoredAt: '2024-04-02T01:00:00+02:00', person: 'login:offset' }) // = 04-01T23:00Z: out
      .commit({ authoredAt: '2024-06-30T23:59:59-00:00', person: 'login:last-second' }) // in
      .commit({ authoredAt: now, person: 'login:at-now' }) // out: the window ends before now
      .build();
    // at-start and last-second: 2.
    assert.deepEqual(compute(contributors90d, facts), { value: 2 });
  });

  test('are 0, a true count, for a repository with no commits', () => {
    assert.deepEqual(compute(contributors90d, factsBuilder().build()), { value: 0 });
  });
});

describe('new_contributors_90d', () => {
  test('counts persons whose first-ever commit is in the window, not their first in the window', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: '2023-01-10T00:00:00Z', person: 'login:ada' }) // ada's first: long ago
      .commit({ authoredAt: ago(20), person: 'login:ada' }) // not new
      .commit({ authoredAt: ago(30), person: 'login:bob' }) // bob's first: new
      .commit({ authoredAt: ago(10), person: 'login:bob' }) // counted once
      .commit({ authoredAt: ago(100), person: 'login:carol', isMerge: true }) // a merge is no first commit
      .commit({ authoredAt: ago(15), person: 'login:carol' }) // carol's first non-merge: new
      .commit({ authoredAt: ago(5), person: 'login:renovate[bot]', isBot: true }) // a bot: not counted
      .commit({ authoredAt: ago(90), person: 'login:erin' }) // exactly at the window's start: new
      .commit({ authoredAt: now + days(1), person: 'login:frank' }) // after now: not yet
      .build();
    // bob, carol, erin = 3.
    assert.deepEqual(compute(newContributors90d, facts), { value: 3 });
  });
});

describe('contributor_retention_90d', () => {
  test('is the share of the earlier window’s persons who committed again in the last 90 days', () => {
    const facts = factsBuilder()
      // Earlier window [2024-01-03, 2024-04-02):
      .commit({ authoredAt: ago(100), person: 'login:ada' })
      .commit({ authoredAt: ago(180), person: 'login:bob' }) // exactly at its start: in
      .commit({ authoredAt: ago(91), person: 'login:carol' })
      .commit({ authoredAt: ago(120), person: 'login:dependabot[bot]', isBot: true }) // a bot: out
      .commit({ authoredAt: ago(180) - 1, person: 'login:eve' }) // 1 ms before it: out
      // Last 90 days:
      .commit({ authoredAt: ago(10), person: 'login:ada' })
      .commit({ authoredAt: ago(90), person: 'login:carol' }) // exactly 90 days ago: the recent window
      .commit({ authoredAt: ago(5), person: 'login:dave' })
      .commit({ authoredAt: ago(5), person: 'login:dependabot[bot]', isBot: true })
      .build();
    // Earlier: ada, bob, carol (3). Of them ada and carol committed again: 2 / 3.
    assert.deepEqual(compute(contributorRetention90d, facts), { value: 2 / 3 });
  });

  test('is unknown for a repository younger than 180 days, and known from exactly 180', () => {
    const commits = (builder: FactsBuilder) =>
      builder.commit({ authoredAt: ago(100), person: 'login:ada' }).commit({ authoredAt: ago(1) });
    assert.deepEqual(
      compute(contributorRetention90d, commits(factsBuilder().repository({ createdAt: ago(179) })).build()),
      { value: null, reason: 'younger_than_window' },
    );
    assert.deepEqual(
      compute(contributorRetention90d, commits(factsBuilder().repository({ createdAt: ago(180) })).build()),
      { value: 1 },
    );
  });

  test('is unknown when nobody committed in the earlier window, or the creation date is unknown', () => {
    const recentOnly = factsBuilder().commit({ authoredAt: ago(3) });
    assert.deepEqual(compute(contributorRetention90d, recentOnly.build()), {
      value: null,
      reason: 'empty_window',
    });
    assert.deepEqual(compute(contributorRetention90d, recentOnly.repository({ createdAt: null }).build()), {
      value: null,
      reason: 'unknown_creation_date',
    });
  });
});

describe('bus_factor_365d', () => {
  test('stops at exactly half of the commits: ≥ 50 %, not >', () => {
    const builder = factsBuilder();
    commitsBy(builder, 5, { person: 'login:ada', personName: 'Ada' });
    commitsBy(builder, 3, { person: 'login:bob', personName: 'Bob' });
    commitsBy(builder, 2, { person: 'login:carol', personName: 'Carol' });
    // Total 10; ada alone holds 5, and 5 ≥ 10 / 2: a bus factor of 1 (with "> 50 %" it would be 2).
    assert.deepEqual(compute(busFactor365d, builder.build()), { value: 1 });
  });

  test('adds persons, most commits first, until they hold half', () => {
    const builder = factsBuilder();
    commitsBy(builder, 4, { person: 'login:ada' });
    commitsBy(builder, 3, { person: 'login:bob' });
    commitsBy(builder, 2, { person: 'login:carol' });
    commitsBy(builder, 1, { person: 'login:dave' });
    // Total 10: ada 4 < 5, ada + bob 7 ≥ 5: 2.
    assert.deepEqual(compute(busFactor365d, builder.build()), { value: 2 });
  });

  test('counts neither bots nor merge commits', () => {
    const builder = factsBuilder();
    commitsBy(builder, 2, { person: 'login:ada' });
    commitsBy(builder, 5, { person: 'login:ada' }, 30, true); // merges
    commitsBy(builder, 2, { person: 'login:bob' });
    commitsBy(builder, 2, { person: 'login:carol' });
    commitsBy(builder, 10, { person: 'login:dependabot[bot]', isBot: true });
    // Human non-merge commits: 2 + 2 + 2 = 6; one person holds 2 < 3, two hold 4 ≥ 3: 2.
    // (Counting the bot, it alone would hold 10 of 16: 1; counting ada's merges, she would hold 7 of 11: 1.)
    assert.deepEqual(compute(busFactor365d, builder.build()), { value: 2 });
  });

  test('counts a person’s commits under several e-mails together', () => {
    const emailLogins = new Map([['ada@work.example', 'ada']]);
    const loginIds = new Map([['ada', '7']]); // from the noreply address, as the loader reads it
    const ada = (email: string) => commitPerson({ login: null, email, name: 'Ada' }, emailLogins, loginIds);
    const builder = factsBuilder();
    commitsBy(builder, 4, { person: ada('ada@work.example') });
    commitsBy(builder, 4, { person: ada('7+ada@users.noreply.github.com') });
    commitsBy(builder, 5, { person: 'login:bob' });
    commitsBy(builder, 3, { person: 'login:carol' });
    // ada holds 4 + 4 = 8 of 16 ≥ 8: 1. (As two persons: bob 5, then 4 → 9 ≥ 8: 2.)
    assert.deepEqual(compute(busFactor365d, builder.build()), { value: 1 });
  });

  test('orders persons with equal counts by name, then by person key', () => {
    const builder = factsBuilder();
    commitsBy(builder, 3, { person: 'login:top', personName: 'Zoe' });
    commitsBy(builder, 2, { person: 'login:carl2', personName: 'Carl' });
    commitsBy(builder, 2, { person: 'login:amy', personName: 'Bert' });
    commitsBy(builder, 2, { person: 'email:anna@example.com', personName: 'anna' });
    commitsBy(builder, 2, { person: 'login:carl1', personName: 'Carl' });
    commitsBy(builder, 2, { person: 'login:zed', personName: 'Anna' });
    const ranked = personsByCommits(builder.build(), now, 365).map(({ key, commits }) => `${key}:${commits}`);
    // Most commits first; then "Anna" and "anna" (equal case-folded, "A" before "a" as written), "Bert",
    // and the two "Carl"s by person key.
    assert.deepEqual(ranked, [
      'login:top:3',
      'login:zed:2',
      'email:anna@example.com:2',
      'login:amy:2',
      'login:carl1:2',
      'login:carl2:2',
    ]);
  });

  test('is unknown when no human committed in 365 days', () => {
    const builder = factsBuilder();
    commitsBy(builder, 3, { person: 'login:ada' }, 400);
    commitsBy(builder, 3, { person: 'login:renovate[bot]', isBot: true });
    assert.deepEqual(compute(busFactor365d, builder.build()), { value: null, reason: 'empty_window' });
  });
});

describe('elephant_factor_365d', () => {
  test('leaves independents out of the ranking and of the total', () => {
    const builder = factsBuilder();
    commitsBy(builder, 2, { person: 'login:ada', emailOrganisation: 'example.com' });
    commitsBy(builder, 2, { person: 'login:bob', emailOrganisation: 'example.com' });
    commitsBy(builder, 3, { person: 'login:carol', emailOrganisation: 'acme.io' });
    commitsBy(builder, 1, { person: 'login:dave', emailOrganisation: 'widgets.org' });
    commitsBy(builder, 20, { person: 'login:erin', emailOrganisation: null });
    // Affiliated commits: 4 + 3 + 1 = 8; example.com holds 4 ≥ 8 / 2: 1.
    // (With the 20 independent commits in the total, 28, no set of organisations would reach half.)
    assert.deepEqual(compute(elephantFactor365d, builder.build()), { value: 1 });
  });

  test('ranks organisations with equal counts by name and leaves bots out', () => {
    const builder = factsBuilder();
    commitsBy(builder, 3, { person: 'login:ada', emailOrganisation: 'example.com' });
    commitsBy(builder, 3, { person: 'login:carol', emailOrganisation: 'acme.io' });
    commitsBy(builder, 2, { person: 'login:dave', emailOrganisation: 'widgets.org' });
    commitsBy(builder, 10, { person: 'login:acme-bot[bot]', emailOrganisation: 'acme.io', isBot: true });
    const facts = builder.build();
    // 8 human commits: acme.io 3 (tie with example.com, by name first) < 4, + example.com 6 ≥ 4: 2.
    // (With the bot's commits acme.io would hold 13 of 18: 1.)
    assert.deepEqual(compute(elephantFactor365d, facts), { value: 2 });
    assert.deepEqual(
      organisationsByCommits(facts, now, 365).map(({ key }) => key),
      ['acme.io', 'example.com', 'widgets.org'],
    );
  });

  test('counts a person for their GitHub company where known, else their e-mail domain, else as independent', () => {
    const builder = factsBuilder()
      .githubCompany('github:1', '@Acme Inc.')
      .githubCompany('github:2', 'acme')
      .githubCompany('github:5', 'Globex Corporation')
      .githubCompany('github:6', 'Freelance')
      .githubCompany('login:grace', 'Umbrella, Ltd.');
    // Ada and Bob write from different domains but name one company two ways: both are "acme".
    commitsBy(builder, 3, { person: 'github:1', personName: 'Ada', emailOrganisation: 'acme.com' });
    commitsBy(builder, 3, { person: 'github:2', personName: 'Bob', emailOrganisation: 'acme-labs.io' });
    // No GitHub company: the e-mail domain.
    commitsBy(builder, 5, { person: 'email:carol@initech.com', emailOrganisation: 'initech.com' });
    // A company from a noreply address, which alone would make Erin an independent: "globex".
    commitsBy(builder, 2, { person: 'github:5', emailOrganisation: null });
    // "Freelance" names no employer: Frank falls back to his domain.
    commitsBy(builder, 2, { person: 'github:6', emailOrganisation: 'frank.dev' });
    // Known by login only (a webhook commit), from gmail.com, with a company: "umbrella".
    commitsBy(builder, 2, { person: 'login:grace', emailOrganisation: null });
    // gmail.com and no company: an independent, out of the ranking and the total.
    commitsBy(builder, 10, { person: 'login:dave', emailOrganisation: null });
    const facts = builder.build();
    // Affiliated commits: acme 6, initech.com 5, frank.dev 2, globex 2, umbrella 2 = 17, half 8.5.
    // acme 6 < 8.5; + initech.com 5 = 11 ≥ 8.5: 2.
    // (Were "@Acme Inc." and "acme" two organisations: initech.com 5, then acme 3 → 8 < 8.5, then 3 → 11: 3.)
    assert.deepEqual(compute(elephantFactor365d, facts), { value: 2 });
    assert.deepEqual(
      organisationsByCommits(facts, now, 365).map(({ key, commits }) => [key, commits]),
      [
        ['acme', 6],
        ['initech.com', 5],
        // Ties by name.
        ['frank.dev', 2],
        ['globex', 2],
        ['umbrella', 2],
      ],
    );
  });

  test("a person's GitHub company holds all their commits, whatever address each came from", () => {
    const builder = factsBuilder().githubCompany('github:1', 'Acme, Inc.');
    commitsBy(builder, 2, { person: 'github:1', emailOrganisation: 'acme.com' });
    commitsBy(builder, 2, { person: 'github:1', emailOrganisation: 'ada.dev' }, 20);
    commitsBy(builder, 3, { person: 'email:bob@ada.dev', emailOrganisation: 'ada.dev' });
    const facts = builder.build();
    // acme 4, ada.dev 3 (Bob alone: Ada's commits from ada.dev are acme's): 7, half 3.5; acme 4 ≥ 3.5: 1.
    assert.deepEqual(
      organisationsByCommits(facts, now, 365).map(({ key, commits }) => [key, commits]),
      [
        ['acme', 4],
        ['ada.dev', 3],
      ],
    );
    assert.deepEqual(compute(elephantFactor365d, facts), { value: 1 });
  });

  test('is unknown when every commit of the window is by independents', () => {
    const builder = factsBuilder();
    commitsBy(builder, 4, { person: 'login:ada', emailOrganisation: null });
    assert.deepEqual(compute(elephantFactor365d, builder.build()), { value: null, reason: 'empty_window' });
  });
});

describe('code_review_ratio_90d', () => {
  test('is the share of merged pull requests approved or merged by another, bots’ approved ones left out', () => {
    const facts = factsBuilder()
      .pullRequest({ mergedAt: ago(10), approved: true, mergedBy: 'login:ada' }) // #1 reviewed
      .pullRequest({ mergedAt: ago(10), mergedBy: 'login:bob' }) // #2 merged by another: reviewed
      .pullRequest({ mergedAt: ago(10), mergedBy: 'login:ada' }) // #3 self-merged: not reviewed
      .pullRequest({ mergedAt: ago(10), author: 'login:dependabot[bot]', authorIsBot: true, approved: true }) // #4 out
      .pullRequest({
        mergedAt: ago(10),
        author: 'login:dependabot[bot]',
        authorIsBot: true,
        mergedBy: 'login:dependabot[bot]',
      }) // #5 a bot's unreviewed: counted, not reviewed
      .pullRequest({
        mergedAt: ago(10),
        author: 'login:renovate[bot]',
        authorIsBot: true,
        mergedBy: 'login:ada',
      }) // #6 a bot's, merged by ada: reviewed, so left out
      .pullRequest({ mergedAt: now, approved: true }) // #7 merged at now: after the window
      .pullRequest({ mergedAt: ago(91), mergedBy: 'login:ada' }) // #8 before the window
      .pullRequest({ createdAt: ago(10) }) // #9 open
      .pullRequest({ createdAt: ago(20), closedAt: ago(10) }) // #10 closed unmerged
      .build();
    // Counted: #1, #2, #3, #5 = 4; reviewed: #1, #2 = 2 → 0.5.
    assert.deepEqual(compute(codeReviewRatio90d, facts), { value: 0.5 });
  });

  test('is unknown with no pull request merged in the window, or without GitHub', () => {
    const facts = factsBuilder().pullRequest({ mergedAt: ago(100), approved: true });
    assert.deepEqual(compute(codeReviewRatio90d, facts.build()), { value: null, reason: 'empty_window' });
    assert.deepEqual(compute(codeReviewRatio90d, facts.repository({ onGithub: false }).build()), {
      value: null,
      reason: 'no_github_data',
    });
  });
});

describe('active_contributors_90d', () => {
  test('counts each human who committed, opened a pull request or issue, or merged, once', () => {
    const facts = factsBuilder()
      .commit({ authoredAt: ago(5), person: 'login:ada' })
      .commit({ authoredAt: ago(5), person: 'login:dependabot[bot]', isBot: true })
      .commit({ authoredAt: ago(5), person: 'login:mergy', isMerge: true }) // a merge commit: not counted
      .pullRequest({ createdAt: ago(20), author: 'login:bob' })
      .pullRequest({ createdAt: ago(20), author: 'login:renovate[bot]', authorIsBot: true })
      .pullRequest({ createdAt: ago(20), author: null }) // a deleted account
      .pullRequest({ createdAt: ago(120), author: 'login:carol', mergedAt: ago(3), mergedBy: 'login:dave' })
      .pullRequest({
        createdAt: ago(120),
        author: 'login:carol',
        mergedAt: ago(3),
        mergedBy: 'login:web-flow',
      })
      .issue({ createdAt: ago(30), author: 'login:erin' })
      .issue({ createdAt: ago(30), author: 'login:ada' }) // ada again
      .issue({ createdAt: now, author: 'login:frank' }) // at now: outside
      .build();
    // ada (commit, issue), bob (pull request), dave (merged carol's), erin (issue) = 4.
    // Not: the bots, mergy's merge commit, carol (opened before the window), frank (at now).
    assert.deepEqual(compute(activeContributors90d, facts), { value: 4 });
  });
});

describe('scorecard_maintained', () => {
  /** `count` commits committed in the last 90 days (by a bot and as merges too: Scorecard counts all). */
  function recentCommits(builder: FactsBuilder, count: number): FactsBuilder {
    for (let index = 0; index < count; index++)
      builder.commit({ authoredAt: ago(5), isBot: index % 3 === 1, isMerge: index % 3 === 2 });
    return builder;
  }

  test('is ⌊10·(C + I) / 12⌋ from recent commits and issue activity by collaborators or above', () => {
    const builder = recentCommits(factsBuilder(), 5)
      .commit({ authoredAt: ago(100), committedAt: ago(10) }) // rebased: committed in the window
      .commit({ authoredAt: ago(95), committedAt: ago(95) }) // committed before the window
      .issue({ createdAt: ago(10), authorAssociation: 'OWNER' }) // opened by an owner: counts
      .issue({ createdAt: ago(10), authorAssociation: 'NONE', firstResponseAt: ago(5) }) // answered: counts
      .issue({
        createdAt: ago(200),
        authorAssociation: 'MEMBER',
        firstResponseAt: ago(150),
        updatedAt: ago(20),
      })
      .issue({ createdAt: ago(100), authorAssociation: 'COLLABORATOR' }) // opened before the window
      .issue({ createdAt: ago(10), authorAssociation: 'CONTRIBUTOR' }); // below collaborator
    // C = 5 + 1 = 6, I = 2: ⌊10 · 8 / 12⌋ = ⌊6.67⌋ = 6.
    assert.deepEqual(compute(scorecardMaintained, builder.build()), { value: 6 });
  });

  test('is capped at 10', () => {
    // C = 12: ⌊120 / 12⌋ = 10; C = 40 would be ⌊400 / 12⌋ = 33 without the cap (30 commits read: 25).
    assert.deepEqual(compute(scorecardMaintained, recentCommits(factsBuilder(), 12).build()), { value: 10 });
    assert.deepEqual(compute(scorecardMaintained, recentCommits(factsBuilder(), 40).build()), { value: 10 });
  });

  test('reads only the 30 most recently updated issues', () => {
    const withNoise = (noise: number) => {
      const builder = recentCommits(factsBuilder(), 11).issue({
        createdAt: ago(50),
        updatedAt: ago(50),
        authorAssociation: 'OWNER',
      });
      for (let index = 0; index < noise; index++)
        builder.issue({ createdAt: ago(200), updatedAt: ago(1), authorAssociation: 'NONE' });
      return builder.build();
    };
    // 29 newer issues: the owner's is the 30th, I = 1: ⌊10 · 12 / 12⌋ = 10.
    assert.deepEqual(compute(scorecardMaintained, withNoise(29)), { value: 10 });
    // 30 newer issues push it out, I = 0: ⌊10 · 11 / 12⌋ = 9.
    assert.deepEqual(compute(scorecardMaintained, withNoise(30)), { value: 9 });
  });

  test('at a past time, orders issues by their updates up to then', () => {
    const past = ago(60);
    const builder = factsBuilder();
    for (let index = 0; index < 11; index++) builder.commit({ authoredAt: past - days(5) });
    builder.issue({ createdAt: past - days(50), updatedAt: past - days(50), authorAssociation: 'OWNER' });
    // 30 issues whose only known update came after `past`: then, they were last updated when opened.
    for (let index = 0; index < 30; index++)
      builder.issue({ createdAt: past - days(200), updatedAt: ago(1), authorAssociation: 'NONE' });
    // At `past`: the owner's issue (50 days before) is newer than the 30 (200 days before): C 11 + I 1 → 10.
    assert.deepEqual(compute(scorecardMaintained, builder.build(), past), { value: 10 });
  });

  test('is 0 for an archived repository or one created less than 90 days ago', () => {
    const active = () => recentCommits(factsBuilder(), 12);
    assert.deepEqual(compute(scorecardMaintained, active().repository({ archived: true }).build()), {
      value: 0,
    });
    assert.deepEqual(
      compute(
        scorecardMaintained,
        active()
          .repository({ createdAt: ago(89) })
          .build(),
      ),
      {
        value: 0,
      },
    );
    assert.deepEqual(
      compute(
        scorecardMaintained,
        active()
          .repository({ createdAt: ago(90) })
          .build(),
      ),
      {
        value: 10,
      },
    );
  });

  test('is unknown without GitHub or a creation date', () => {
    assert.deepEqual(compute(scorecardMaintained, factsBuilder().repository({ onGithub: false }).build()), {
      value: null,
      reason: 'no_github_data',
    });
    assert.deepEqual(compute(scorecardMaintained, factsBuilder().repository({ createdAt: null }).build()), {
      value: null,
      reason: 'unknown_creation_date',
    });
  });
});

test('communityMetrics lists the community metrics in docs/METRICS.md order', () => {
  assert.deepEqual(
    communityMetrics.map(({ name }) => name),
    [
      'contributors_90d',
      'contributors_365d',
      'new_contributors_90d',
      'contributor_retention_90d',
      'bus_factor_365d',
      'elephant_factor_365d',
      'code_review_ratio_90d',
      'active_contributors_90d',
      'scorecard_maintained',
    ],
  );
});
