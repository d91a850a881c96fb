import { describe, expect, it } from 'vitest';
import { readEnv } from './env';

describe('Function: readEnv', () => {
  it('reads and converts the variables asked for', () => {
    const env = readEnv(['ORDERS_QUEUE_URL', 'STRIPE_API_PORT'], {
      ORDERS_QUEUE_URL: 'http://127.0.0.1:4005/000000000000/OrdersQueue',
      STRIPE_API_PORT: '4008',
    });
    expect(env).toEqual({
      ORDERS_QUEUE_URL: 'http://127.0.0.1:4005/000000000000/OrdersQueue',
      STRIPE_API_PORT: 4008,
    });
  });

  it('lists every missing or malformed variable by name', () => {
    expect(() =>
      readEnv(['ORDER_WORKFLOW_ARN', 'STOREFRONT_URL'], { STOREFRONT_URL: 'not a url' }),
    ).toThrow('ORDER_WORKFLOW_ARN is not set; STOREFRONT_URL is malformed');
  });

  it('treats optional Stripe settings as optional', () => {
    expect(readEnv(['STRIPE_API_HOST'], {})).toEqual({ STRIPE_API_HOST: undefined });
  });
});
