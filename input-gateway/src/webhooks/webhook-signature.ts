import { createHmac, timingSafeEqual } from 'node:crypto';

const signatureHeader = /^sha256=([0-9a-f]{64})$/i;

/**
 * The first candidate whose secret produced `X-Hub-Signature-256` (`sha256=<hex HMAC-SHA256 of the raw
 * body>`), or undefined. Digests are compared as two 32-byte buffers with timingSafeEqual, so the time
 * taken says nothing about how much of a forged signature was right.
 */
export function findSigningSecret<Candidate extends { secret: string }>(
  rawBody: Buffer,
  header: string | undefined,
  candidates: readonly Candidate[],
): Candidate | undefined {
  const match = signatureHeader.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const given = Buffer.from(match[1]!, 'hex');
  for (const candidate of candidates) {
    if (candidate.secret === '') continue; // an empty key is one anybody can sign with
    const expected = createHmac('sha256', candidate.secret).update(rawBody).digest();
    if (timingSafeEqual(expected, given)) return candidate;
  }
  return undefined;
}
