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

export function createGenericEventBatchValidator(maxEvents: number): Validator<GenericEventBatch> {
  return compileValidator<GenericEventBatch>(genericEventBatchSchema(maxEvents), 'The event batch');
}
export { crawlRunItem, repositoryFromGitUrl } from './repository-identity.js';
export type { CrawlOrganizationPayload, CrawlRepositoryPayload } from './crawl-messages.js';
