import { compileQueryValidator, type QuerySchema } from '../http/query-parameters.js';
import type { EndpointSpec } from './endpoint-spec.js';

/** The query-string schema of an endpoint, from its OpenAPI parameters. */
export function querySchemaOf(endpoint: EndpointSpec): QuerySchema {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  for (const parameter of endpoint.parameters) {
    if (parameter.in !== 'query') continue;
    properties[parameter.name] = parameter.schema;
    if (parameter.required) required.push(parameter.name);
  }
  return {
    type: 'object',
    properties,
    additionalProperties: false,
    ...(required.length ? { required } : {}),
  };
}

/** Compiles an endpoint's query validator from its OpenAPI parameters: 400 naming the bad parameter. */
export function compileEndpointQuery<T>(endpoint: EndpointSpec): (query: unknown) => T {
  return compileQueryValidator<T>(querySchemaOf(endpoint));
}
