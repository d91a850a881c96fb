import { describe, expect, it } from 'vitest';
import { SEED_PRODUCTS, catalogVersion } from '../../amplify/functions/seed-catalog/catalog';
import { FUNCTION_NAMES, resourcesOfType, stackJson } from './assembly';

/** Every backend function's CloudFormation properties, by Amplify name. */
const functions = new Map(
  ['data', 'order-intake']
    .flatMap((stack) => resourcesOfType(stackJson(stack), 'AWS::Lambda::Function'))
    .flatMap(([id, props]) => {
      const name = FUNCTION_NAMES.find((n) => id.startsWith(`${n}lambda`));
      return name ? [[name, props] as const] : [];
    }),
);

describe('Powertools in every function', () => {
  it('found every function', () => {
    expect([...functions.keys()].sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(FUNCTION_NAMES)(
    '%s logs JSON at the LOG_LEVEL setting (INFO by default), for Powertools and Lambda alike',
    (name) => {
      const props = functions.get(name)!;
      const variables = (props['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(variables['POWERTOOLS_LOG_LEVEL']).toBe('INFO');
      expect(props['LoggingConfig']).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
      });
    },
  );
});

describe('The catalog seed, once per deployment', () => {
  const seedStack = stackJson('catalog-seed');
  const seeds = resourcesOfType(seedStack, 'Custom::CatalogSeed');

  it('is one custom resource run by the seedCatalog function, keyed by the catalog version', () => {
    expect(seeds).toHaveLength(1);
    const [, props] = seeds[0]!;
    expect(JSON.stringify(props['ServiceToken'])).toMatch(/seedCataloglambda/);
    // CloudFormation runs it again only when this property changes: a new catalog.
    expect(props['catalogVersion']).toBe(catalogVersion());
    expect(catalogVersion()).toMatch(/^[0-9a-f]{16}$/);
    // The next Update reads them back as OldResourceProperties: what the shop deleted stays so.
    expect(props['productIds']).toEqual(SEED_PRODUCTS.map((p) => p.id));
  });

  it('gives seedCatalog the Product table name and nothing else of its own', () => {
    const variables = (
      functions.get('seedCatalog')!['Environment'] as { Variables: Record<string, unknown> }
    ).Variables;
    expect(JSON.stringify(variables['PRODUCT_TABLE_NAME'])).toMatch(/ProductTable|Product/);
    expect(Object.keys(variables)).not.toContain('STRIPE_SECRET_KEY');
  });
});
