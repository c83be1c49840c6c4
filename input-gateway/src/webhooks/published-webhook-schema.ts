import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type JsonSchema = { [keyword: string]: unknown };

/** The published schema: draft-07, one definition per event and action (`push$event`, `issues$opened`). */
export interface PublishedWebhookSchema {
  definitions: Record<string, JsonSchema>;
}

/**
 * Reads `@octokit/webhooks-schemas` (GitHub's webhook payloads as JSON Schema, kept by the Octokit
 * project). Read from disk rather than imported so the 600 KB document can be garbage collected once
 * the few validators we need are compiled.
 */
export function loadPublishedWebhookSchema(): PublishedWebhookSchema {
  const require = createRequire(import.meta.url);
  const path = require.resolve('@octokit/webhooks-schemas/schema.json');
  return JSON.parse(readFileSync(path, 'utf8')) as PublishedWebhookSchema;
}

/** Every event name the published schema knows (its event definitions are named `<event>$<action>`). */
export function publishedEventNames(published: PublishedWebhookSchema): Set<string> {
  const names = new Set<string>();
  for (const name of Object.keys(published.definitions)) {
    const separator = name.indexOf('$');
    if (separator > 0) names.add(name.slice(0, separator));
  }
  return names;
}

/** The names of the definitions `roots` refer to, directly or through others, and the roots. */
export function reachableDefinitions(published: PublishedWebhookSchema, roots: string[]): string[] {
  const found = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (found.has(name)) continue;
    const definition = published.definitions[name];
    if (definition === undefined) throw new Error(`the published webhook schema has no definition "${name}"`);
    found.add(name);
    const text = JSON.stringify(definition);
    for (const match of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) pending.push(match[1]!);
  }
  return [...found].sort();
}

/** The per-action definitions of an event (`issues$opened` → action `opened`), or its one `<event>$event`. */
export function eventDefinitions(
  published: PublishedWebhookSchema,
  event: string,
): Map<string | null, string> {
  const byAction = new Map<string | null, string>();
  for (const name of Object.keys(published.definitions)) {
    if (!name.startsWith(`${event}$`)) continue;
    const action = name.slice(event.length + 1);
    byAction.set(action === 'event' ? null : action, name);
  }
  if (byAction.size === 0)
    throw new Error(`the published webhook schema has no definitions for the event "${event}"`);
  return byAction;
}
