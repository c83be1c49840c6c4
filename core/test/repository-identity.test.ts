import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { repositoryFromGitUrl } from '../src/index.js';

describe('repositoryFromGitUrl', () => {
  test('takes the host and the last two path segments without .git', () => {
    assert.deepEqual(repositoryFromGitUrl('https://gitlab.com/group/sub/tool.git'), {
      host: 'gitlab.com',
      owner: 'sub',
      name: 'tool',
    });
    assert.deepEqual(repositoryFromGitUrl('https://GitHub.com/Acme/Widgets'), {
      host: 'github.com',
      owner: 'Acme',
      name: 'Widgets',
    });
    assert.deepEqual(repositoryFromGitUrl('ssh://git@git.example.org:2222/team/app.git'), {
      host: 'git.example.org',
      owner: 'team',
      name: 'app',
    });
  });

  test('reads scp-like addresses', () => {
    assert.deepEqual(repositoryFromGitUrl('git@github.com:acme/widgets.git'), {
      host: 'github.com',
      owner: 'acme',
      name: 'widgets',
    });
  });

  test('names file paths and file URLs host local', () => {
    assert.deepEqual(repositoryFromGitUrl('/srv/git/acme/widgets.git'), {
      host: 'local',
      owner: 'acme',
      name: 'widgets',
    });
    assert.deepEqual(repositoryFromGitUrl('file:///tmp/x/acme/widgets'), {
      host: 'local',
      owner: 'acme',
      name: 'widgets',
    });
  });

  test('refuses what names no repository', () => {
    for (const text of [
      '',
      'widgets',
      'https://github.com/acme',
      'ftp://host/a/b',
      'https://host/a/b c',
      'not a url://x',
      '/one',
    ]) {
      assert.equal(repositoryFromGitUrl(text), undefined, text);
    }
  });
});
