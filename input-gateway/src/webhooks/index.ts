export { webhookBounds } from './github-webhook-bounds.js';
export type { WebhookBounds } from './github-webhook-bounds.js';
export { processedWebhookEvents } from './github-webhook-requirements.js';
export type { ProcessedWebhookEvent, WebhookRequirements } from './github-webhook-requirements.js';
export { createGithubWebhookValidators } from './github-webhook-validators.js';
export type { GithubWebhookValidators } from './github-webhook-validators.js';
export { createWebhookSecretLookup } from './webhook-secret-lookup.js';
export type {
  SecretCandidates,
  WebhookSecretLookup,
  WebhookSecretLookupOptions,
} from './webhook-secret-lookup.js';
export { githubWebhookPath, webhooksRoute } from './webhooks-route.js';
export type { GithubWebhookMessage, WebhooksRouteOptions } from './webhooks-route.js';
