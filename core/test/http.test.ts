import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import express, { type Express } from 'express';
import { Registry } from 'prom-client';
import {
  BadRequestError,
  ConflictError,
  ContentTooLargeError,
  createLogger,
  currentContext,
  ForbiddenError,
  httpMetrics,
  jsonBody,
  NotFoundError,
  notFoundHandler,
  operationsRoutes,
  problemErrorHandler,
  requestId,
  SchemaViolationError,
  startHttpServer,
  UnauthorisedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  type AppError,
  type RunningServer,
} from '../src/index.js';

const bodyLimit = 200;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const secretMessage = 'password=hunter2 at db.internal:5432';

/** Every AppError kind with the status and problem type it must answer with. */
const errorKinds: Record<string, { error: () => AppError; status: number; type: string }> = {
  'bad-request': {
    error: () => new BadRequestError('the cursor is malformed'),
    status: 400,
    type: 'bad-request',
  },
  unauthorised: { error: () => new UnauthorisedError('no credentials'), status: 401, type: 'unauthorised' },
  forbidden: { error: () => new ForbiddenError('role analyst may not'), status: 403, type: 'forbidden' },
  'not-found': { error: () => new NotFoundError('no repository acme/none'), status: 404, type: 'not-found' },
  conflict: { error: () => new ConflictError('the user exists'), status: 409, type: 'conflict' },
  'content-too-large': {
    error: () => new ContentTooLargeError('too many events'),
    status: 413,
    type: 'content-too-large',
  },
  'unsupported-media-type': {
    error: () => new UnsupportedMediaTypeError('expected JSON'),
    status: 415,
    type: 'unsupported-media-type',
  },
  'schema-violation': {
    error: () =>
      new SchemaViolationError('the batch is wrong', [{ path: '/events/0/type', message: 'is unknown' }]),
    status: 422,
    type: 'schema-violation',
  },
  unavailable: {
    error: () => new UnavailableError('the broker did not confirm', 7),
    status: 503,
    type: 'unavailable',
  },
};

interface TestApp {
  app: Express;
  /** Resolves each time the slow route has received a request. */
  slowRequestArrived: () => Promise<void>;
  setBrokerUp: (up: boolean) => void;
  logLines: () => Record<string, unknown>[];
}

function buildApp(): TestApp {
  const logStream = new PassThrough();
  let logText = '';
  logStream.on('data', (chunk: Buffer) => (logText += chunk.toString()));
  const logger = createLogger({ level: 'info', module: 'http-test', stream: logStream });
  const registry = new Registry();
  let brokerUp = true;
  let arrived: () => void = () => {};
  let arrival = new Promise<void>((resolve) => (arrived = resolve));

  const app = express();
  app.use(requestId());
  app.use(httpMetrics(registry));
  app.use(
    operationsRoutes({
      registry,
      checks: {
        database: async () => {},
        broker: async () => {
          if (!brokerUp) throw new Error('connection refused');
        },
      },
    }),
  );
  app.post('/echo', ...jsonBody({ limit: bodyLimit }), (request, response) => {
    response.json({ body: request.body, requestId: request.requestId, context: currentContext() });
  });
  app.get('/fail/:kind', (request) => {
    const kind = errorKinds[String(request.params.kind)];
    if (!kind) throw new Error(secretMessage);
    throw kind.error();
  });
  app.get('/slow', async (_request, response) => {
    arrived();
    await new Promise((resolve) => setTimeout(resolve, 300));
    response.json({ finished: true });
  });
  app.use(notFoundHandler);
  app.use(problemErrorHandler(logger));

  return {
    app,
    slowRequestArrived: async () => {
      await arrival;
      arrival = new Promise<void>((resolve) => (arrived = resolve));
    },
    setBrokerUp: (up) => (brokerUp = up),
    logLines: () =>
      logText
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

async function assertProblem(
  response: Response,
  status: number,
  type: string,
): Promise<Record<string, unknown>> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const problem = (await response.json()) as Record<string, unknown>;
  assert.equal(problem.type, `urn:repopulse:problem:${type}`);
  assert.equal(problem.status, status);
  assert.equal(typeof problem.title, 'string');
  assert.ok((problem.title as string).length > 0);
  assert.equal(typeof problem.instance, 'string');
  return problem;
}

describe('HTTP helpers (a real server on a random port)', () => {
  let testApp: TestApp;
  let server: RunningServer;
  let base: string;

  before(async () => {
    testApp = buildApp();
    server = await startHttpServer(testApp.app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });

  after(async () => {
    await server.close(1_000);
  });

  function postJson(body: string, contentType = 'application/json', headers: Record<string, string> = {}) {
    return fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });
  }

  describe('JSON bodies', () => {
    test('parses a JSON body and hands the request id to the handler, not through the async context', async () => {
      const response = await postJson('{"hello":"world"}', 'application/json', { 'x-request-id': 'req-1' });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        body: { hello: 'world' },
        requestId: 'req-1',
        context: {},
      });
    });

    test('refuses JSON in another charset than UTF-8 with 415', async () => {
      await assertProblem(
        await postJson('{"a":1}', 'application/json; charset=utf-16'),
        415,
        'unsupported-media-type',
      );
      await assertProblem(
        await postJson('{"a":1}', 'application/json; charset="latin1"'),
        415,
        'unsupported-media-type',
      );
    });

    test('accepts a +json media type with a charset', async () => {
      const response = await postJson('{"a":1}', 'application/vnd.repopulse+json; charset=utf-8');
      assert.equal(response.status, 200);
    });

    test('answers 400 to malformed JSON', async () => {
      const problem = await assertProblem(await postJson('{"hello":'), 400, 'bad-request');
      assert.match(String(problem.detail), /not valid JSON/);
      assert.equal(problem.instance, '/echo');
    });

    test('answers 400 to a bare JSON string, since parsing is strict', async () => {
      await assertProblem(await postJson('"just a string"'), 400, 'bad-request');
    });

    test('answers 413 to a body over the limit', async () => {
      const problem = await assertProblem(
        await postJson(JSON.stringify({ padding: 'x'.repeat(bodyLimit) })),
        413,
        'content-too-large',
      );
      assert.match(String(problem.detail), new RegExp(String(bodyLimit)));
    });

    test('answers 415 to text/plain and to a body without a content type', async () => {
      await assertProblem(await postJson('{"a":1}', 'text/plain'), 415, 'unsupported-media-type');
      const untyped = await fetch(`${base}/echo`, {
        method: 'POST',
        body: new Uint8Array(Buffer.from('{"a":1}')),
      });
      await assertProblem(untyped, 415, 'unsupported-media-type');
    });
  });

  describe('problem+json errors', () => {
    for (const [kind, expected] of Object.entries(errorKinds)) {
      test(`answers a thrown ${kind} error with ${expected.status} problem+json`, async () => {
        const response = await fetch(`${base}/fail/${kind}?page=2`);
        const problem = await assertProblem(response, expected.status, expected.type);
        assert.equal(problem.detail, expected.error().message);
        assert.equal(problem.instance, `/fail/${kind}?page=2`);
      });
    }

    test('lists the failing paths of a schema violation', async () => {
      const problem = await assertProblem(
        await fetch(`${base}/fail/schema-violation`),
        422,
        'schema-violation',
      );
      assert.deepEqual(problem.errors, [{ path: '/events/0/type', message: 'is unknown' }]);
    });

    test('tells the client when to retry an unavailable service', async () => {
      const response = await fetch(`${base}/fail/unavailable`);
      assert.equal(response.headers.get('retry-after'), '7');
      await assertProblem(response, 503, 'unavailable');
    });

    test('answers an unknown error with 500 without leaking its message, and logs it with its stack', async () => {
      const response = await fetch(`${base}/fail/unexpected`);
      const text = await response.clone().text();
      const problem = await assertProblem(response, 500, 'internal');
      assert.equal(problem.detail, undefined);
      assert.doesNotMatch(text, /hunter2/);
      const logged = testApp.logLines().find((line) => line.message === 'request failed');
      assert.ok(logged, 'the error is logged');
      assert.equal(logged.level, 'error');
      assert.match(JSON.stringify(logged), /hunter2/);
      assert.match(JSON.stringify(logged), /http\.test\.ts/, 'the stack survives');
    });

    test('answers an unknown route with 404 problem+json', async () => {
      const problem = await assertProblem(await fetch(`${base}/no/such/route`), 404, 'not-found');
      assert.match(String(problem.detail), /GET \/no\/such\/route/);
    });

    test('answers a malformed URI with 400, not 500', async () => {
      const response = await fetch(`${base}/fail/%E0%A4%A`);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    });
  });

  describe('X-Request-Id', () => {
    test('echoes a valid incoming id', async () => {
      const response = await fetch(`${base}/health`, { headers: { 'x-request-id': 'proxy:abc-123.4_5' } });
      assert.equal(response.headers.get('x-request-id'), 'proxy:abc-123.4_5');
    });

    test('generates a uuid when the request has none', async () => {
      const first = await fetch(`${base}/health`);
      const second = await fetch(`${base}/health`);
      assert.match(first.headers.get('x-request-id') ?? '', uuid);
      assert.notEqual(first.headers.get('x-request-id'), second.headers.get('x-request-id'));
    });

    test('replaces a malformed or overlong id with a generated one', async () => {
      for (const malformed of ['has spaces in it', '<script>', 'x'.repeat(129)]) {
        const response = await fetch(`${base}/health`, { headers: { 'x-request-id': malformed } });
        assert.match(response.headers.get('x-request-id') ?? '', uuid, malformed);
      }
    });

    test('sets the id on error responses too', async () => {
      const response = await fetch(`${base}/no/such/route`, { headers: { 'x-request-id': 'req-404' } });
      assert.equal(response.headers.get('x-request-id'), 'req-404');
    });
  });

  describe('operations routes', () => {
    test('/health answers 200 while the process lives', async () => {
      const response = await fetch(`${base}/health`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    });

    test('/ready answers 200 when every check passes', async () => {
      testApp.setBrokerUp(true);
      const response = await fetch(`${base}/ready`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        status: 'ready',
        checks: { database: { status: 'ok' }, broker: { status: 'ok' } },
      });
    });

    test('/ready answers 503 naming the failing check and its error', async () => {
      testApp.setBrokerUp(false);
      try {
        const response = await fetch(`${base}/ready`);
        assert.equal(response.status, 503);
        assert.deepEqual(await response.json(), {
          status: 'not ready',
          checks: { database: { status: 'ok' }, broker: { status: 'failing', error: 'connection refused' } },
        });
      } finally {
        testApp.setBrokerUp(true);
      }
    });

    test('/metrics answers the Prometheus text format with the request histogram', async () => {
      await fetch(`${base}/health`);
      const response = await fetch(`${base}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
      assert.match(
        text,
        /^http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+$/m,
      );
    });
  });
});

describe('startHttpServer close', () => {
  test('lets a request in flight finish, then refuses new connections', async () => {
    const testApp = buildApp();
    const server = await startHttpServer(testApp.app, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${server.port}`;
    const inFlight = fetch(`${base}/slow`);
    await testApp.slowRequestArrived();

    const closed = server.close(5_000);
    const refusedWhileClosing = await fetch(`${base}/health`).then(
      () => undefined,
      (error: { cause?: { code?: string } }) => error.cause?.code,
    );
    assert.equal(refusedWhileClosing, 'ECONNREFUSED');

    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { finished: true });
    const started = Date.now();
    await closed;
    assert.ok(Date.now() - started < 2_000, 'close does not wait for the timeout once the request is done');

    await assert.rejects(fetch(`${base}/health`), (error: { cause?: { code?: string } }) => {
      assert.equal(error.cause?.code, 'ECONNREFUSED');
      return true;
    });
  });

  test('is safe to call twice', async () => {
    const server = await startHttpServer(buildApp().app, 0, '127.0.0.1');
    await Promise.all([server.close(), server.close()]);
    await server.close();
    assert.equal(server.server.listening, false);
  });

  test('cuts a request that outlives the timeout', async () => {
    const testApp = buildApp();
    const server = await startHttpServer(testApp.app, 0, '127.0.0.1');
    const inFlight = fetch(`http://127.0.0.1:${server.port}/slow`).then(
      (response) => response.status,
      () => 'cut',
    );
    await testApp.slowRequestArrived();
    await server.close(50);
    assert.equal(await inFlight, 'cut');
  });
});
