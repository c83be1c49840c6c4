import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNotificationListener, type NotificationListener } from '../src/index.js';
import {
  capturedLogger,
  createTestDatabase,
  startTcpProxy,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from '../src/testing/index.js';

const applicationName = 'notifications test';

describe('a LISTEN connection that survives losing its session (real PostgreSQL)', () => {
  let testDatabase: TestDatabase;
  let network: TcpProxy;
  let listener: NotificationListener;
  const heard: string[] = [];
  let connections = 0;
  const { logger, lines } = capturedLogger('warn');
  const reconnectWarnings = async () =>
    (await lines()).filter((line) => String(line.message).startsWith('lost the database connection')).length;

  before(async () => {
    testDatabase = await createTestDatabase();
    const url = new URL(testDatabase.url);
    network = await startTcpProxy(Number(url.port || 5432), url.hostname);
    url.port = String(network.port);
    listener = createNotificationListener({
      url: url.toString(),
      channels: ['things_changed'],
      applicationName,
      logger,
      onNotification: (channel, payload) => heard.push(`${channel}:${payload}`),
      onConnected: () => connections++,
      reconnectDelayMs: 20,
      maxReconnectDelayMs: 200,
    });
    listener.start();
    await waitFor(() => listener.connected(), { what: 'the first connection' });
  });

  after(async () => {
    await listener?.stop();
    await listener?.stop();
    await network?.close();
    await testDatabase?.drop();
  });

  const notify = (payload: string) =>
    testDatabase.database.query(`SELECT pg_notify('things_changed', $1)`, [payload]);

  const backends = async () =>
    (
      await testDatabase.database.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [testDatabase.name, applicationName],
      )
    ).rows.map((row) => row.pid);

  test('hears what is notified on its channel once the notifying transaction commits', async () => {
    assert.equal(connections, 1, 'told once that it is listening, to load everything');
    await testDatabase.database.transaction(async (transaction) => {
      await transaction.query(`SELECT pg_notify('things_changed', 'in a transaction')`);
      await transaction.query(`SELECT pg_notify('other_channel', 'not for it')`);
      assert.equal(heard.length, 0, 'nothing before the commit');
    });
    await notify('on its own');
    await waitFor(() => heard.length === 2, { what: 'both notifications' });
    assert.deepEqual(heard, ['things_changed:in a transaction', 'things_changed:on its own']);
  });

  test('reconnects after its backend is terminated, says so (reload everything), and hears again', async () => {
    const [killed] = await backends();
    assert.ok(killed);
    const before = connections;
    await testDatabase.database.query('SELECT pg_terminate_backend($1)', [killed]);
    await waitFor(() => connections === before + 1 && listener.connected(), {
      what: 'the listener to reconnect',
    });
    assert.notDeepEqual(await backends(), [killed]);
    await notify('after the reconnection');
    await waitFor(() => heard.at(-1) === 'things_changed:after the reconnection', {
      what: 'a notification on the new connection',
    });
  });

  test('keeps trying through a network cut, and on reconnecting says so, since what was sent meanwhile is lost', async () => {
    const before = connections;
    network.cut();
    await waitFor(() => !listener.connected(), { what: 'the cut to be noticed' });
    await notify('while nobody listened');
    const warned = await reconnectWarnings();
    await waitFor(async () => (await reconnectWarnings()) >= warned + 2, {
      what: 'attempts to reconnect failing while the network is down',
    });
    assert.equal(connections, before, 'a failed attempt does not count as connected');
    network.restore();
    await waitFor(() => connections === before + 1 && listener.connected(), {
      what: 'the listener to reconnect after the cut',
    });
    assert.ok(!heard.includes('things_changed:while nobody listened'));
  });

  test('stops for good: no connection is left and none is made again', async () => {
    await listener.stop();
    assert.equal(listener.connected(), false);
    await waitFor(async () => (await backends()).length === 0, { what: 'the session to end' });
  });
});
