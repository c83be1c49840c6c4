import { activityComponents, activityEndpoint } from './activity/activity-endpoint.js';
import { compareComponents, compareEndpoint } from './compare/compare-endpoint.js';
import { metricSeriesComponents, metricSeriesEndpoint } from './metrics/metric-series-endpoint.js';
import type { EndpointSpec, SchemaComponents } from './openapi/endpoint-spec.js';
import { organizationComponents, organizationEndpoint } from './organizations/organization-endpoint.js';
import { repositoryComponents, repositoryEndpoints } from './repositories/repository-endpoints.js';
import { trendsComponents, trendsEndpoint } from './trends/trends-endpoint.js';

/** Every endpoint of the read API, in the order the OpenAPI document lists them. */
export const apiEndpoints: readonly EndpointSpec[] = [
  ...repositoryEndpoints,
  metricSeriesEndpoint,
  activityEndpoint,
  compareEndpoint,
  organizationEndpoint,
  trendsEndpoint,
];

export const apiComponents: SchemaComponents = {
  ...activityComponents,
  ...repositoryComponents,
  ...metricSeriesComponents,
  ...compareComponents,
  ...organizationComponents,
  ...trendsComponents,
};
