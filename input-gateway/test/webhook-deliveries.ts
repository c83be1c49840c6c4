import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { proxiedFetch } from '@repopulse/core/testing';

/** One real example payload from `@octokit/webhooks-examples`, with where it came from. */
export interface WebhookExample {
  event: string;
  /** e.g. "api.github.com push #3"; names a failing example in an assertion message. */
  label: string;
  payload: Record<string, unknown>;
}

// The package holds GitHub.com's examples and, per GitHub Enterprise Server release, older and newer
// variants of the same events: together they show the drift the gateway must tolerate.
const exampleSets = ['api.github.com', 'ghes-31', 'ghes-32', 'ghes-33', 'ghes-34', 'ghes-35'];

/** Every distinct example of the given event types, across GitHub.com and every GHES release. */
export function githubExamples(events: readonly string[]): WebhookExample[] {
  const require = createRequire(import.meta.url);
  const seen = new Set<string>();
  const examples: WebhookExample[] = [];
  for (const set of exampleSets) {
    const definitions = require(`@octokit/webhooks-examples/${set}/index.json`) as Array<{
      name: string;
      examples: object[];
    }>;
    for (const definition of definitions) {
      if (!events.includes(definition.name)) continue;
      definition.examples.forEach((payload, index) => {
        const key = `${definition.name} ${JSON.stringify(payload)}`;
        if (seen.has(key)) return;
        seen.add(key);
        examples.push({
          event: definition.name,
          label: `${set} ${definition.name} #${index}`,
          payload: payload as Record<string, unknown>,
        });
      });
    }
  }
  return examples;
}

/** As GitHub signs: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export function signatureOf(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The body with one byte changed and still valid JSON: its last digit becomes another digit. The last
 * digit of a body is never the leading digit of a number, so the number stays well-formed.
 */
export function withOneByteChanged(body: string): string {
  const index = body.search(/\d(?=\D*$)/);
  if (index < 0) throw new Error('the body has no digit to change');
  const digit = String((Number(body[index]) + 1) % 10);
  return `${body.slice(0, index)}${digit}${body.slice(index + 1)}`;
}

export interface Delivery {
  event: string;
  body: string;
  deliveryId?: string;
  /** The secret to sign with; `signature` overrides the computed header. */
  secret?: string;
  signature?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
  /** The sender's address, as the permission proxy would name it. */
  address?: string;
}

/** Posts a delivery as GitHub does: compact JSON, the three headers, a GUID delivery id. */
export async function deliver(base: string, delivery: Delivery): Promise<Response> {
  const deliveryId = delivery.deliveryId ?? randomUUID();
  const signature =
    delivery.signature === undefined ? signatureOf(delivery.body, delivery.secret ?? '') : delivery.signature;
  const headers: Record<string, string> = {
    'content-type': delivery.contentType ?? 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': delivery.event,
    'x-github-delivery': deliveryId,
    ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    ...delivery.headers,
  };
  return proxiedFetch(`${base}/v1/webhooks/github`, {
    method: 'POST',
    body: delivery.body,
    headers,
    address: delivery.address,
  });
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping the order of results. */
export async function inBatches<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
