import { AdaptivePageSize, withAdaptivePageSize } from './adaptive-page-size.js';
import type { PageInfo } from './conversation-fields-query.js';

/** One page of a GraphQL connection as a query returned it, and what the request cost. */
export interface ConnectionPage<TNode> {
  nodes: Array<TNode | null> | null;
  pageInfo: PageInfo;
  cost: number;
}

/**
 * Every page of a GraphQL connection, in order. Each request asks for the sizer's current page size: a
 * page GitHub refuses as too heavy (RESOURCE_LIMITS_EXCEEDED, a 502 timeout) is asked again smaller, and
 * sizes grow back after successes. Stop early by leaving the `for await` loop.
 */
export async function* connectionPages<TNode>(options: {
  fetchPage: (first: number, after: string | null) => Promise<ConnectionPage<TNode>>;
  onCost: (cost: number) => void;
  sizer?: AdaptivePageSize;
  /** The cursor to start after; from the beginning when left out. */
  startAfter?: string;
  signal?: AbortSignal;
}): AsyncGenerator<TNode[]> {
  const sizer = options.sizer ?? new AdaptivePageSize();
  let after: string | null = options.startAfter ?? null;
  for (;;) {
    options.signal?.throwIfAborted();
    const cursor: string | null = after;
    const page: ConnectionPage<TNode> = await withAdaptivePageSize(sizer, (first) =>
      options.fetchPage(first, cursor),
    );
    options.onCost(page.cost);
    yield (page.nodes ?? []).filter((node): node is TNode => node !== null);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}
