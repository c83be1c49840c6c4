import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  isJob,
  moduleOfImage,
  namedVolumesOf,
  networksOf,
  readRepositoryFile,
  readStack,
  repositoryRoot,
  type PortConfig,
  type Service,
} from './swarm-stack-files.js';

const stack = readStack();
const services = Object.entries(stack.services);
const longRunning = services.filter(([, service]) => !isJob(service));
const ourModules = services.filter(([, service]) => moduleOfImage(service.image) !== undefined);
const serviceModules = [
  'input-gateway',
  'output-gateway',
  'admin-panel',
  'client-panel',
  'integration-engine',
  'cron',
  'permission-proxy',
];

function portsOf(service: Service): PortConfig[] {
  return (service.ports ?? []).map((port) =>
    typeof port === 'string' ? { target: Number(port.split(':').pop()), mode: 'ingress' } : port,
  );
}

/** A service keeps state on a volume: a cache (`*-cache`) is no state, it is rebuilt when lost. */
function ownsState(service: Service): boolean {
  return namedVolumesOf(service, stack).some((volume) => !volume.endsWith('-cache'));
}

function bindsHostPorts(service: Service): boolean {
  return portsOf(service).some((port) => port.mode === 'host');
}

describe('swarm/stack.yml: what reaches the outside', () => {
  test('only Traefik publishes ports, and only 80 and 443', () => {
    const publishing = services.filter(([, service]) => portsOf(service).length > 0).map(([name]) => name);
    assert.deepEqual(publishing, ['traefik']);
    const published = portsOf(stack.services.traefik!).map((port) => port.published);
    assert.deepEqual(published.sort(), [443, 80]);
  });

  test('only the permission proxy opts into Traefik, on the HTTPS entrypoint and its own port', () => {
    const routed = services
      .filter(([, service]) => service.deploy?.labels?.['traefik.enable'] === 'true')
      .map(([name]) => name);
    assert.deepEqual(routed, ['permission-proxy']);
    const labels = stack.services['permission-proxy']!.deploy!.labels!;
    const routerKeys = Object.keys(labels).filter((key) => key.startsWith('traefik.http.routers.'));
    const routers = new Set(routerKeys.map((key) => key.split('.')[3]));
    assert.deepEqual([...routers], ['permission-proxy', 'permission-proxy-webhooks']);
    for (const router of routers) {
      assert.equal(labels[`traefik.http.routers.${router}.entrypoints`], 'websecure', router);
      assert.equal(labels[`traefik.http.routers.${router}.tls`], 'true', router);
      assert.equal(labels[`traefik.http.routers.${router}.service`], 'permission-proxy', router);
    }
    assert.equal(labels['traefik.http.services.permission-proxy.loadbalancer.server.port'], '8080');
    assert.equal(labels['traefik.swarm.network'], stack.networks.public!.name);
  });

  test('no service carries Traefik labels anywhere but the permission proxy’s deploy labels', () => {
    for (const [name, service] of services) {
      const containerLabels = Array.isArray(service.labels)
        ? service.labels
        : Object.keys(service.labels ?? {});
      assert.ok(
        !containerLabels.some((label) => label.startsWith('traefik.')),
        `${name} has container labels`,
      );
      if (name === 'permission-proxy') continue;
      const deployLabels = Object.keys(service.deploy?.labels ?? {});
      assert.ok(!deployLabels.some((label) => label.startsWith('traefik.')), `${name} has Traefik labels`);
    }
  });

  test('the public network holds Traefik and the permission proxy only; everything else is internal', () => {
    const onPublic = services
      .filter(([, service]) => networksOf(service).includes('public'))
      .map(([name]) => name);
    assert.deepEqual(onPublic.sort(), ['permission-proxy', 'traefik']);
    assert.deepEqual(networksOf(stack.services.traefik!), ['public']);
    for (const [name, service] of services) {
      if (name === 'traefik') continue;
      assert.ok(networksOf(service).includes('internal'), `${name} is not on the internal network`);
      for (const network of networksOf(service)) assert.ok(network in stack.networks, `${name}: ${network}`);
    }
  });

  test('both networks are encrypted overlays', () => {
    assert.deepEqual(Object.keys(stack.networks).sort(), ['internal', 'public']);
    for (const [name, network] of Object.entries(stack.networks)) {
      assert.equal(network.driver, 'overlay', name);
      assert.equal(network.driver_opts?.encrypted, 'true', `${name} is not encrypted`);
    }
  });
});

describe('swarm/stack.yml: every service', () => {
  test('every Repo Pulse module runs as a service of its own image', () => {
    const deployed = ourModules.map(([, service]) => moduleOfImage(service.image));
    for (const module of serviceModules) assert.ok(deployed.includes(module), `${module} is not deployed`);
    for (const [name, service] of ourModules) {
      const module = moduleOfImage(service.image)!;
      if (module !== 'core') assert.equal(name, module, `service ${name} runs ${module}'s image`);
    }
  });

  test('every long-running service has a health check; our modules check their own /health on PORT', () => {
    for (const [name, service] of longRunning) {
      const check = service.healthcheck;
      assert.ok(check && !check.disable && (check.test?.length ?? 0) > 1, `${name} has no health check`);
      if (moduleOfImage(service.image) === undefined) continue;
      assert.match(check.test!.join(' '), /127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health/, name);
      assert.match(service.environment?.PORT ?? '', /^\d+$/, `${name} sets no PORT`);
    }
  });

  test('stateless services update start-first; those holding state or host ports stop-first; all roll back', () => {
    for (const [name, service] of longRunning) {
      const expected = ownsState(service) || bindsHostPorts(service) ? 'stop-first' : 'start-first';
      assert.equal(service.deploy?.update_config?.order, expected, `${name} updates ${expected}`);
      assert.equal(
        service.deploy?.update_config?.failure_action,
        'rollback',
        `${name} rolls back on failure`,
      );
      assert.equal(service.deploy?.rollback_config?.order, expected, `${name} rolls back ${expected}`);
    }
  });

  test('every module of ours is stateless, so all of them update start-first', () => {
    for (const [name, service] of ourModules.filter(([, service]) => !isJob(service))) {
      assert.equal(service.deploy?.update_config?.order, 'start-first', name);
    }
  });

  test('the stateless modules run at least two replicas', () => {
    for (const [name, service] of ourModules.filter(([, service]) => !isJob(service))) {
      assert.ok((service.deploy?.replicas ?? 1) >= 2, `${name} runs ${service.deploy?.replicas ?? 1}`);
    }
  });

  test('every service is placed by a node role label and has CPU and memory limits', () => {
    for (const [name, service] of services) {
      const constraints = service.deploy?.placement?.constraints ?? [];
      const roles = constraints.map((constraint) => /^node\.labels\.role == (\w+)$/.exec(constraint)?.[1]);
      const role = roles.find((found) => found !== undefined);
      assert.ok(role && ['edge', 'compute', 'db', 'ops'].includes(role), `${name} has no node role`);
      assert.ok(service.deploy?.resources?.limits?.cpus, `${name} has no CPU limit`);
      assert.ok(service.deploy?.resources?.limits?.memory, `${name} has no memory limit`);
    }
  });

  test('a service holding state runs one task pinned to the node that has its volume', () => {
    for (const [name, service] of longRunning.filter(([, service]) => ownsState(service))) {
      // A global service has one task per node, each with that node's volume (Traefik's certificates).
      if (service.deploy?.mode === 'global') continue;
      const constraints = service.deploy?.placement?.constraints ?? [];
      const pinned = constraints.some((constraint) =>
        /^node\.labels\.(?!role ==)\w+ == \w+$/.test(constraint),
      );
      assert.ok(pinned, `${name} may move away from its data`);
      assert.equal(service.deploy?.replicas, 1, `${name}: two tasks would share one data directory`);
    }
  });
});

describe('swarm/stack.yml: data services', () => {
  test('the migration job runs core’s migrate command once, retrying only on failure', () => {
    const jobs = services.filter(([, service]) => isJob(service));
    assert.deepEqual(
      jobs.map(([name]) => name),
      ['migrate'],
    );
    const migrate = stack.services.migrate!;
    assert.equal(moduleOfImage(migrate.image), 'core');
    assert.deepEqual(migrate.command, ['node', 'core/dist/bin/migrate.js']);
    assert.ok(
      existsSync(join(repositoryRoot, 'core', 'src', 'bin', 'migrate.ts')),
      'core/src/bin/migrate.ts',
    );
    assert.equal(migrate.deploy?.mode, 'replicated-job');
    assert.equal(migrate.deploy?.restart_policy?.condition, 'on-failure');
  });

  test('PostgreSQL runs as a primary and a streaming replica behind a pooler', () => {
    const replicaEntrypoint = readRepositoryFile('swarm', 'postgres', 'replica-entrypoint.sh');
    assert.match(replicaEntrypoint, /pg_basebackup --host postgres-primary .*--write-recovery-conf/s);
    assert.match(
      readRepositoryFile('swarm', 'postgres', 'primary-init.sh'),
      /pg_create_physical_replication_slot/,
    );
    assert.match(stack.services['postgres-primary']!.command!.join(' '), /wal_level=replica/);
    const pooler = readRepositoryFile('swarm', 'pgbouncer', 'pgbouncer.ini');
    assert.match(pooler, /^repopulse = host=postgres-replica port=5432/m);
    assert.match(pooler, /^pool_mode = transaction$/m);
  });

  test('RabbitMQ runs three clustered nodes whose queues default to quorum queues', () => {
    const nodes = services
      .filter(([, service]) => service.image.startsWith('rabbitmq:'))
      .map(([name]) => name);
    assert.deepEqual(nodes, ['rabbitmq-1', 'rabbitmq-2', 'rabbitmq-3']);
    const config = readRepositoryFile('swarm', 'rabbitmq', 'rabbitmq.conf');
    assert.match(config, /^default_queue_type = quorum$/m);
    for (const node of nodes) assert.match(config, new RegExp(`= rabbit@${node}$`, 'm'));
    assert.match(readRepositoryFile('core', 'src', 'queue', 'topology.ts'), /'x-queue-type': 'quorum'/);
  });

  test('every file behind a Docker config exists', () => {
    for (const [name, config] of Object.entries(stack.configs)) {
      assert.ok(config.file, `${name} has no file`);
      assert.ok(existsSync(join(repositoryRoot, 'swarm', config.file)), `${name}: ${config.file}`);
    }
  });
});
