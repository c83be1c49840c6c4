import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import {
  buildClientSchema,
  executeSync,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import type { FakeGithubState } from './fake-github-state.js';
import type { FakeRequestRecord } from './fake-github-types.js';
import { rateLimitHeaders, type Answer } from './http-answer.js';
import { analyseQuery } from './graphql-query-analysis.js';
import { queryRoot } from './graphql-root.js';
import { GithubTypedError, type View } from './graphql-views.js';
import { documentation } from './rest-shapes.js';

let githubSchema: GraphQLSchema | undefined;

/**
 * GitHub's published schema, from `@octokit/graphql-schema`. Its introspection JSON, not its SDL: the SDL
 * GitHub publishes defines some fields twice, which graphql-js refuses to build.
 */
export function loadGithubSchema(): GraphQLSchema {
  if (!githubSchema) {
    const file = new URL('./schema.json', import.meta.resolve('@octokit/graphql-schema'));
    const introspection = JSON.parse(readFileSync(file, 'utf8')) as {
      data?: IntrospectionQuery;
    } & IntrospectionQuery;
    githubSchema = buildClientSchema(introspection.data ?? introspection);
  }
  return githubSchema;
}

const fieldResolver =
  (state: FakeGithubState): GraphQLFieldResolver<unknown, unknown> =>
  (source, args, _context, info) => {
    const view = source as Record<string, unknown>;
    if (!(info.fieldName in view)) {
      const name = `${info.parentType.name}.${info.fieldName}`;
      state.unimplementedFields.add(name);
      throw new Error(
        `The fake GitHub server does not implement ${name} (test/support/fake-github/graphql-views.ts)`,
      );
    }
    const value = view[info.fieldName];
    return typeof value === 'function' ? (value as (args: unknown) => unknown)(args) : value;
  };

function formatError(error: GraphQLError): Record<string, unknown> {
  const type = error.originalError instanceof GithubTypedError ? error.originalError.type : undefined;
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.extensions && Object.keys(error.extensions).length > 0 ? { extensions: error.extensions } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

interface GraphqlRequest {
  text: string;
  token: string | null;
  record: FakeRequestRecord;
}

interface Document {
  query?: unknown;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * `POST /graphql`: validated against GitHub's schema (a document GitHub would refuse is refused and kept in
 * `state.invalidQueries`), charged like GitHub (`rateLimit.cost` on the token's graphql quota), then run
 * for real against views of the seeded state.
 */
export function answerGraphql(state: FakeGithubState, request: GraphqlRequest): Answer {
  if (request.token === null) {
    return {
      status: 401,
      cost: 0,
      body: {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url: documentation.graphqlAuthentication,
      },
    };
  }
  let body: Document;
  try {
    body = JSON.parse(request.text) as Document;
  } catch {
    return {
      status: 400,
      cost: 0,
      body: { message: 'Problems parsing JSON', documentation_url: documentation.notFound },
    };
  }
  const variables = body.variables ?? {};
  request.record.query = typeof body.query === 'string' ? body.query : undefined;
  request.record.variables = variables;
  const quota = state.quotaOf(request.token, 'graphql');
  const answer = (status: number, payload: unknown, cost = 0): Answer => ({
    status,
    cost,
    body: payload,
    headers: rateLimitHeaders(quota, 'graphql'),
  });
  const refuse = (errors: Record<string, unknown>[]): Answer => {
    state.invalidQueries.push({
      query: String(body.query),
      variables,
      errors: errors.map((error) => String(error.message)),
    });
    return answer(200, { errors });
  };

  if (typeof body.query !== 'string') {
    return refuse([{ message: 'A query attribute must be specified and must be a string.' }]);
  }
  const schema = loadGithubSchema();
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return refuse([formatError(error as GraphQLError)]);
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return refuse(validationErrors.map(formatError));
  const operation = getOperationAST(document, body.operationName ?? undefined);
  if (!operation) return refuse([{ message: 'An operation name is required' }]);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return refuse(coerced.errors.map(formatError));
  const analysis = analyseQuery(schema, document, operation, coerced.coerced);
  if (analysis.problems.length > 0) return refuse(analysis.problems.map((problem) => ({ ...problem })));

  if (state.resourceLimitAboveFirst !== null && analysis.largestPage > state.resourceLimitAboveFirst) {
    return answer(200, {
      data: null,
      errors: [{ type: 'RESOURCE_LIMITS_EXCEEDED', message: 'Resource limits for this query exceeded.' }],
    });
  }
  if (quota.remaining < analysis.cost) {
    const token = state.token(request.token);
    return answer(state.graphqlRateLimitStatus, {
      errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for user ID ${token.userId}.` }],
    });
  }
  quota.remaining -= analysis.cost;
  const root = queryRoot(state, state.token(request.token), {
    cost: analysis.cost,
    limit: quota.limit,
    remaining: quota.remaining,
    used: quota.limit - quota.remaining,
    resetAt: quota.resetAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    nodeCount: analysis.nodeCount,
  });
  const result = executeSync({
    schema,
    document,
    rootValue: root,
    variableValues: variables,
    operationName: body.operationName ?? undefined,
    fieldResolver: fieldResolver(state),
    typeResolver: (value) => (value as View).__typename,
  });
  return answer(
    200,
    { data: result.data ?? null, ...(result.errors ? { errors: result.errors.map(formatError) } : {}) },
    analysis.cost,
  );
}
