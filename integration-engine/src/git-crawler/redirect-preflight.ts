import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { GitTarget } from '@repopulse/core';
import { CrawlTargetRefusedError } from './crawl-target-refused-error.js';

// What git asks first, and what a redirect must keep for git to follow it (git's http.c,
// update_url_from_redirect): the new base is the redirect's location without this tail.
const refsTail = '/info/refs?service=git-upload-pack';

/**
 * One pre-flight request of a smart-HTTP remote, as git's first request would be, connected to the
 * address the policy checked (not resolved again). Answers where a redirect points, as the new base URL
 * to check (credentials kept only on the same origin), or undefined when the remote answered anything
 * but a redirect: git will then get that same answer and report it in its own words.
 */
export async function followRedirects(
  target: GitTarget,
  address: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<string | undefined> {
  const base = new URL(target.gitUrl);
  const refs = new URL(`${base.href.replace(/\/+$/, '')}${refsTail}`);
  const { status, location } = await get(refs, address, options);
  if (status < 300 || status >= 400 || status === 304 || !location) return undefined;
  const next = new URL(location, refs);
  const nextText = `${next.origin}${next.pathname}${next.search}`;
  if (!nextText.endsWith(refsTail)) {
    // git itself refuses such a redirect ("unable to update url base from redirection").
    throw new CrawlTargetRefusedError(`redirected to ${next.host}${next.pathname}, which is no git remote`);
  }
  const nextBase = new URL(nextText.slice(0, -refsTail.length));
  if (nextBase.origin === base.origin && next.username === '' && next.password === '') {
    nextBase.username = base.username;
    nextBase.password = base.password;
  }
  return nextBase.href;
}

function get(
  url: URL,
  address: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<{ status: number; location: string | undefined }> {
  const family = address.includes(':') ? 6 : 4;
  // Whatever the name, the connection goes to the checked address (with or without `all`, as net asks).
  const lookup = ((_host, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : undefined;
  const requestOptions: RequestOptions = {
    method: 'GET',
    lookup,
    // One connection of its own: no pooled socket to another address is reused.
    agent: false,
    timeout: options.timeoutMs,
    signal: options.signal,
    headers: {
      'user-agent': 'git/2.39 (repopulse redirect check)',
      accept: '*/*',
      'git-protocol': 'version=2',
      ...(authorization ? { authorization } : {}),
    },
  };
  const plain = new URL(url.href);
  plain.username = '';
  plain.password = '';
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(plain, requestOptions, (response) => {
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
      // Only the status and the location matter: the body is not read.
      response.destroy();
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} in time`)));
    request.on('error', reject);
    request.end();
  });
}
