import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  globalIgnores([
    '.next/**',
    'cdk.out/**',
    'cdk.out.staging-*/**',
    '.tmp/**',
    '.amplify/**',
    'node_modules/**',
    'next-env.d.ts',
    'test-results/**',
    'playwright-report/**',
    'bench-results/**',
  ]),
  {
    rules: {
      // Focused or skipped tests must never reach main unnoticed.
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Focused test' },
        { object: 'describe', property: 'only', message: 'Focused suite' },
        { object: 'test', property: 'only', message: 'Focused test' },
        { object: 'it', property: 'skip', message: 'Skipped test' },
        { object: 'describe', property: 'skip', message: 'Skipped suite' },
        { object: 'test', property: 'skip', message: 'Skipped test' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
]);
