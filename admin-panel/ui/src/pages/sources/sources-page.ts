import type { Source } from '../../api/admin-api-types.js';
import type { PageContext, PageDefinition } from '../../page.js';
import { h, replaceChildren } from '@repopulse/web/elements.js';
import { pageHeader, section } from '../../ui/page-header.js';
import { emptyState, errorState, loadingState } from '@repopulse/web/states.js';
import { crawlHostsSection } from './crawl-hosts-section.js';
import { openBigTechPresetDialog } from './big-tech-preset-dialog.js';
import { sourceAddForm } from './source-add-form.js';
import { sourceTable } from './source-table.js';

function renderSources(outlet: HTMLElement, context: PageContext): void {
  const { api, announce } = context;
  const list = h('div', {}, loadingState('sources'));
  const table = sourceTable(context, () => load());

  function load(): void {
    api.get<{ sources: Source[] }>('/sources').then(
      ({ sources }) => {
        table.update(sources);
        replaceChildren(
          list,
          sources.length > 0
            ? table.element
            : emptyState('No sources yet: add one above, or use the big-tech preset.'),
        );
      },
      (error: unknown) => replaceChildren(list, errorState(error, load)),
    );
  }

  const preset = h('button', { type: 'button' }, 'Track the big-tech organisations…');
  preset.addEventListener('click', () =>
    openBigTechPresetDialog({
      api,
      onDone: (added) => {
        announce(`${added} source${added === 1 ? '' : 's'} added`);
        load();
      },
    }),
  );
  const addForm = sourceAddForm({
    api,
    onAdded: (source) => {
      announce(`${source.target} added`);
      load();
    },
  });

  replaceChildren(
    outlet,
    pageHeader(
      'Sources',
      'What Repo Pulse tracks: GitHub organisations, users and repositories, and any git URL.',
      preset,
    ),
    section('Add a source', addForm),
    section('Sources', list),
    section('Crawl hosts suppliers may name', crawlHostsSection(context)),
  );
  load();
}

export const sourcesPage: PageDefinition = { path: 'sources', title: 'Sources', render: renderSources };
