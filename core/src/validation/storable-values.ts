/**
 * What PostgreSQL can store, as schema bounds: a value a schema accepts must never fail in the database,
 * where it would fail its whole message after the gateway's 202. Times are in `storable-instant.ts`.
 */

/** `integer` (int4) columns. */
export const int4 = { minimum: -2_147_483_648, maximum: 2_147_483_647 } as const;

/**
 * `bigint` (int8) columns fed from JSON numbers: a JSON number beyond 2^53 is not the number that was
 * sent any more, and from 1e21 on JavaScript writes it with an exponent, which `bigint` refuses.
 */
export const jsonInt8 = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } as const;

/**
 * Text PostgreSQL can hold and keep as it came: no U+0000 (text cannot hold it, jsonb refuses its escape)
 * and no unpaired surrogate (JSON allows `"\ud800"`, UTF-8 cannot encode it: the driver would store U+FFFD,
 * and a key stored so no longer equals the key that was sent). With ajv's `u` flag a class of surrogates
 * matches only unpaired ones.
 */
export const storableTextPattern = '^[^\\u0000\\uD800-\\uDFFF]*$';

/** What a violation of `storableTextPattern` says instead of repeating the pattern. */
export const storableTextMessage = 'must not contain U+0000 (NUL) or an unpaired surrogate';

// U+0000 is the very character this is about.
// eslint-disable-next-line no-control-regex
const unstorableCharacters = /[\u0000\uD800-\uDFFF]/gu;

/**
 * The text with U+FFFD in place of each character PostgreSQL cannot hold (U+0000, unpaired surrogates):
 * for free text from a source that cannot be refused (GitHub's commit messages), and for the reasons and
 * ids written beside a rejected event.
 */
export function toStorableText(text: string): string {
  unstorableCharacters.lastIndex = 0;
  return unstorableCharacters.test(text) ? text.replace(unstorableCharacters, '\uFFFD') : text;
}
