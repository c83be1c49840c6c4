// The baseline of the ingest benchmark: a bare express app that parses and validates the same batch with
// the same compiled ajv schema, then answers 202 without publishing anything.
import { randomUUID } from 'node:crypto';
import { createGenericEventBatchValidator } from '@repopulse/core';
import express from 'express';

const validate = createGenericEventBatchValidator(1_000);
const app = express();
app.get('/health', (_request, response) => {
  response.json({ status: 'ok' });
});
app.post('/v1/events', express.json({ limit: '1mb' }), (request, response) => {
  try {
    validate(request.body);
  } catch {
    response.status(422).end();
    return;
  }
  response.status(202).json({ id: randomUUID(), status: 'accepted' });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
