import type { EndpointSpec, SchemaComponents } from '../openapi/endpoint-spec.js';
import { repositoryDetailComponents, repositoryDetailEndpoint } from './repository-detail-endpoint.js';
import { repositoryListComponents, repositoryListEndpoint } from './repository-list-endpoint.js';

/** The repository list and detail, for the OpenAPI document. */
export const repositoryEndpoints: readonly EndpointSpec[] = [
  repositoryListEndpoint,
  repositoryDetailEndpoint,
];

export const repositoryComponents: SchemaComponents = {
  ...repositoryListComponents,
  ...repositoryDetailComponents,
};
