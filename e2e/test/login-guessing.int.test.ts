import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser } from '@repopulse/core';
import { waitFor } from '@repopulse/core/testing';
import {
  adminApi,
  replicaAdminPassword,
  requestToken,
  startProxyReplicas,
  tokenFor,
  type ProxyReplicas,
} from './support/proxy-replicas.js';

/** A short window stands in for the minute of production, so the test takes seconds. */
const guessWindowSeconds = 8;
const guessesPerAccount = 10;
const guessesPerAddress = 20;

function randomAddress(): string {
  const octet = () => 1 + Math.floor(Math.random() * 250);
  return `10.${octet()}.${octet()}.${octet()}`;
}

interface Tally {
  /** 401: the password was checked and found wrong. */
  evaluated: number;
  /** 429: refused before anything was checked. */
  refused: number;
  other: number[];
  firstRefusal?: Response;
}

async function tallied(answers: Promise<Response>[]): Promise<Tally> {
  const tally: Tally = { evaluated: 0, refused: 0, other: [] };
  for (const response of await Promise.all(answers)) {
    if (response.status === 401) tally.evaluated++;
    else if (response.status === 429) {
      tally.refused++;
      tally.firstRefusal ??= response;
    } else tally.other.push(response.status);
    if (tally.firstRefusal !== response) await response.arrayBuffer();
  }
  return tally;
}

describe('password guessing through two permission-proxy replicas (each its own process)', () => {
  let platform: ProxyReplicas;
  let bases: string[];
  let adminToken: string;

  before(async () => {
    platform = await startProxyReplicas({
      // The attacker sits behind a proxy we trust (or owns many addresses): every guess has its own.
      TRUSTED_PROXIES: 'loopback',
      LOGIN_GUESS_WINDOW_SECONDS: String(guessWindowSeconds),
      LOGIN_GUESS_LIMIT_PER_ACCOUNT: String(guessesPerAccount),
      LOGIN_GUESS_LIMIT_PER_ADDRESS: String(guessesPerAddress),
    });
    bases = platform.replicas.map((replica) => replica.url);
    adminToken = await tokenFor(bases[0]!, 'admin', replicaAdminPassword);
  });

  after(async () => {
    await platform?.stop();
  });

  test('guesses at one account from ever-new addresses on both replicas are evaluated at most ten times a window, then 429 with Retry-After', async () => {
    const attackMs = guessWindowSeconds * 1000 * 0.9;
    const started = Date.now();
    let sent = 0;
    const worker = async (lane: number): Promise<Tally> => {
      const answers: Promise<Response>[] = [];
      while (Date.now() - started < attackMs) {
        const response = requestToken(bases[(lane + sent++) % 2]!, 'admin', `guess-${sent}`, {
          'x-forwarded-for': randomAddress(),
        });
        answers.push(response);
        await response;
      }
      return tallied(answers);
    };
    const tallies = await Promise.all(Array.from({ length: 8 }, (_, lane) => worker(lane)));
    const evaluated = tallies.reduce((sum, tally) => sum + tally.evaluated, 0);
    const refused = tallies.reduce((sum, tally) => sum + tally.refused, 0);
    console.log(
      `guesses at admin in ${attackMs} ms from rotating addresses: ${evaluated} evaluated, ${refused} refused`,
    );
    assert.deepEqual(
      tallies.flatMap((tally) => tally.other),
      [],
    );
    assert.ok(evaluated <= guessesPerAccount, `${evaluated} guesses were evaluated`);
    assert.ok(refused > 0);

    const refusal = tallies.find((tally) => tally.firstRefusal)!.firstRefusal!;
    assert.match(refusal.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const retryAfter = Number(refusal.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= guessWindowSeconds, `Retry-After ${retryAfter}`);
    const problem = (await refusal.json()) as { status: number; detail: string };
    assert.equal(problem.status, 429);

    // Past the bound the right password is not checked either: the guesser cannot tell a hit.
    const right = await requestToken(bases[1]!, 'admin', replicaAdminPassword, {
      'x-forwarded-for': randomAddress(),
    });
    assert.equal(right.status, 429);

    // Admins see it: an audit row and a notice on the user.
    const audit = await waitFor(
      async () => {
        const { body } = await adminApi<{ entries: Array<{ actorName: string; details: unknown }> }>(
          bases[0]!,
          adminToken,
          'GET',
          '/audit?action=login.throttled',
        );
        return body.entries.length > 0 && body.entries;
      },
      { timeoutMs: 5_000, what: 'the login.throttled audit row' },
    );
    assert.equal(audit[0]!.actorName, 'admin');
    const { body } = await adminApi<{
      users: Array<{ username: string; loginThrottle: { refusedAttempts: number; until: string } | null }>;
    }>(bases[1]!, adminToken, 'GET', '/users');
    const notice = body.users.find((user) => user.username === 'admin')!.loginThrottle;
    assert.ok(notice && notice.refusedAttempts > 0, JSON.stringify(notice));
    // The refusal lasts past the attack's start (not checked against now: a busy machine may reach this line
    // after the short test window has ended).
    assert.ok(new Date(notice.until).getTime() > started, notice.until);
  });

  test('an unknown username is counted and refused exactly like a known one', async () => {
    await createUser(platform.testDatabase.database, {
      username: 'kim',
      password: 'kim-password-1',
      roles: ['analyst'],
    });
    const burst = (username: string) =>
      tallied(
        Array.from({ length: guessesPerAccount + 3 }, (_, index) =>
          requestToken(bases[index % 2]!, username, `wrong-${index}`, { 'x-forwarded-for': randomAddress() }),
        ),
      );
    const [known, unknown] = await Promise.all([burst('kim'), burst('nobody-of-that-name')]);
    for (const tally of [known, unknown]) {
      assert.deepEqual(
        { evaluated: tally.evaluated, refused: tally.refused, other: tally.other },
        { evaluated: guessesPerAccount, refused: 3, other: [] },
      );
    }
    // The same answer, but for the seconds to wait (the two bursts did not start at the same instant).
    const [knownProblem, unknownProblem] = await Promise.all(
      [known, unknown].map(async (tally) => {
        const problem = (await tally.firstRefusal!.json()) as { detail: string };
        return { ...problem, detail: problem.detail.replace(/\d+ s$/, 'N s') };
      }),
    );
    assert.deepEqual(knownProblem, unknownProblem);
  });

  test('twenty different people logging in from one address within a minute all get in', async () => {
    const people = Array.from({ length: 20 }, (_, index) => ({
      username: `office-${index}`,
      password: `office-password-${index}`,
    }));
    for (const person of people)
      await createUser(platform.testDatabase.database, { ...person, roles: ['analyst'] });
    const answers = await Promise.all(
      people.map((person) => requestToken(bases[0]!, person.username, person.password)),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      people.map(() => 200),
    );
  });

  test('one address guessing at many accounts is still bounded, on both replicas together', async () => {
    const address = '198.51.100.77';
    const tally = await tallied(
      Array.from({ length: guessesPerAddress + 6 }, (_, index) =>
        requestToken(bases[index % 2]!, `sprayed-${index}`, 'Summer2024!', { 'x-forwarded-for': address }),
      ),
    );
    assert.deepEqual(
      { evaluated: tally.evaluated, refused: tally.refused, other: tally.other },
      { evaluated: guessesPerAddress, refused: 6, other: [] },
    );
  });
});
