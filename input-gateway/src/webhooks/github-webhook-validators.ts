import { compileValidator, SchemaViolationError, type SchemaViolation } from '@repopulse/core';
import { processedWebhookEvents, type WebhookRequirements } from './github-webhook-requirements.js';
import { deriveWebhookSchema } from './github-webhook-schema.js';
import { loadPublishedWebhookSchema, publishedEventNames } from './published-webhook-schema.js';

export interface GithubWebhookValidators {
  /** True for the event types the engine processes; other signed deliveries are accepted and ignored. */
  processes(event: string): boolean;
  /** Returns the body, or throws SchemaViolationError (422) with the failing paths inside the body. */
  validate(event: string, body: Record<string, unknown>): Record<string, unknown>;
  /** Every event name GitHub documents: anything else is reported as "unknown" in metrics. */
  knownEvents: ReadonlySet<string>;
  /** How long reading, deriving and compiling took, for the start-up log. */
  compileMs: number;
}

/**
 * Derives the schemas of the processed event types from GitHub's published ones and compiles them once,
 * in the composition root, never on the request path. The whole published schema (every event GitHub
 * has) takes seconds to compile; the types we process, sharing their definitions, a few hundred ms.
 */
export function createGithubWebhookValidators(
  events: Readonly<Record<string, WebhookRequirements>> = processedWebhookEvents,
): GithubWebhookValidators {
  const started = performance.now();
  const published = loadPublishedWebhookSchema();
  const validateDelivery = compileValidator(deriveWebhookSchema(published, events), 'The webhook body');
  const knownEvents = publishedEventNames(published);
  return {
    processes: (event) => Object.hasOwn(events, event),
    validate(event, body) {
      if (!Object.hasOwn(events, event)) throw new Error(`the webhook event "${event}" is not processed`);
      try {
        validateDelivery({ event, body });
        return body;
      } catch (error) {
        throw error instanceof SchemaViolationError ? asBodyViolations(error) : error;
      }
    },
    knownEvents,
    compileMs: Math.round(performance.now() - started),
  };
}

/**
 * Paths relative to the body the client sent (`/commits`, not `/body/commits`), without ajv's
 * `must match "then" schema` lines: they only repeat, at the root, the failures listed with their paths.
 */
function asBodyViolations(error: SchemaViolationError): SchemaViolationError {
  const violations: SchemaViolation[] = error.violations
    .filter((violation) => !/^must match "(then|else)" schema$/.test(violation.message))
    .map((violation) => ({ ...violation, path: violation.path.replace(/^\/body(?=\/|$)/, '') }));
  return new SchemaViolationError(
    `The webhook body does not match its schema (${violations.length} problem(s))`,
    violations,
  );
}
