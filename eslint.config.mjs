// ESLint: typescript-eslint's type-aware recommended rules over every TypeScript source;
// formatting is Prettier's job (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'test/consumer-project/**', 'src/spec/publications-api.generated.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Heavy modules (AJV's compiler, faker, image encoders) are required where first needed, not at start-up:
      // start to first answer is a measured target.
      '@typescript-eslint/no-require-imports': 'off',
      // The store, writer and tools are objects of closures passed around by their verbs (`const { get } = store`);
      // none of them reads `this`, so the rule only flags the house pattern.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests read response bodies (supertest's `body` is `any`) and assert on them: typing every body adds
    // nothing the assertion does not already check.
    files: ['**/*.test.ts', 'test/**/*.ts', 'contract-tests/test-support/**/*.ts'],
    rules: {
      // The test doubles answer by throwing the HTTP answer they mean.
      '@typescript-eslint/only-throw-error': 'off',
      // Test doubles implement async interfaces with values they have at hand.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The pages' scripts run in the browser.
    files: ['src/tools/dashboard/**/*.js', 'src/tools/docs/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        EventSource: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        history: 'readonly',
        Blob: 'readonly',
        FileReader: 'readonly',
        confirm: 'readonly',
        alert: 'readonly',
        SwaggerUIBundle: 'readonly',
        sessionStorage: 'readonly',
        FormData: 'readonly',
        Node: 'readonly',
        AbortController: 'readonly',
        TextDecoder: 'readonly',
        SwaggerUIStandalonePreset: 'readonly',
        Intl: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
  },
  prettier,
  {
    // After eslint-config-prettier (which turns max-len off): Prettier wraps code at 120, this holds
    // comments and strings to it too.
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
);
