import { NotFoundError } from '@repopulse/core';
import type { Request } from 'express';

const rowId = /^[1-9]\d{0,17}$/;

/** The `:id` of a route naming a table row; anything that cannot be one is simply not found. */
export function rowIdOf(request: Request, what: string): string {
  const id = String(request.params.id);
  if (!rowId.test(id)) throw new NotFoundError(`There is no ${what} ${id}`);
  return id;
}
