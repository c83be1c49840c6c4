import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger, runWithContext } from '../src/index.js';
import { capturedLogger } from '../src/testing/index.js';

describe('createLogger', () => {
  test('writes one JSON line per event with module, level, message, fields and a timestamp', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    logger.info('webhook accepted', { deliveryId: 'd-1', event: 'push', ms: 12 });
    logger.warn('broker slow', { ms: 900 });
    const [accepted, slow] = await lines();
    assert.deepEqual(
      { ...accepted, timestamp: undefined },
      {
        level: 'info',
        message: 'webhook accepted',
        module: 'logger-test',
        deliveryId: 'd-1',
        event: 'push',
        ms: 12,
        timestamp: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(String(accepted!.timestamp))), 'the timestamp is a date');
    assert.equal(slow!.level, 'warn');
    assert.equal(slow!.message, 'broker slow');
  });

  test('drops events below its level', async () => {
    const { logger, lines } = capturedLogger('warn', 'logger-test');
    logger.info('routine');
    logger.debug('detail');
    logger.error('needs someone');
    assert.deepEqual(
      (await lines()).map((line) => line.message),
      ['needs someone'],
    );
  });

  test('adds the requestId and correlationId of the work being done', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    await runWithContext({ requestId: 'req-1', correlationId: 'corr-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.info('inside');
    });
    logger.info('outside');
    const [inside, outside] = await lines();
    assert.equal(inside!.requestId, 'req-1');
    assert.equal(inside!.correlationId, 'corr-1');
    assert.equal(outside!.requestId, undefined);
    assert.equal(outside!.correlationId, undefined);
  });

  test('adds the messageId of a nested context and keeps the outer ids', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    runWithContext({ correlationId: 'corr-2' }, () =>
      runWithContext({ messageId: 'msg-9' }, () => logger.info('handling message')),
    );
    const [line] = await lines();
    assert.equal(line!.correlationId, 'corr-2');
    assert.equal(line!.messageId, 'msg-9');
  });

  test('lets a field given explicitly win over the context', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    runWithContext({ requestId: 'from-context' }, () => logger.info('explicit', { requestId: 'given' }));
    const [line] = await lines();
    assert.equal(line!.requestId, 'given');
  });

  test('carries the fields of a child logger on every line', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    logger.child({ queue: 'crawl.repo' }).info('consumer started');
    const [line] = await lines();
    assert.equal(line!.queue, 'crawl.repo');
    assert.equal(line!.module, 'logger-test');
  });

  test('keeps the name, message, stack and code of an error passed as { error }', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    const error = Object.assign(new TypeError('cannot read the batch'), { code: 'E_BATCH' });
    logger.error('handler failed', { error, queue: 'ingest.events' });
    const [line] = await lines();
    assert.equal(line!.message, 'handler failed');
    assert.equal(line!.queue, 'ingest.events');
    const logged = line!.error as Record<string, unknown>;
    assert.equal(logged.name, 'TypeError');
    assert.equal(logged.message, 'cannot read the batch');
    assert.equal(logged.code, 'E_BATCH');
    assert.match(String(logged.stack), /^TypeError: cannot read the batch\n\s+at /);
    assert.match(String(logged.stack), /logger\.test\.ts/);
  });

  test('keeps the cause of an error', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    const cause = new Error('connection reset');
    logger.warn('publish retried', { error: new Error('publish failed', { cause }) });
    const [line] = await lines();
    const logged = line!.error as { cause?: { message?: string; stack?: string } };
    assert.equal(logged.cause?.message, 'connection reset');
    assert.match(String(logged.cause?.stack), /connection reset/);
  });

  test('keeps the stack of an error logged on its own', async () => {
    const { logger, lines } = capturedLogger('info', 'logger-test');
    logger.error(new Error('bare error'));
    const [line] = await lines();
    assert.equal(line!.level, 'error');
    assert.match(String(line!.message), /bare error/);
    assert.match(String(line!.stack), /logger\.test\.ts/);
  });

  test('writes nothing when silent', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    createLogger({ level: 'info', module: 'quiet', stream, silent: true }).error('not shown');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(text, '');
  });
});
