/** One bad field of a 422, as the API names it: a JSON pointer such as `/schedule` and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * A failed API call: the problem+json document's status, title and detail, and for a 422 the fields it
 * names. Status 0 means the server could not be reached at all.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldErrors: readonly FieldError[] = [],
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
  }
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const { path, message } = value as Record<string, unknown>;
  return typeof path === 'string' && typeof message === 'string';
}

/** Reads a failed response: problem+json when the server sent it, else a plain description. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const fallbackTitle = response.statusText || `HTTP ${response.status}`;
  let problem: Record<string, unknown> = {};
  try {
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) problem = ((await response.json()) as Record<string, unknown>) ?? {};
  } catch {
    problem = {};
  }
  const title = typeof problem.title === 'string' ? problem.title : fallbackTitle;
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  const errors = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
  return new ApiError(response.status, title, detail, errors, problem);
}

/** Something fit to show a person for any error a page may catch. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
