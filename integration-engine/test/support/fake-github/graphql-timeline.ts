import type { FakeActor, FakeIssue, FakePullRequest } from './fake-github-types.js';
import { connection, type ConnectionArguments } from './graphql-connection.js';
import { actorView, type View } from './graphql-views.js';

interface TimelineArguments extends ConnectionArguments {
  itemTypes?: string[] | null;
  since?: string | null;
}

interface FakeClosedEvent {
  actor: FakeActor | null;
  createdAt: string;
  key: string;
}

/**
 * `timelineItems` of an issue or pull request, with the one kind of item the fake knows: the
 * `ClosedEvent` of its current close (by `closedBy`; for a merge, by whoever merged, as GitHub records a
 * close next to the merge). Asking for other item types gives an empty page.
 */
export function timelineItemsConnection(
  item: FakeIssue | FakePullRequest,
  args: TimelineArguments,
): Record<string, unknown> {
  const wanted = !args.itemTypes || args.itemTypes.includes('CLOSED_EVENT');
  const since = args.since ? Date.parse(args.since) : null;
  const events = closedEvents(item).filter(
    (event) => wanted && (since === null || Date.parse(event.createdAt) >= since),
  );
  return connection(events, args, {
    keyOf: (event) => event.key,
    node: (event): View => ({
      __typename: 'ClosedEvent',
      id: `CE_${Buffer.from(event.key).toString('base64url')}`,
      actor: actorView(event.actor),
      createdAt: event.createdAt,
      stateReason: 'stateReason' in item ? item.stateReason : null,
      resourcePath: '',
      url: '',
    }),
  });
}

function closedEvents(item: FakeIssue | FakePullRequest): FakeClosedEvent[] {
  if (!item.closedAt) return [];
  const mergedBy = 'mergedBy' in item && item.mergedAt ? item.mergedBy : undefined;
  return [{ actor: mergedBy ?? item.closedBy, createdAt: item.closedAt, key: `${item.nodeId}:closed` }];
}
