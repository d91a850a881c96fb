import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog';
import { productSvg } from './render-images';

describe('Seed: the catalog pictures', () => {
  it('gives every product a drawing of its own (no two products share one)', () => {
    const byShape = new Map<string, string[]>();
    for (const product of CATALOG)
      byShape.set(product.art.shape, [...(byShape.get(product.art.shape) ?? []), product.name]);
    const shared = [...byShape.values()].filter((names) => names.length > 1);
    expect(shared).toEqual([]);
  });

  it('draws something for every product', () => {
    for (const product of CATALOG) {
      const svg = productSvg(product);
      // Background, floor shadow, then the drawing's own shapes.
      expect(svg.match(/<(path|rect|circle|ellipse|line)\b/g)?.length ?? 0).toBeGreaterThan(4);
    }
  });

  it('has a rendered image committed for every product', () => {
    for (const product of CATALOG)
      expect(existsSync(path.join(process.cwd(), 'public/products', `${product.id}.png`))).toBe(
        true,
      );
  });
});
