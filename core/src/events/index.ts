export {
  genericEventBatchSchema,
  genericEventTypes,
  repositorySegmentPattern,
  shaPattern,
} from './generic-event-batch-schema.js';
export type * from './generic-event-types.js';
import { compileValidator, type Validator } from '../validation/index.js';
import { genericEventBatchSchema } from './generic-event-batch-schema.js';
import type { GenericEventBatch } from './generic-event-types.js';

/**
 * The batch schema as ajv compiles it fastest: the same rules, each event type a definition of its own,
 * compiled into a function of its own. Inline, the whole batch is one function too large for V8 to optimise
 * (past `--max-optimized-bytecode-size`), and every event checked a third slower for it.
 */
function withEventTypesApart(schema: ReturnType<typeof genericEventBatchSchema>) {
  const { items } = schema.properties.events;
  const $defs = Object.fromEntries(
    items.oneOf.map((event) => [`${event.properties.type.const}-event`, event]),
  );
  return {
    ...schema,
    $defs,
    properties: {
      ...schema.properties,
      events: {
        ...schema.properties.events,
        items: { ...items, oneOf: Object.keys($defs).map((name) => ({ $ref: `#/$defs/${name}` })) },
      },
    },
  };
}

export function createGenericEventBatchValidator(maxEvents: number): Validator<GenericEventBatch> {
  return compileValidator<GenericEventBatch>(
    withEventTypesApart(genericEventBatchSchema(maxEvents)),
    'The event batch',
    { inlineRefs: false },
  );
}
export { crawlRunItem, repositoryFromGitUrl } from './repository-identity.js';
export type { CrawlOrganizationPayload, CrawlRepositoryPayload } from './crawl-messages.js';
