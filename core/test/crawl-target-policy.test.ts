import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addressRange,
  classifyGitTarget,
  crawlHostProblem,
  createCrawlTargetPolicy,
  type CrawlTargetCaller,
} from '../src/index.js';
import { fixedHostResolver } from '../src/testing/index.js';

const resolveHost = fixedHostResolver({
  'github.com': ['140.82.121.4'],
  'gitlab.com': ['172.65.251.78', '2606:4700:90:0:f22e:fbec:5bed:a9b9'],
  'codeberg.org': ['217.197.84.140'],
  'rebinds.example.org': ['93.184.215.14', '10.0.0.7'],
  'internal.example.org': ['192.168.4.20'],
  'mapped.example.org': ['::ffff:127.0.0.1'],
  'git.example.org': ['93.184.215.14'],
  localhost: ['127.0.0.1', '::1'],
});
const allowedHosts = async () => new Set(['github.com', 'gitlab.com', 'codeberg.org', 'rebinds.example.org']);

function policy(allowLocal = false) {
  return createCrawlTargetPolicy({ allowLocal, resolveHost, allowedHosts });
}

async function reasonFor(target: string, caller: CrawlTargetCaller, allowLocal = false): Promise<string> {
  const decision = await policy(allowLocal).check(target, caller);
  assert.equal(decision.allowed, false, `${target} should be refused for ${caller}`);
  return decision.allowed ? '' : decision.reason;
}

async function allows(target: string, caller: CrawlTargetCaller, allowLocal = false): Promise<boolean> {
  return (await policy(allowLocal).check(target, caller)).allowed;
}

describe('git targets are read as git reads them', () => {
  test('each transport is recognised, with its host and port', () => {
    const cases: Array<[string, string, string | undefined, number | undefined]> = [
      ['https://github.com/acme/widget.git', 'https', 'github.com', 443],
      ['HTTPS://GitHub.COM/acme/widget', 'https', 'github.com', 443],
      ['http://git.example.org:8080/a/b', 'http', 'git.example.org', 8080],
      ['ssh://git@github.com/acme/widget.git', 'ssh', 'github.com', 22],
      ['git+ssh://github.com/acme/widget.git', 'ssh', 'github.com', 22],
      ['git@github.com:acme/widget.git', 'ssh', 'github.com', 22],
      ['git://git.kernel.org/pub/scm/git/git.git', 'git', 'git.kernel.org', 9418],
      ['file:///srv/git/acme/widget.git', 'file', undefined, undefined],
      ['FILE:///srv/git/acme/widget.git', 'file', undefined, undefined],
      ['/srv/git/acme/widget.git', 'file', undefined, undefined],
      ['./acme/widget', 'file', undefined, undefined],
      ['ext::sh -c touch% /tmp/pwned', 'helper', undefined, undefined],
      ['fd::17', 'helper', undefined, undefined],
      ['ftp://example.org/a/b.git', 'unknown', undefined, undefined],
    ];
    for (const [text, transport, host, port] of cases) {
      const target = classifyGitTarget(text);
      assert.equal(target?.transport, transport, text);
      assert.equal(target?.host, host, text);
      assert.equal(target?.port, port, text);
    }
  });

  test('every spelling of an address reads as that address', () => {
    const spellings: Array<[string, string]> = [
      ['https://0x7f.1/a/b', '127.0.0.1'],
      ['https://127.1/a/b', '127.0.0.1'],
      ['https://2130706433/a/b', '127.0.0.1'],
      ['https://0177.0.0.1/a/b', '127.0.0.1'],
      ['https://[::ffff:127.0.0.1]/a/b', '::ffff:7f00:1'],
      ['https://[0:0:0:0:0:0:0:1]/a/b', '::1'],
      ['ssh://0x7f.1/a/b', '127.0.0.1'],
      ['git@2130706433:a/b', '127.0.0.1'],
      ['git@[::1]:a/b', '::1'],
      ['https://localhost./a/b', 'localhost'],
    ];
    for (const [text, host] of spellings) assert.equal(classifyGitTarget(text)?.host, host, text);
  });

  test('the URL handed to git is the one checked: the host canonical, credentials kept', () => {
    assert.equal(
      classifyGitTarget('HTTPS://GitHub.com./acme/widget.git')?.gitUrl,
      'https://github.com/acme/widget.git',
    );
    assert.equal(classifyGitTarget('https://0x7f.1/a/b')?.gitUrl, 'https://127.0.0.1/a/b');
    assert.equal(classifyGitTarget('https://github.com@127.0.0.1/a/b')?.host, '127.0.0.1');
    assert.equal(classifyGitTarget('https://github.com@127.0.0.1/a/b')?.hasCredentials, true);
  });

  test('IPv4-mapped IPv6 addresses are the IPv4 address they map, and only unicast is public', () => {
    assert.equal(addressRange('::ffff:127.0.0.1'), 'loopback');
    assert.equal(addressRange('::ffff:10.1.2.3'), 'private');
    assert.equal(addressRange('140.82.121.4'), 'unicast');
    assert.equal(addressRange('2606:4700:90:0:f22e:fbec:5bed:a9b9'), 'unicast');
    for (const [address, range] of [
      ['127.0.0.1', 'loopback'],
      ['::1', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['fe80::1', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['fd00::1', 'uniqueLocal'],
      ['224.0.0.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['64:ff9b::a00:1', 'rfc6052'],
    ]) {
      assert.equal(addressRange(address!), range, address);
    }
  });
});

describe("suppliers' crawl targets", () => {
  test('an https URL of an allowed host that resolves to public addresses is allowed', async () => {
    assert.ok(await allows('https://github.com/acme/widget.git', 'supplier'));
    assert.ok(await allows('https://gitlab.com/group/sub/project.git', 'supplier'));
    assert.ok(await allows('HTTPS://Codeberg.org/forgejo/forgejo', 'supplier'));
  });

  test('any other transport is refused, naming it', async () => {
    assert.match(await reasonFor('http://github.com/acme/widget.git', 'supplier'), /uses http: .*https/);
    assert.match(await reasonFor('ssh://git@github.com/acme/widget.git', 'supplier'), /uses ssh/);
    assert.match(await reasonFor('git@github.com:acme/widget.git', 'supplier'), /uses ssh/);
    assert.match(await reasonFor('git://github.com/acme/widget.git', 'supplier'), /uses git/);
    assert.match(await reasonFor('file:///etc/acme/widget', 'supplier'), /uses file/);
    assert.match(await reasonFor('/srv/git/acme/widget.git', 'supplier'), /uses file/);
    assert.match(await reasonFor('ext::sh -c touch% /tmp/pwned', 'supplier'), /remote-helper/);
    assert.match(await reasonFor('ftp://github.com/acme/widget.git', 'supplier'), /transport/);
  });

  test('a host not on the allowlist is refused, however public', async () => {
    assert.match(
      await reasonFor('https://git.example.org/a/b.git', 'supplier'),
      /not on the crawl host allowlist/,
    );
  });

  test('addresses are refused in every spelling, and so are names of this machine', async () => {
    for (const target of [
      'https://127.0.0.1/a/b',
      'https://0x7f.1/a/b',
      'https://127.1/a/b',
      'https://2130706433/a/b',
      'https://[::ffff:127.0.0.1]/a/b',
      'https://[::1]/a/b',
      'https://140.82.121.4/a/b',
    ]) {
      assert.match(await reasonFor(target, 'supplier'), /names the address/, target);
    }
    assert.match(await reasonFor('https://localhost./a/b', 'supplier'), /names this machine/);
    assert.match(await reasonFor('https://repo.localhost/a/b', 'supplier'), /names this machine/);
  });

  test('credentials in the URL are refused, so user-info tricks name no other host', async () => {
    assert.match(await reasonFor('https://github.com@127.0.0.1/a/b', 'supplier'), /user name or password/);
    assert.match(await reasonFor('https://token@github.com/a/b', 'supplier'), /user name or password/);
  });

  test('another port, a query or a fragment is refused', async () => {
    assert.match(await reasonFor('https://github.com:8443/a/b', 'supplier'), /port 8443/);
    assert.match(await reasonFor('https://github.com/a/b?x=1', 'supplier'), /query/);
    assert.match(await reasonFor('https://github.com/a/b#x', 'supplier'), /fragment/);
  });

  test('an allowed host that resolves to any private address is refused, naming the address', async () => {
    assert.match(
      await reasonFor('https://rebinds.example.org/a/b', 'supplier'),
      /resolves to a private address \(10\.0\.0\.7\)/,
    );
  });

  test('GIT_ALLOW_LOCAL changes nothing for suppliers', async () => {
    assert.match(await reasonFor('/srv/git/acme/widget.git', 'supplier', true), /uses file/);
    assert.match(await reasonFor('https://rebinds.example.org/a/b', 'supplier', true), /private/);
  });

  test('a host that does not resolve is refused; a resolver that fails now is transient', async () => {
    const failing = createCrawlTargetPolicy({
      allowLocal: false,
      allowedHosts: async () => new Set(['github.com', 'gone.example.org']),
      resolveHost: async (host) => {
        throw Object.assign(new Error(host), { code: host === 'github.com' ? 'EAI_AGAIN' : 'ENOTFOUND' });
      },
    });
    const gone = await failing.check('https://gone.example.org/a/b', 'supplier');
    assert.deepEqual(gone, { allowed: false, reason: 'the host "gone.example.org" does not resolve' });
    const later = await failing.check('https://github.com/a/b', 'supplier');
    assert.equal(!later.allowed && later.transient, true);
  });
});

describe("admins' sources and configured clone URLs", () => {
  test('public targets of every standard transport are allowed', async () => {
    for (const target of [
      'https://git.example.org/a/b.git',
      'http://git.example.org/a/b.git',
      'ssh://git@git.example.org/a/b.git',
      'git@github.com:acme/widget.git',
      'git://git.example.org/a/b.git',
    ]) {
      assert.ok(await allows(target, 'admin-source'), target);
    }
  });

  test('local paths, file:// and private or loopback addresses need GIT_ALLOW_LOCAL=1', async () => {
    for (const target of [
      '/srv/git/acme/widget.git',
      'file:///srv/git/acme/widget.git',
      'https://127.0.0.1/a/b',
      'http://[::1]:3000/a/b',
      'https://internal.example.org/a/b',
      'https://mapped.example.org/a/b',
      'https://localhost/a/b',
      'git@10.1.2.3:a/b',
      'ssh://0x7f.1/a/b',
    ]) {
      assert.match(await reasonFor(target, 'admin-source'), /GIT_ALLOW_LOCAL=1/, target);
      assert.ok(await allows(target, 'admin-source', true), target);
    }
  });

  test('remote helpers and unknown transports are never allowed, GIT_ALLOW_LOCAL or not', async () => {
    for (const caller of ['admin-source', 'configuration'] as const) {
      assert.match(await reasonFor('ext::sh -c touch% /tmp/pwned', caller, true), /remote-helper/);
      assert.match(await reasonFor('EXT::sh -c id', caller, true), /remote-helper/);
      assert.match(await reasonFor('rsync://example.org/a/b', caller, true), /transport/);
    }
  });

  test('configured clone URLs may be private (an Enterprise Server) but local only with GIT_ALLOW_LOCAL=1', async () => {
    assert.ok(await allows('https://internal.example.org/a/b.git', 'configuration'));
    assert.match(await reasonFor('file:///srv/git/a/b', 'configuration'), /GIT_ALLOW_LOCAL=1/);
    assert.ok(await allows('file:///srv/git/a/b', 'configuration', true));
  });

  test('a test may count one loopback address as public, and only that one', async () => {
    const forTests = createCrawlTargetPolicy({
      allowLocal: false,
      resolveHost: fixedHostResolver({ 'forge.test': ['127.0.0.1'] }),
      publicAddressesForTests: ['127.0.0.1'],
    });
    assert.equal((await forTests.check('http://forge.test:4000/a/b', 'admin-source')).allowed, true);
    assert.equal((await forTests.check('http://127.0.0.2:4000/a/b', 'admin-source')).allowed, false);
  });
});

describe('the crawl host allowlist takes exact host names only', () => {
  test('host names pass; wildcards, addresses, URLs and local names are refused', () => {
    assert.equal(crawlHostProblem('git.example.org'), undefined);
    assert.equal(crawlHostProblem('GitLab.Example.ORG'), undefined);
    assert.match(crawlHostProblem('*.example.org')!, /wildcards/);
    assert.match(crawlHostProblem('10.0.0.1')!, /not an address/);
    assert.match(crawlHostProblem('2130706433')!, /not an address/);
    assert.match(crawlHostProblem('https://example.org')!, /host name only/);
    assert.match(crawlHostProblem('example.org:8443')!, /host name only/);
    assert.match(crawlHostProblem('localhost')!, /this machine/);
    assert.match(crawlHostProblem('intranet')!, /fully qualified/);
    assert.match(crawlHostProblem('-bad.example.org')!, /host name/);
    assert.match(crawlHostProblem('a..b')!, /fully qualified|host name/);
  });
});
