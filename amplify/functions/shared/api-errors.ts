import { OrderError } from '../../domain/errors';

/**
 * The error an AppSync resolver throws for a shopper: its `name` is the order error code (the
 * GraphQL errorType where the resolver passes Lambda's error type through) and its message
 * starts with the code, then says what happened and which field, then what to do.
 */
export class ShopperFacingError extends Error {
  readonly code: string;

  constructor(error: OrderError) {
    const field = error.field ? ` (field: ${error.field})` : '';
    const detail =
      error.code === 'INVALID_ORDER' || error.code === 'ORDER_NOT_FOUND'
        ? ` ${error.detail}${field}.`
        : '';
    super(`${error.code}: ${error.shopperMessage}${detail}`, { cause: error });
    this.name = error.code;
    this.code = error.code;
  }
}

/** Maps anything a resolver threw to what the shopper may see: order errors keep their code, the rest is INTERNAL. */
export const toShopperError = (error: unknown): ShopperFacingError => {
  if (error instanceof OrderError) return new ShopperFacingError(error);
  console.error('Unexpected resolver failure', error);
  return new ShopperFacingError(new OrderError('INTERNAL', undefined, { cause: error }));
};
