import { z } from 'zod';

/**
 * What a product id may be: the seed's and the admin's ids are letters, digits and `_.:-`. Checked
 * wherever an id arrives from outside (a URL, a server action, the backend's revalidate call)
 * before it reaches a query or a cache tag.
 */
export const productIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'a product id is 1-128 letters, digits or _.:-');
