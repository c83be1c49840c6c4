/** `owner/name`, as the read API names a repository. */
const repositoryPattern = /^[A-Za-z0-9._-]{1,100}\/[A-Za-z0-9._-]{1,100}$/;
export const minCompared = 2;
export const maxCompared = 5;

/** The repositories of `?repos=`, or what is wrong with them in words (checked before anything is sent). */
export function readSelection(text: string): { repositories: string[] } | { problem: string } {
  const repositories = [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
  const malformed = repositories.filter((entry) => !repositoryPattern.test(entry));
  if (malformed.length > 0) return { problem: `Name each repository as owner/name: ${malformed.join(', ')}` };
  if (repositories.length < minCompared || repositories.length > maxCompared) {
    return {
      problem: `Name ${minCompared} to ${maxCompared} repositories to compare (you named ${repositories.length}).`,
    };
  }
  return { repositories };
}
