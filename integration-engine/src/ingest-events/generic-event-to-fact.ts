import type { GenericEvent } from '@repopulse/core';
import type { FactChange } from '../facts/apply-fact-change.js';

const pullRequestStates = {
  opened: 'open',
  reopened: 'open',
  closed: 'closed',
  merged: 'merged',
  edited: undefined,
} as const;

/** Maps one generic event (already schema-valid) onto the fact it changes. */
export function genericEventToFact(event: GenericEvent): FactChange {
  const at = event.occurredAt;
  switch (event.type) {
    case 'commit': {
      const { data } = event;
      return {
        kind: 'commit',
        fact: {
          sha: data.sha,
          authoredAt: data.authoredAt ?? at,
          committedAt: data.committedAt,
          authorName: data.author?.name,
          authorEmail: data.author?.email ?? event.actor?.email,
          authorLogin: data.author?.login ?? event.actor?.login,
          message: data.message,
          additions: data.additions,
          deletions: data.deletions,
          isMerge: (data.parents?.length ?? 0) > 1,
        },
      };
    }
    case 'pull_request': {
      const { data } = event;
      // A close that carries a merge time is a merge (GitHub reports merges as "closed" + merged_at).
      const state = event.action === 'closed' && data.mergedAt ? 'merged' : pullRequestStates[event.action];
      return {
        kind: 'pull_request',
        fact: {
          number: data.number,
          title: data.title,
          authorLogin: data.author?.login ?? (event.action === 'opened' ? event.actor?.login : undefined),
          createdAt: data.createdAt ?? (event.action === 'opened' ? at : undefined),
          mergedAt: data.mergedAt ?? (event.action === 'merged' ? at : undefined),
          closedAt: data.closedAt ?? (state === 'closed' || state === 'merged' ? at : undefined),
          state,
          eventAt: at,
        },
      };
    }
    case 'issue': {
      const { data } = event;
      const state = event.action === 'edited' ? undefined : event.action === 'closed' ? 'closed' : 'open';
      return {
        kind: 'issue',
        fact: {
          number: data.number,
          title: data.title,
          authorLogin: data.author?.login ?? (event.action === 'opened' ? event.actor?.login : undefined),
          createdAt: data.createdAt ?? (event.action === 'opened' ? at : undefined),
          closedAt: data.closedAt ?? (state === 'closed' ? at : undefined),
          state,
          eventAt: at,
        },
      };
    }
    case 'release':
      return {
        kind: 'release',
        fact: {
          tag: event.data.tag,
          name: event.data.name,
          publishedAt: event.data.publishedAt ?? at,
          deleted: event.action === 'deleted',
          eventAt: at,
        },
      };
    case 'star':
      return {
        kind: 'star',
        fact: { actorLogin: event.actor!.login!, starred: event.action === 'created', eventAt: at },
      };
    case 'fork':
      return {
        kind: 'fork',
        fact: {
          forkOwner: event.data.fork.owner,
          forkName: event.data.fork.name,
          actorLogin: event.actor?.login,
          forkedAt: at,
        },
      };
  }
}
