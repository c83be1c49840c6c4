import { createHash } from 'node:crypto';

/** A weak ETag over the body, as GitHub sends on REST answers: the same body, the same tag. */
export function etagOf(body: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}"`;
}
