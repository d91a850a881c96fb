import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

type Resource = { Type?: string; Properties?: Record<string, unknown> };
type Template = { Resources?: Record<string, Resource> };

const getAttName = (value: unknown): string | undefined => {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
};

/**
 * Which Query/Mutation/Subscription fields are backed by which function (`'Mutation.placeOrder' ->
 * 'placeOrder'`), read from the AppSync resolvers and Lambda data sources in the templates. Function
 * names are Amplify's friendly names (the `defineFunction` name, tag `amplify:friendly-name`).
 */
export function customOperationsFromTemplates(templates: Template[]): Record<string, string> {
  const friendlyNames: string[] = [];
  for (const t of templates) {
    for (const r of Object.values(t.Resources ?? {})) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const tags = (r.Properties?.['Tags'] ?? []) as { Key?: string; Value?: string }[];
      const name = tags.find((tag) => tag.Key === 'amplify:friendly-name')?.Value;
      if (name) friendlyNames.push(name);
    }
  }
  // Longest first so `placeOrderV2lambda` never matches `placeOrder`.
  friendlyNames.sort((a, b) => b.length - a.length);
  const out: Record<string, string> = {};
  for (const t of templates) {
    const resources = t.Resources ?? {};
    const functionOfDataSource = new Map<string, string>();
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::AppSync::DataSource' || r.Properties?.['Type'] !== 'AWS_LAMBDA')
        continue;
      const arn = JSON.stringify(
        (r.Properties['LambdaConfig'] as Record<string, unknown> | undefined)?.[
          'LambdaFunctionArn'
        ] ?? '',
      );
      const byArn = friendlyNames.find((n) => arn.includes(`${n}lambda`));
      const byId = /^Fn(.+)LambdaDataSource$/.exec(id)?.[1];
      const name = byArn ?? (byId ? byId.charAt(0).toLowerCase() + byId.slice(1) : undefined);
      if (name) functionOfDataSource.set(id, name);
    }
    const functionOfPipelineStep = new Map<string, string>();
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::AppSync::FunctionConfiguration') continue;
      const ds = getAttName(r.Properties?.['DataSourceName']);
      const fn = ds ? functionOfDataSource.get(ds) : undefined;
      if (fn) functionOfPipelineStep.set(id, fn);
    }
    for (const r of Object.values(resources)) {
      if (r.Type !== 'AWS::AppSync::Resolver') continue;
      const typeName = r.Properties?.['TypeName'];
      const fieldName = r.Properties?.['FieldName'];
      if (typeof typeName !== 'string' || typeof fieldName !== 'string') continue;
      const steps = (
        (r.Properties?.['PipelineConfig'] as { Functions?: unknown[] } | undefined)?.Functions ?? []
      ).map(getAttName);
      const direct = getAttName(r.Properties?.['DataSourceName']);
      const fn = [...steps, direct]
        .map((s) =>
          s ? (functionOfPipelineStep.get(s) ?? functionOfDataSource.get(s)) : undefined,
        )
        .find(Boolean);
      if (fn) out[`${typeName}.${fieldName}`] = fn;
    }
  }
  return out;
}

async function findFiles(
  dir: string,
  test: (name: string) => boolean,
  depth = 1,
): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && test(entry.name)) out.push(path);
    else if (entry.isDirectory() && depth > 0 && entry.name.startsWith('asset.'))
      out.push(...(await findFiles(path, test, depth - 1)));
  }
  return out;
}

/** Everything the AppSync engine needs from a synthesized cloud assembly directory. */
export async function readAppSyncAssets(cdkOutDir: string): Promise<{
  schemaSdl: string;
  modelIntrospection: Record<string, unknown>;
  customOperations: Record<string, string>;
}> {
  const schemas = await findFiles(
    cdkOutDir,
    (n) => n.startsWith('asset.') && n.endsWith('.graphql'),
    0,
  );
  const introspections = await findFiles(cdkOutDir, (n) => n === 'modelIntrospectionSchema.json');
  if (schemas.length === 0 || introspections.length === 0) {
    throw new Error(
      `No transformed GraphQL schema or model introspection found in ${cdkOutDir}; run the synth first.`,
    );
  }
  // Several synths into one directory leave stale assets: the newest file is the current one.
  const newest = async (paths: string[]) => {
    const stamped = await Promise.all(paths.map(async (p) => ({ p, t: (await stat(p)).mtimeMs })));
    return stamped.sort((a, b) => b.t - a.t)[0]?.p ?? '';
  };
  const templates = await findFiles(cdkOutDir, (n) => n.endsWith('.template.json'), 0);
  const parsed = await Promise.all(
    templates.map(async (p) => JSON.parse(await readFile(p, 'utf8')) as Template),
  );
  return {
    schemaSdl: await readFile(await newest(schemas), 'utf8'),
    modelIntrospection: JSON.parse(await readFile(await newest(introspections), 'utf8')) as Record<
      string,
      unknown
    >,
    customOperations: customOperationsFromTemplates(parsed),
  };
}
