/**
 * Keeps Amplify's model-introspection generator on one copy of graphql during synthesis.
 *
 * WHY: the project depends on graphql 16 (the local GraphQL engine), so npm hoists graphql 16 and
 * the @graphql-tools / @graphql-codegen packages to the top of node_modules, while
 * @aws-amplify/graphql-generator keeps its own graphql 15 nested. Those hoisted helpers then
 * build the schema with graphql 16 and the generator rejects it ("Cannot use GraphQLScalarType
 * from another module or realm"), and the generator does not work on graphql 16 either. This
 * routes `graphql` requests from the hoisted helpers to the generator's own graphql. It does
 * nothing when the two copies already agree, and it only affects the synthesis process.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

const require = createRequire(import.meta.url);

const major = (packageJsonPath: string): string =>
  String((require(packageJsonPath) as { version: string }).version).split('.')[0] ?? '';

const install = (): void => {
  let generatorDir: string;
  let generatorGraphql: string;
  let hoistedGraphql: string;
  try {
    generatorDir = path.dirname(require.resolve('@aws-amplify/graphql-generator/package.json'));
    generatorGraphql = require.resolve('graphql/package.json', { paths: [generatorDir] });
    hoistedGraphql = require.resolve('graphql/package.json');
  } catch {
    return;
  }
  if (generatorGraphql === hoistedGraphql || major(generatorGraphql) === major(hoistedGraphql)) {
    return;
  }
  const hoistedModules = path.dirname(path.dirname(hoistedGraphql));
  const helperDirs = ['@graphql-codegen', '@graphql-tools'].map(
    (scope) => path.join(hoistedModules, scope) + path.sep,
  );
  const Module = require('node:module') as ModuleInternals;
  const original = Module._resolveFilename.bind(Module);
  Module._resolveFilename = (request, parent, isMain, options) => {
    const from = (parent as { filename?: string } | undefined)?.filename ?? '';
    if (
      (request === 'graphql' || request.startsWith('graphql/')) &&
      helperDirs.some((dir) => from.startsWith(dir))
    ) {
      return require.resolve(request, { paths: [generatorDir] });
    }
    return original(request, parent, isMain, options);
  };
};

install();
