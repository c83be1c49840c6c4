import { copyButton } from '../../ui/copy-button.js';
import { h, uniqueId } from '@repopulse/web/elements.js';

/** A key just created: shown this once, with a copy button, until dismissed. */
export function newKeyPanel(options: {
  name: string;
  key: string;
  announce: (message: string) => void;
  onDismiss: () => void;
}): HTMLElement {
  const id = uniqueId('new-key');
  const input = h('input', { id, type: 'text', readonly: true, class: 'mono', spellcheck: 'false' });
  input.value = options.key;
  const dismiss = h('button', { type: 'button' }, 'I have copied it');
  const panel = h(
    'div',
    { class: 'new-key notice warning', role: 'region', 'aria-label': 'New API key' },
    h(
      'p',
      {},
      h('strong', {}, `The key “${options.name}” was created.`),
      ' Copy it now: it is shown only this once.',
    ),
    h('label', { for: id }, 'API key'),
    h(
      'div',
      { class: 'copy-row' },
      input,
      copyButton({ label: 'Copy key', text: () => options.key, field: input, announce: options.announce }),
    ),
    h(
      'p',
      { class: 'hint' },
      'Send it as ',
      h('code', {}, 'Authorization: Bearer <key>'),
      ' or ',
      h('code', {}, 'X-API-Key: <key>'),
      '.',
    ),
    dismiss,
  );
  dismiss.addEventListener('click', () => {
    panel.remove();
    options.onDismiss();
  });
  return panel;
}
