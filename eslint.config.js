import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/*/src/*', '!**/libs/*/src/index.js'],
              message: 'Import a lib through @portcullis/<lib>, never its files.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and the database bootstrap of the test run may reach a lib file directly.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
