import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.test-results/**', '**/dist-ui/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only core/src/config reads process.env.' },
      ],
    },
  },
  {
    // The admin and client UIs, and the building blocks they share (core/web), run in the browser.
    files: ['admin-panel/ui/src/**', 'client-panel/ui/src/**', 'core/web/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['core/src/config/**', 'core/src/testing/**', 'scripts/**', '**/test/**', 'bench/**', 'e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
