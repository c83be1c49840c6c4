/** `POST /v1/crawl-requests`: crawl one repository or every repository of an organisation, now. */
export const crawlRequestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:repopulse:schema:crawl-request',
  title: 'Crawl request',
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['repository', 'organization'] } },
  discriminator: { propertyName: 'kind' },
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'target'],
      properties: {
        kind: { const: 'repository' },
        host: {
          description: 'a host of the crawl host allowlist',
          type: 'string',
          pattern: '^[A-Za-z0-9.-]{1,253}$',
          default: 'github.com',
        },
        target: {
          description:
            '"owner/name" on `host`, or the https URL of a repository on a host of the crawl host allowlist (admins, with GIT_ALLOW_LOCAL=1: also the target of a git source an admin added)',
          type: 'string',
          minLength: 3,
          maxLength: 2_000,
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'target'],
      properties: {
        kind: { const: 'organization' },
        host: { const: 'github.com', default: 'github.com' },
        target: {
          description: 'a GitHub organisation or user login',
          type: 'string',
          pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$',
        },
      },
    },
  ],
} as const;

export type CrawlRequest =
  | { kind: 'repository'; host?: string; target: string }
  | { kind: 'organization'; host?: 'github.com'; target: string };
