import {
  rateLimitSelection,
  repositoryMetadataFragment,
  type RepositoryMetadataNode,
} from './repository-metadata-query.js';

/**
 * Metadata of many repositories in one request: one alias per repository (`r0`, `r1`…), each with its
 * own variables, so names never enter the document's text. GitHub answers a missing repository with
 * `null` under its alias and a NOT_FOUND error whose path names that alias; the others are unaffected.
 */
export function repositoriesMetadataQuery(repositories: ReadonlyArray<{ owner: string; name: string }>): {
  query: string;
  variables: Record<string, string>;
} {
  const declarations: string[] = [];
  const selections: string[] = [];
  const variables: Record<string, string> = {};
  repositories.forEach((repository, index) => {
    declarations.push(`$o${index}: String!`, `$n${index}: String!`);
    selections.push(
      `  ${repositoryAlias(index)}: repository(owner: $o${index}, name: $n${index}) { ...RepositoryMetadataFields }`,
    );
    variables[`o${index}`] = repository.owner;
    variables[`n${index}`] = repository.name;
  });
  const query = `
query RepositoriesMetadata(${declarations.join(', ')}) {
  ${rateLimitSelection}
${selections.join('\n')}
}
${repositoryMetadataFragment}`;
  return { query, variables };
}

export function repositoryAlias(index: number): string {
  return `r${index}`;
}

/** The answer: one entry per alias, `null` for a repository GitHub could not resolve. */
export type RepositoriesMetadataAnswer = Record<string, RepositoryMetadataNode | null | undefined>;
