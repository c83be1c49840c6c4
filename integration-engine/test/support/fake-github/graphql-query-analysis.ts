import {
  getArgumentValues,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface PaginationProblem {
  type: 'MISSING_PAGINATION_BOUNDARIES' | 'EXCESSIVE_PAGINATION';
  message: string;
  path: string[];
}

export interface QueryAnalysis {
  /** GitHub's points: the requests every connection needs (parents' page sizes multiplied), / 100, at least 1. */
  cost: number;
  /** The most nodes the query may return. */
  nodeCount: number;
  /** The largest `first`/`last` asked of any connection. */
  largestPage: number;
  problems: PaginationProblem[];
}

function selectsNodes(selectionSet: SelectionSetNode | undefined): boolean {
  return (selectionSet?.selections ?? []).some(
    (selection) =>
      (selection.kind === Kind.FIELD &&
        (selection.name.value === 'nodes' || selection.name.value === 'edges')) ||
      (selection.kind === Kind.INLINE_FRAGMENT && selectsNodes(selection.selectionSet)) ||
      selection.kind === Kind.FRAGMENT_SPREAD,
  );
}

/**
 * Walks a validated operation as GitHub's rate limiter does (docs: "Calculating a rate limit score"), and
 * finds the pagination GitHub refuses: a connection whose nodes are read without `first`/`last`, or a
 * page over 100.
 */
export function analyseQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): QueryAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const analysis: QueryAnalysis = { cost: 0, nodeCount: 0, largestPage: 0, problems: [] };
  let requests = 0;

  function walk(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    multiplier: number,
    path: string[],
  ) {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) walk(selection.selectionSet, type, multiplier, path);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type) walk(fragment.selectionSet, type, multiplier, path);
        continue;
      }
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const type = getNamedType(field.type);
      const key = selection.alias?.value ?? selection.name.value;
      let childMultiplier = multiplier;
      const isConnection = field.args.some((arg) => arg.name === 'first') && type.name.endsWith('Connection');
      if (isConnection) {
        const args = getArgumentValues(field, selection, variables) as { first?: number; last?: number };
        const size = args.first ?? args.last;
        requests += multiplier;
        if (size === undefined || size === null) {
          if (selectsNodes(selection.selectionSet)) {
            analysis.problems.push({
              type: 'MISSING_PAGINATION_BOUNDARIES',
              message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${selection.name.value}\` connection.`,
              path: [...path, key],
            });
          }
          childMultiplier = 0;
        } else {
          if (size > 100 || size < 0) {
            analysis.problems.push({
              type: 'EXCESSIVE_PAGINATION',
              message: `Requesting ${size} records on the \`${selection.name.value}\` connection exceeds the \`${args.first === undefined ? 'last' : 'first'}\` limit of 100 records.`,
              path: [...path, key],
            });
          }
          analysis.largestPage = Math.max(analysis.largestPage, size);
          analysis.nodeCount += multiplier * size;
          childMultiplier = multiplier * size;
        }
      }
      if (selection.selectionSet) walk(selection.selectionSet, type, childMultiplier, [...path, key]);
    }
  }

  const root = operation.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  if (root) walk(operation.selectionSet, root, 1, []);
  analysis.cost = Math.max(1, Math.round(requests / 100));
  return analysis;
}
