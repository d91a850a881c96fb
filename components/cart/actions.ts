'use server';

import { z } from 'zod';
import { getAvailability } from '@/lib/catalog';
import type { Product } from '@/lib/types';

const idsSchema = z.array(z.string().min(1).max(128)).max(100);

export type AvailabilityResult =
  { ok: true; products: Record<string, Product | null> } | { ok: false; message: string };

/** Live price, stock and availability of the cart's products, read on the server. */
export async function checkAvailability(ids: unknown): Promise<AvailabilityResult> {
  const parsed = idsSchema.safeParse(ids);
  if (!parsed.success) return { ok: false, message: 'The cart holds an invalid product id.' };
  try {
    return { ok: true, products: await getAvailability(parsed.data) };
  } catch (error) {
    return {
      ok: false,
      message: `We could not check the items in your cart right now (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
}
