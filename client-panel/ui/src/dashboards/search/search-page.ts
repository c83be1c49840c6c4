import type { RepositoryList, RepositoryListItem } from '../../api/read-api-types.js';
import { exportButtons } from '../../export/export-buttons.js';
import { h, uniqueId } from '@repopulse/web/elements.js';
import { filterForm } from '../../ui/filter-form.js';
import { formatNumber, formatScore } from '../../ui/format.js';
import { organizationLink, repositoryLink } from '../../ui/links.js';
import { pageHeader, panel } from '../../ui/page-header.js';
import { emptyState } from '@repopulse/web/states.js';
import { dataTable } from '../../ui/tables.js';
import { maxCompared, minCompared } from '../compare/compare-selection.js';
import type { Dashboard, DashboardContext } from '../dashboard.js';
import { showWhenLoaded } from '../show-when-loaded.js';

const pageSize = 50;

/**
 * `/search?q=`: repositories whose owner, name or description holds the text (GET /v1/repositories?q=),
 * and the organisations among their owners whose name holds it. Rows can be picked for a comparison.
 */
export const searchPage: Dashboard = {
  render(main, context) {
    let q = context.route.query.get('q')?.trim() ?? '';
    const body = h('div', { class: 'dashboard-body' });
    const listQuery = () => ({ q, sort: 'stars', limit: pageSize });
    const load = () => {
      context.setTitle(q ? `Search: ${q}` : 'Search');
      if (!q) {
        body.replaceChildren(
          emptyState('Type part of an organisation’s or a repository’s name, or a word of its description.'),
        );
        context.setState('empty');
        return;
      }
      showWhenLoaded(body, context, {
        what: `repositories matching “${q}”`,
        load: () => context.api.get<RepositoryList>('/repositories', listQuery()),
        empty: (list) =>
          list.items.length === 0 ? `No repository or organisation matches “${q}”.` : undefined,
        draw: (target, list) => {
          // The API's own CSV of the same list (same filters, sort and limit).
          const csv = () => context.api.getText('/repositories', { ...listQuery(), format: 'csv' });
          target.append(organizationsPanel(list.items, q), repositoriesPanel(list, q, csv, context));
          return [];
        },
      });
    };
    main.append(
      pageHeader('Search', 'Repositories and organisations by name or description.'),
      filterForm({
        label: 'Search',
        submitLabel: 'Search',
        fields: [
          {
            kind: 'text',
            name: 'q',
            label: 'Name or description contains',
            value: q,
            placeholder: 'owner or repository',
          },
        ],
        onApply: (values) => {
          q = values.q ?? '';
          context.record('/search', { q }, { push: true });
          load();
        },
      }),
      body,
    );
    load();
  },
};

function organizationsPanel(items: readonly RepositoryListItem[], q: string): HTMLElement {
  const counts = new Map<string, number>();
  for (const item of items) {
    if (item.owner.toLowerCase().includes(q.toLowerCase()))
      counts.set(item.owner, (counts.get(item.owner) ?? 0) + 1);
  }
  const owners = [...counts.entries()].map(([owner, repositories]) => ({ owner, repositories }));
  return panel(
    { key: 'organizations', title: 'Organisations' },
    owners.length === 0
      ? h('p', { class: 'muted' }, `No organisation’s name holds “${q}”.`)
      : dataTable({
          name: 'organizations',
          caption: `Organisations whose name holds “${q}”`,
          rows: owners,
          columns: [
            { header: 'Organisation', cell: (row) => organizationLink(row.owner), rowHeader: true },
            { header: 'Matching repositories', cell: (row) => formatNumber(row.repositories), numeric: true },
          ],
        }),
  );
}

function repositoriesPanel(
  list: RepositoryList,
  q: string,
  csv: () => Promise<string>,
  context: DashboardContext,
): HTMLElement {
  const picked = new Set<string>();
  const compareButton = h('button', { type: 'button', disabled: true }, 'Compare selected');
  const updateButton = () => {
    compareButton.textContent = `Compare selected (${picked.size})`;
    compareButton.disabled = picked.size < minCompared || picked.size > maxCompared;
  };
  compareButton.addEventListener('click', () => context.navigate(`/compare?repos=${[...picked].join(',')}`));
  const pick = (item: RepositoryListItem) => {
    const id = uniqueId('pick');
    const name = `${item.owner}/${item.name}`;
    const box = h('input', { id, type: 'checkbox', 'aria-label': `Select ${name} for comparison` });
    box.addEventListener('change', () => {
      if (box.checked) picked.add(name);
      else picked.delete(name);
      updateButton();
    });
    return box;
  };
  return panel(
    {
      key: 'repositories',
      title: 'Repositories',
      actions: exportButtons({ title: 'Repositories', stem: ['search', q], csv, announce: context.announce }),
    },
    dataTable({
      name: 'repositories',
      caption: `Repositories matching “${q}”, most stars first${list.next ? ` (the first ${list.items.length})` : ''}`,
      rows: list.items,
      columns: [
        { header: 'Compare', cell: pick },
        { header: 'Repository', cell: (row) => repositoryLink(row.owner, row.name), rowHeader: true },
        { header: 'Organisation', cell: (row) => organizationLink(row.owner) },
        { header: 'Language', cell: (row) => row.language ?? '—' },
        { header: 'Stars', cell: (row) => formatNumber(row.stars), numeric: true },
        { header: 'Health', cell: (row) => formatScore(row.healthScore), numeric: true },
        { header: 'Commits (90 days)', cell: (row) => formatNumber(row.velocity), numeric: true },
        { header: 'Description', cell: (row) => row.description ?? '' },
      ],
    }),
    h(
      'div',
      { class: 'form-buttons' },
      compareButton,
      h('span', { class: 'muted small' }, `Pick ${minCompared} to ${maxCompared}.`),
    ),
  );
}
