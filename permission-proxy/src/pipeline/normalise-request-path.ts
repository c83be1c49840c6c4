import { BadRequestError } from '@repopulse/core';

export interface NormalisedTarget {
  /** The one spelling of the path that the ACL, the scopes and the upstream all see. */
  pathname: string;
  /** The query string as sent, with its `?`, or empty. */
  search: string;
}

const unreserved = /^[A-Za-z0-9\-._~]$/;

/** Characters that may appear literally in a path (RFC 3986 pchar, less `%`, plus `/`). */
const literalPathCharacter = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

function refuse(reason: string): never {
  throw new BadRequestError(`The request path cannot be used: ${reason}`);
}

/**
 * One spelling of every path, made once before anything looks at it: a percent-encoded unreserved
 * character is decoded (`%61` is `a`), every other escape is kept with upper-case hex, repeated slashes
 * collapse into one and `.`/`..` segments are resolved. What cannot be made into one clean path is refused
 * (400): an escaped `/` or `\` (the upstream would read a different path than the one checked), escaped
 * control characters, a broken escape, a backslash, or `..` above the root.
 */
export function normaliseRequestPath(rawUrl: string): NormalisedTarget {
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const search = queryStart === -1 ? '' : rawUrl.slice(queryStart);
  if (!rawPath.startsWith('/')) refuse('it must start with "/"');
  if ([...search].some((character) => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f))
    refuse('the query string holds control characters');

  let decoded = '';
  for (let index = 0; index < rawPath.length; index++) {
    const character = rawPath[index]!;
    if (character === '%') {
      const hex = rawPath.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) refuse('a "%" is not followed by two hexadecimal digits');
      const code = Number.parseInt(hex, 16);
      const plain = String.fromCharCode(code);
      if (plain === '/' || plain === '\\') refuse('it holds an escaped slash or backslash');
      if (code < 0x20 || code === 0x7f) refuse('it holds an escaped control character');
      decoded += unreserved.test(plain) ? plain : `%${hex.toUpperCase()}`;
      index += 2;
    } else if (character === '\\') {
      refuse('it holds a backslash');
    } else if (literalPathCharacter.test(character)) {
      decoded += character;
    } else {
      refuse(`it holds the character "${encodeURIComponent(character)}" unescaped`);
    }
  }

  const segments: string[] = [];
  const parts = decoded.split('/').slice(1);
  parts.forEach((segment, position) => {
    const last = position === parts.length - 1;
    if (segment === '..') {
      if (segments.length === 0) refuse('".." climbs above the root');
      segments.pop();
      if (last) segments.push('');
    } else if (segment === '.') {
      if (last) segments.push('');
    } else if (segment !== '' || last) {
      segments.push(segment);
    }
  });
  return { pathname: `/${segments.join('/')}`, search };
}
