import { randomUUID } from 'node:crypto';
import { currentContext } from '../logging/index.js';
import { toStorableText } from '../validation/storable-values.js';

/** The message envelope of docs/DESIGN.md; `id` is also the AMQP messageId. */
export interface Envelope<Payload = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  attempt: number;
  payload: Payload;
}

export interface EnvelopeOptions {
  id?: string;
  version?: number;
  correlationId?: string;
  causationId?: string | null;
}

export function createEnvelope<Payload>(
  type: string,
  payload: Payload,
  options: EnvelopeOptions = {},
): Envelope<Payload> {
  const id = options.id ?? randomUUID();
  return {
    id,
    type,
    version: options.version ?? 1,
    occurredAt: new Date().toISOString(),
    correlationId: options.correlationId ?? currentContext().correlationId ?? id,
    causationId: options.causationId ?? null,
    attempt: 1,
    payload,
  };
}

export class InvalidEnvelopeError extends Error {
  override name = 'InvalidEnvelopeError';
}

/** Reads an envelope from a message body; anything else is a poison message that no retry will fix. */
export function parseEnvelope(content: Buffer): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    throw new InvalidEnvelopeError('message body is not JSON');
  }
  const candidate = value as Partial<Envelope> | null;
  const problems: string[] = [];
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    throw new InvalidEnvelopeError('message body is not a JSON object');
  }
  // The id is the inbox's key and the ids are copied into follow-ups (jsonb): text PostgreSQL must hold.
  const storable = (text: unknown) => typeof text === 'string' && toStorableText(text) === text;
  if (!storable(candidate.id) || candidate.id === '') problems.push('id');
  if (typeof candidate.type !== 'string' || candidate.type === '') problems.push('type');
  if (!Number.isInteger(candidate.version)) problems.push('version');
  if (typeof candidate.occurredAt !== 'string') problems.push('occurredAt');
  if (!storable(candidate.correlationId)) problems.push('correlationId');
  if (candidate.causationId !== null && !storable(candidate.causationId)) problems.push('causationId');
  if (!Number.isInteger(candidate.attempt) || (candidate.attempt ?? 0) < 1) problems.push('attempt');
  if (!('payload' in candidate)) problems.push('payload');
  if (problems.length > 0)
    throw new InvalidEnvelopeError(`envelope fields missing or malformed: ${problems.join(', ')}`);
  return candidate as Envelope;
}

const byteOrderMark = [0xef, 0xbb, 0xbf];

/**
 * The message body of an envelope. Given the payload's own UTF-8 JSON bytes (a request body already
 * parsed and validated), it splices them in instead of serialising the parsed value again.
 */
export function encodeEnvelope(envelope: Envelope, payloadJson?: Buffer): Buffer {
  if (payloadJson === undefined) return Buffer.from(JSON.stringify(envelope));
  const { payload: _payload, ...head } = envelope;
  const start = byteOrderMark.every((byte, index) => payloadJson[index] === byte) ? byteOrderMark.length : 0;
  const prefix = `${JSON.stringify(head).slice(0, -1)},"payload":`;
  return Buffer.concat([Buffer.from(prefix), payloadJson.subarray(start), Buffer.from('}')]);
}
