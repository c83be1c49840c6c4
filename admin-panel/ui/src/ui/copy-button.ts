import { h } from '@repopulse/web/elements.js';

/**
 * Copies `text()` to the clipboard. Where the Clipboard API is refused (an insecure origin, no
 * permission), it selects the field instead so the person can press Ctrl+C.
 */
export function copyButton(options: {
  label: string;
  text: () => string;
  field?: HTMLInputElement | HTMLTextAreaElement;
  announce: (message: string) => void;
}): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'copy' }, options.label);
  button.addEventListener('click', () => {
    const selectInstead = () => {
      options.field?.focus();
      options.field?.select();
      options.announce('Copying is not allowed here: the text is selected, press Ctrl+C to copy it');
    };
    if (!navigator.clipboard) {
      selectInstead();
      return;
    }
    navigator.clipboard.writeText(options.text()).then(() => {
      button.textContent = 'Copied';
      options.announce('Copied to the clipboard');
      setTimeout(() => (button.textContent = options.label), 2000);
    }, selectInstead);
  });
  return button;
}
