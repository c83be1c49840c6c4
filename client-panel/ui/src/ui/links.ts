import { h } from '@repopulse/web/elements.js';

export function repositoryPath(owner: string, name: string): string {
  return `/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

export function organizationPath(owner: string): string {
  return `/organizations/${encodeURIComponent(owner)}`;
}

export function repositoryLink(owner: string, name: string, text = `${owner}/${name}`): HTMLAnchorElement {
  return h('a', { href: repositoryPath(owner, name) }, text);
}

export function organizationLink(owner: string): HTMLAnchorElement {
  return h('a', { href: organizationPath(owner) }, owner);
}
