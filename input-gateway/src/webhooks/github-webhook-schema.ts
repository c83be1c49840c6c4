import { boundsSchema, webhookBounds, type WebhookBounds } from './github-webhook-bounds.js';
import type { WebhookRequirements } from './github-webhook-requirements.js';
import {
  eventDefinitions,
  reachableDefinitions,
  type JsonSchema,
  type PublishedWebhookSchema,
} from './published-webhook-schema.js';
import { tolerant } from './tolerant-webhook-schema.js';

/** A schema that demands the engine's fields (dotted paths) with their JSON types, null not allowed. */
export function requirementsSchema(requirements: WebhookRequirements): JsonSchema {
  const root: JsonSchema = { type: 'object' };
  for (const [path, type] of Object.entries(requirements)) {
    let node = root;
    const segments = path.split('.');
    segments.forEach((segment, index) => {
      node.type = 'object';
      const required = (node.required ??= []) as string[];
      if (!required.includes(segment)) required.push(segment);
      const properties = (node.properties ??= {}) as Record<string, JsonSchema>;
      const child = (properties[segment] ??= {});
      if (index === segments.length - 1) child.type = type;
      // The engine reads a required string as absent when it is empty.
      if (index === segments.length - 1 && type === 'string') child.minLength = 1;
      node = child;
    });
  }
  return root;
}

/**
 * One event type: the engine's requirements and the bounds of what it stores (`github-webhook-bounds.ts`),
 * and the published shape of the payload's action (`if action = opened then issues$opened`). An action
 * GitHub adds later matches no `if` and is checked against the requirements and bounds only, not refused.
 */
function eventSchema(
  published: PublishedWebhookSchema,
  event: string,
  requirements: WebhookRequirements,
  bounds: WebhookBounds,
): JsonSchema {
  const shapes: JsonSchema[] = [];
  for (const [action, definition] of eventDefinitions(published, event)) {
    const shape = { $ref: `#/$defs/${definition}` };
    const isAction = { type: 'object', properties: { action: { const: action } }, required: ['action'] };
    shapes.push(action === null ? shape : { if: isAction, then: shape });
  }
  return { type: 'object', allOf: [requirementsSchema(requirements), boundsSchema(bounds), ...shapes] };
}

const compiledOnce = 'compiled-once';

/**
 * ajv inlines every referenced definition that holds no `$ref` itself (its `inlineRefs` default): a
 * small definition such as `user`, used in hundreds of places, would be compiled hundreds of times. A
 * `$ref` to an empty schema keeps such a definition a function of its own, compiled once and called.
 * With it, all processed types compile in a few hundred milliseconds instead of seconds.
 */
function withoutInlining(definition: unknown): unknown {
  if (
    typeof definition !== 'object' ||
    definition === null ||
    JSON.stringify(definition).includes('"$ref"')
  ) {
    return definition;
  }
  return { ...definition, $ref: `#/$defs/${compiledOnce}` };
}

/**
 * One JSON Schema (2020-12) for every processed event type, validating `{ event, body }`. Compiled
 * once, so the definitions the types share (repository, user, label…) are compiled once, not per type.
 */
export function deriveWebhookSchema(
  published: PublishedWebhookSchema,
  events: Readonly<Record<string, WebhookRequirements>>,
): JsonSchema {
  const $defs: Record<string, unknown> = { [compiledOnce]: {} };
  const dispatch: JsonSchema[] = [];
  const roots: string[] = [];
  for (const [event, requirements] of Object.entries(events)) {
    const bounds = (webhookBounds as Readonly<Record<string, WebhookBounds>>)[event] ?? {};
    $defs[`${event}-delivery`] = eventSchema(published, event, requirements, bounds);
    roots.push(...eventDefinitions(published, event).values());
    dispatch.push({
      if: { type: 'object', properties: { event: { const: event } }, required: ['event'] },
      then: { type: 'object', properties: { body: { $ref: `#/$defs/${event}-delivery` } } },
    });
  }
  for (const name of reachableDefinitions(published, roots)) {
    $defs[name] = withoutInlining(tolerant(published.definitions[name]));
  }
  return {
    type: 'object',
    required: ['event', 'body'],
    properties: { event: { type: 'string' }, body: { type: 'object' } },
    allOf: dispatch,
    $defs,
  };
}
