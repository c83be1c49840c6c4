import { genericEventBatchSchema } from '@repopulse/core';
import { crawlRequestSchema } from '../crawl-requests/crawl-request-schema.js';

/** JSON Schemas embedded as OpenAPI components carry no `$schema`/`$id` of their own. */
function component(schema: object): object {
  const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const commonErrors = {
  '400': problem('Malformed JSON or missing headers'),
  '413': problem('The body is larger than the limit'),
  '415': problem('The body is not JSON'),
  '422': {
    description: 'The body breaks its schema; `errors` lists every failing path',
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/SchemaViolationProblem' } },
    },
  },
  '503': {
    ...problem('The broker could not confirm the message; try again after Retry-After seconds'),
    headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 }, description: 'seconds' } },
  },
};

const accepted = {
  description: 'The broker has confirmed the message',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
};

/** The OpenAPI 3.1 document of the ingest API, served at `GET /v1/openapi.json`. */
export function openApiDocument(options: { maxEvents: number; maxBodyBytes: number }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Repo Pulse ingest API',
      version: '1.0.0',
      description:
        'What data suppliers send to Repo Pulse. Every answer 202 means the message broker has confirmed the message. ' +
        `Bodies are JSON, at most ${options.maxBodyBytes} bytes; errors are RFC 9457 problem documents.`,
    },
    servers: [
      { url: '/ingest', description: 'through the permission proxy' },
      { url: '/', description: 'the gateway itself' },
    ],
    paths: {
      '/v1/events': {
        post: {
          operationId: 'postEvents',
          summary: `A batch of up to ${options.maxEvents} events in the generic format`,
          description: 'Idempotent by `source` + event `id`: an event sent again changes nothing.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/GenericEventBatch' } } },
          },
          responses: { '202': accepted, ...commonErrors },
        },
      },
      '/v1/webhooks/github': {
        post: {
          operationId: 'postGithubWebhook',
          summary: 'A GitHub webhook delivery, exactly as GitHub sends it',
          description:
            "The body is checked against `X-Hub-Signature-256` (HMAC-SHA256 with the source's webhook secret) and against " +
            "GitHub's published webhook schema of the `X-GitHub-Event` (@octokit/webhooks-schemas). `ping` answers 200. " +
            'A redelivery (same `X-GitHub-Delivery`) is accepted again and has no second effect.',
          parameters: [
            { name: 'X-GitHub-Event', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'X-GitHub-Delivery', in: 'header', required: true, schema: { type: 'string' } },
            {
              name: 'X-Hub-Signature-256',
              in: 'header',
              required: true,
              schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', description: 'The webhook payload of the event type' },
              },
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  properties: { payload: { type: 'string' } },
                  required: ['payload'],
                },
              },
            },
          },
          responses: {
            '200': {
              description: '`ping` answered',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            '202': accepted,
            '401': problem('Missing or wrong signature'),
            ...commonErrors,
          },
        },
      },
      '/v1/crawl-requests': {
        post: {
          operationId: 'postCrawlRequest',
          summary: 'Crawl a repository or every repository of an organisation now',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CrawlRequest' } } },
          },
          responses: { '202': accepted, ...commonErrors },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document',
          responses: {
            '200': {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        GenericEventBatch: component(genericEventBatchSchema(options.maxEvents)),
        CrawlRequest: component(crawlRequestSchema),
        Accepted: {
          type: 'object',
          required: ['id', 'status'],
          properties: {
            id: { type: 'string', description: 'the message id (for webhooks: the delivery id)' },
            status: { enum: ['accepted', 'ignored'] },
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
          },
        },
        SchemaViolationProblem: {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            {
              type: 'object',
              required: ['errors'],
              properties: {
                errors: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['path', 'message'],
                    properties: {
                      path: { type: 'string', description: 'JSON Pointer' },
                      message: { type: 'string' },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    },
  };
}
