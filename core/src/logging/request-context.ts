import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What follows one piece of work across async calls: the id of the HTTP request or message being
 * handled, and the correlation id that ties an HTTP request to every queue message it caused.
 */
export interface WorkContext {
  requestId?: string;
  correlationId?: string;
  messageId?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

export function runWithContext<T>(context: WorkContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

export function currentContext(): WorkContext {
  return storage.getStore() ?? {};
}
