import type { FakeOwner, FakeRepository } from './fake-github-types.js';

/**
 * REST bodies with the field sets GitHub sends, copied from Octokit's recorded fixtures
 * (`@octokit/fixtures` scenarios `get-repository`, `get-organization`, `paginate-issues`). URLs point at
 * the fake server's base (`api`) and at github.com for html URLs, as the real ones do.
 */
export function ownerBody(api: string, owner: FakeOwner): Record<string, unknown> {
  const url = `${api}/users/${owner.login}`;
  return {
    login: owner.login,
    id: owner.databaseId,
    node_id: owner.nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${owner.databaseId}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${owner.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: owner.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `GET /users/{login}`: a user or an organisation, with its public counts. */
export function accountBody(api: string, owner: FakeOwner, publicRepos: number): Record<string, unknown> {
  return {
    ...ownerBody(api, owner),
    name: owner.name,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: owner.createdAt,
    updated_at: owner.createdAt,
  };
}

/** `GET /orgs/{org}`. */
export function organizationBody(
  api: string,
  owner: FakeOwner,
  publicRepos: number,
): Record<string, unknown> {
  const url = `${api}/orgs/${owner.login}`;
  return {
    login: owner.login,
    id: owner.databaseId,
    node_id: owner.nodeId,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${owner.databaseId}?v=4`,
    description: null,
    name: owner.name,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `https://github.com/${owner.login}`,
    created_at: owner.createdAt,
    updated_at: owner.createdAt,
    type: 'Organization',
  };
}

function licenseBody(api: string, repository: FakeRepository): Record<string, unknown> | null {
  const license = repository.license;
  if (!license) return null;
  return {
    key: license.key,
    name: license.name,
    spdx_id: license.spdxId,
    url: license.spdxId === 'NOASSERTION' ? null : `${api}/licenses/${license.key}`,
    node_id: `MDc6TGljZW5zZT${license.key}`,
  };
}

/** A repository as lists (`/orgs/{org}/repos`) and `GET /repos/{owner}/{repo}` show it. */
export function repositoryBody(api: string, repository: FakeRepository): Record<string, unknown> {
  const fullName = `${repository.owner.login}/${repository.name}`;
  const url = `${api}/repos/${fullName}`;
  const openIssues = repository.issues.filter((issue) => issue.closedAt === null).length;
  return {
    id: repository.databaseId,
    node_id: repository.nodeId,
    name: repository.name,
    full_name: fullName,
    private: repository.isPrivate,
    owner: ownerBody(api, repository.owner),
    html_url: repository.url,
    description: repository.description,
    fork: repository.isFork,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    created_at: repository.createdAt,
    updated_at: repository.updatedAt,
    pushed_at: repository.pushedAt,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: repository.cloneUrl,
    svn_url: repository.url,
    homepage: repository.homepageUrl,
    size: Object.values(repository.languages).reduce((sum, bytes) => sum + bytes, 0) >> 10,
    stargazers_count: repository.stars,
    // GitHub's legacy naming: `watchers_count` is the star count; subscribers are the real watchers.
    watchers_count: repository.stars,
    language: repository.primaryLanguage,
    has_issues: repository.hasIssues,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: repository.forks,
    mirror_url: null,
    archived: repository.archived,
    disabled: false,
    open_issues_count: openIssues,
    license: licenseBody(api, repository),
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: repository.topics,
    visibility: repository.isPrivate ? 'private' : 'public',
    forks: repository.forks,
    open_issues: openIssues,
    watchers: repository.stars,
    default_branch: repository.defaultBranch,
  };
}

/** `GET /repos/{owner}/{repo}` adds the network and subscriber counts and the organisation. */
export function fullRepositoryBody(api: string, repository: FakeRepository): Record<string, unknown> {
  return {
    ...repositoryBody(api, repository),
    ...(repository.owner.type === 'Organization' ? { organization: ownerBody(api, repository.owner) } : {}),
    network_count: repository.forks,
    subscribers_count: repository.watchers,
  };
}

export function tagBody(api: string, repository: FakeRepository, tag: { name: string; sha: string }) {
  const fullName = `${repository.owner.login}/${repository.name}`;
  return {
    name: tag.name,
    zipball_url: `${api}/repos/${fullName}/zipball/refs/tags/${tag.name}`,
    tarball_url: `${api}/repos/${fullName}/tarball/refs/tags/${tag.name}`,
    commit: { sha: tag.sha, url: `${api}/repos/${fullName}/commits/${tag.sha}` },
    node_id: `MDM6UmVm${Buffer.from(`${repository.databaseId}:refs/tags/${tag.name}`).toString('base64')}`,
  };
}

export const documentation = {
  rateLimit: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  secondaryRateLimit:
    'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  notFound: 'https://docs.github.com/rest',
  badCredentials: 'https://docs.github.com/rest',
  graphqlAuthentication:
    'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
};
