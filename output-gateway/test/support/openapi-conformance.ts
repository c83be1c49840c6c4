import { compileValidator } from '@repopulse/core';
import { apiComponents, apiEndpoints } from '../../src/api-endpoints.js';
import { openApiDocument } from '../../src/openapi/openapi-document.js';

const document = openApiDocument(apiEndpoints, apiComponents);
const validators = new Map<string, (body: unknown) => unknown>();

/**
 * Asserts that a real answer conforms to the OpenAPI document: the JSON schema the operation documents
 * for that status (its 200 answer, or the problem schema of an error). Throws naming the failing paths.
 */
export function assertConforms(operationId: string, status: number, body: unknown): void {
  const key = `${operationId}:${status}`;
  let validate = validators.get(key);
  if (!validate) {
    type Operation = {
      operationId: string;
      responses: Record<string, { content?: Record<string, { schema: object }> }>;
    };
    const operation = Object.values(document.paths)
      .map((item) => (item as { get?: Operation }).get)
      .find((get) => get?.operationId === operationId);
    if (!operation) throw new Error(`No operation ${operationId} in the OpenAPI document`);
    const content = operation.responses[String(status)]?.content;
    const schema = content?.['application/json']?.schema ?? content?.['application/problem+json']?.schema;
    if (!schema) throw new Error(`${operationId} documents no JSON ${status} answer`);
    // The components travel with the schema as `$defs`, where JSON Schema (and ajv's strict mode) expects them.
    const relocated = JSON.parse(
      JSON.stringify({ ...schema, $defs: document.components.schemas }).replaceAll(
        '#/components/schemas/',
        '#/$defs/',
      ),
    ) as object;
    validate = compileValidator(relocated, `The ${operationId} ${status} answer`);
    validators.set(key, validate);
  }
  validate(body);
}

export { document as outputOpenApiDocument };
