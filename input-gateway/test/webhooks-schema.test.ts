import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { SchemaViolationError } from '@repopulse/core';
import { deriveWebhookSchema } from '../src/webhooks/github-webhook-schema.js';
import { loadPublishedWebhookSchema } from '../src/webhooks/published-webhook-schema.js';
import {
  createGithubWebhookValidators,
  processedWebhookEvents,
  type GithubWebhookValidators,
} from '../src/webhooks/index.js';
import { githubExamples } from './webhook-deliveries.js';

function firstExample(event: string, action?: string): Record<string, unknown> {
  const example = githubExamples([event]).find(
    (candidate) => action === undefined || candidate.payload.action === action,
  );
  return structuredClone(example!.payload);
}

function violationPaths(validators: GithubWebhookValidators, event: string, body: unknown): string[] {
  try {
    validators.validate(event, body as Record<string, unknown>);
  } catch (error) {
    assert.ok(error instanceof SchemaViolationError);
    return error.violations.map((violation) => violation.path);
  }
  return [];
}

describe('GitHub webhook schemas derived from the published ones', () => {
  let validators: GithubWebhookValidators;

  before(() => {
    validators = createGithubWebhookValidators();
  });

  test('compiles a validator for each processed event type once, in a fraction of the whole schema’s time', (context) => {
    context.diagnostic(
      `derived and compiled ${Object.keys(processedWebhookEvents).length} event types in ${validators.compileMs} ms`,
    );
    for (const event of Object.keys(processedWebhookEvents))
      assert.equal(validators.processes(event), true, event);
    assert.equal(validators.processes('ping'), false);
    assert.equal(validators.processes('workflow_run'), false);
    assert.ok(validators.knownEvents.has('workflow_run'));
  });

  test('accepts every example GitHub published for those types, old and new', () => {
    const examples = githubExamples(Object.keys(processedWebhookEvents));
    const refused = examples.filter(
      (example) => violationPaths(validators, example.event, example.payload).length > 0,
    );
    assert.deepEqual(
      refused.map((example) => example.label),
      [],
    );
  });

  test('tolerates drift: unlisted properties, null for a value, missing optional fields, a new action', () => {
    const release = firstExample('release', 'published');
    Object.assign(release.release as object, { name: null, a_field_from_the_future: { nested: true } });
    delete (release.repository as Record<string, unknown>).is_template;
    assert.deepEqual(violationPaths(validators, 'release', release), []);
    const issue = { ...firstExample('issues', 'opened'), action: 'an_action_added_later' };
    assert.deepEqual(violationPaths(validators, 'issues', issue), []);
  });

  test('still checks the types of what is present, by the schema of the action', () => {
    const opened = firstExample('issues', 'opened');
    (opened.issue as Record<string, unknown>).title = 42;
    assert.ok(violationPaths(validators, 'issues', opened).includes('/issue/title'));
    const push = firstExample('push');
    (push.repository as Record<string, unknown>).full_name = ['not', 'a', 'name'];
    (push.pusher as Record<string, unknown>).name = false;
    const paths = violationPaths(validators, 'push', push);
    assert.ok(paths.includes('/repository/full_name'), paths.join());
    assert.ok(paths.includes('/pusher/name'), paths.join());
  });

  test('requires what the engine reads: a push without commits or repository, a pull request without its number', () => {
    const push = firstExample('push');
    delete push.commits;
    delete push.repository;
    assert.deepEqual(violationPaths(validators, 'push', push).sort(), ['/commits', '/repository']);
    const pullRequest = firstExample('pull_request', 'opened');
    delete (pullRequest.pull_request as Record<string, unknown>).number;
    assert.ok(violationPaths(validators, 'pull_request', pullRequest).includes('/pull_request/number'));
    const nullNumber = { ...firstExample('pull_request', 'closed'), number: null };
    assert.ok(
      violationPaths(validators, 'pull_request', nullNumber).includes('/number'),
      'null is no number the engine can read',
    );
  });

  test('keeps none of the strictness that drift breaks', () => {
    const derived = deriveWebhookSchema(loadPublishedWebhookSchema(), processedWebhookEvents);
    const published = Object.entries(derived.$defs as object).filter(([name]) => !name.endsWith('-delivery'));
    const definitions = JSON.stringify(published);
    assert.doesNotMatch(definitions, /"additionalProperties":false/);
    assert.doesNotMatch(definitions, /"required":\[/, 'only the engine’s requirements are required');
    assert.doesNotMatch(
      definitions,
      /"oneOf"|"enum"|"const"|"\$schema"|"tsAdditionalProperties"|#\/definitions\//,
    );
  });
});
