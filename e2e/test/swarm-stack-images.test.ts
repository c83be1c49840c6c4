import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { moduleOfImage, readRepositoryFile, readStack } from './swarm-stack-files.js';

const stack = readStack();
const dockerfile = readRepositoryFile('swarm', 'Dockerfile');

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** The instructions of each stage, by stage name. */
function stages(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = [line];
      byName.set(from[2] ?? `stage-${byName.size}`, current);
    } else current.push(line);
  }
  return byName;
}

const allStages = stages();
const runtime = [...allStages.values()].at(-1)!;

describe('swarm/Dockerfile', () => {
  test('is multi-stage on the official Node 20 image', () => {
    assert.ok(allStages.size >= 2, 'a single stage ships the build tools');
    const baseArg = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    assert.match(baseArg ?? '', /^node:20(\.\d+)*-(bookworm|bullseye)-slim$/);
    for (const [name, stage] of allStages) {
      assert.match(stage[0]!, /^FROM (\$\{NODE_IMAGE\}|build)( AS \S+)?$/, `stage ${name} is not on Node 20`);
    }
  });

  test('builds with every dependency, then installs the production dependencies of one module only', () => {
    const build = allStages.get('build')!;
    assert.ok(build.some((line) => /^RUN npm ci\b/.test(line)));
    assert.ok(build.some((line) => /^RUN npm run build\b/.test(line)));
    const install = runtime.find((line) => /^RUN npm ci\b/.test(line));
    assert.ok(install, 'the runtime stage installs no dependencies');
    assert.match(install, /--omit=dev/);
    assert.match(install, /--workspace "\$\{MODULE\}"/);
  });

  test('ships only built code, migrations, package files and the panels’ built UIs into the runtime image', () => {
    const copies = runtime.filter((line) => line.startsWith('COPY'));
    for (const copy of copies) {
      assert.match(
        copy,
        /^COPY (package\.json package-lock\.json|--from=(build \/app\/[\w-]+\/package\.json|module-files \/out\/))/,
        copy,
      );
    }
    const gathered = allStages.get('module-files')!.join('\n');
    assert.match(gathered, /cp -R core\/dist core\/migrations core\/package\.json/);
    assert.match(gathered, /cp -R "\$\{MODULE\}\/dist" "\$\{MODULE\}\/package\.json"/);
    assert.match(gathered, /dist-ui/);
    assert.match(gathered, /core\/dist\/bin\/migrate\.js/);
  });

  test('runs as the unprivileged node user under an init, with a HEALTHCHECK on /health', () => {
    const users = runtime.filter((line) => line.startsWith('USER'));
    assert.deepEqual(users, ['USER node']);
    const healthcheck = runtime.find((line) => line.startsWith('HEALTHCHECK'));
    assert.ok(healthcheck, 'no HEALTHCHECK');
    assert.match(healthcheck, /fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/health'\)/);
    assert.ok(runtime.includes('ENTRYPOINT ["/usr/bin/tini", "--"]'));
  });
});

describe('.dockerignore and swarm/build-images.sh', () => {
  test('the build context leaves out what was installed or built here', () => {
    const ignored = readRepositoryFile('.dockerignore').split('\n');
    for (const entry of ['.git', '**/node_modules', '**/dist', '**/dist-ui', '**/*.tsbuildinfo', 'data']) {
      assert.ok(ignored.includes(entry), `.dockerignore lacks ${entry}`);
    }
  });

  test('build-images.sh builds every image the stack deploys, with the port each service listens on', () => {
    const script = readRepositoryFile('swarm', 'build-images.sh');
    const built = new Map(
      [...script.matchAll(/^\s+"([\w-]+) ([\w-]+) (\d*)"$/gm)].map((match) => [match[1]!, match.slice(2)]),
    );
    for (const service of Object.values(stack.services)) {
      const module = moduleOfImage(service.image);
      if (module === undefined) continue;
      const image = /\/([\w-]+):/.exec(service.image)![1]!;
      assert.ok(built.has(image), `build-images.sh does not build ${image}`);
      const [builtModule, port] = built.get(image)!;
      assert.equal(builtModule, module, image);
      assert.equal(port ?? '', service.environment?.PORT ?? '', `${image} is built for another port`);
    }
  });
});
