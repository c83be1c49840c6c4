import { randomBytes } from 'node:crypto';
import { createRouter, ConflictError, NotFoundError, recordAudit, type Database } from '@repopulse/core';
import { type Router } from 'express';
import { adminChange } from '../http/admin-identity.js';
import { rowIdOf } from '../http/row-id.js';
import { findSource } from './source-store.js';
import { setWebhookSecret } from './webhook-secret-store.js';
import { webhookContentType, webhookEvents, webhookInstructions } from './webhook-instructions.js';

/** The input gateway's webhook endpoint, as the permission proxy publishes it. */
const webhookPath = '/ingest/v1/webhooks/github';

/**
 * `POST|DELETE /api/sources/{id}/webhook-secret`. The secret is stored as it is (verifying an HMAC needs
 * it) and shown once; a lost one is replaced by generating another. Only GitHub sources get webhooks.
 */
export function webhookSecretRoutes(options: { database: Database; publicUrl: string }): Router {
  const { database } = options;
  const webhookUrl = new URL(webhookPath, options.publicUrl).toString();
  const router = createRouter();

  router.post('/api/sources/:id/webhook-secret', async (request, response) => {
    const id = rowIdOf(request, 'source');
    const secret = randomBytes(32).toString('hex');
    const source = await database.transaction(async (transaction) => {
      const current = await findSource(transaction, id);
      if (!current) throw new NotFoundError(`There is no source ${id}`);
      if (current.kind === 'git') {
        throw new ConflictError(
          'A git source receives no GitHub webhooks; only GitHub sources have a secret',
        );
      }
      await setWebhookSecret(transaction, id, secret);
      // Never the secret itself: the audit log is read by more eyes than the one admin who set it.
      await recordAudit(transaction, [adminChange(request, 'source.webhook-secret.set', `source:${id}`)]);
      return current;
    });
    response.status(201).json({
      secret,
      webhookUrl,
      contentType: webhookContentType,
      events: webhookEvents,
      instructions: webhookInstructions({ kind: source.kind, target: source.target, webhookUrl }),
    });
  });

  router.delete('/api/sources/:id/webhook-secret', async (request, response) => {
    const id = rowIdOf(request, 'source');
    await database.transaction(async (transaction) => {
      if (!(await setWebhookSecret(transaction, id, null)))
        throw new NotFoundError(`There is no source ${id}`);
      await recordAudit(transaction, [adminChange(request, 'source.webhook-secret.delete', `source:${id}`)]);
    });
    response.status(204).end();
  });

  return router;
}
