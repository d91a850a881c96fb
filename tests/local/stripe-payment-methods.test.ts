import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startStripe, type StripeEngine } from '@/local/engines/stripe';
import { createPaymentMethod } from '@/lib/local-stripe';
import { ownEnginePort } from '../support/backend';

const PORT = ownEnginePort(8);
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
/** The engine's account: the only keys it takes. */
const KEYS = { secretKey: 'sk_test_local', publishableKey: 'pk_test_local_offline' };
let dataDir: string;
let engine: StripeEngine;
let stripe: Stripe;

type CardParams = { number?: string; exp_month?: number; exp_year?: number; cvc?: string };

const client = (key = 'sk_test_local') =>
  new Stripe(key, { host: '127.0.0.1', port: PORT, protocol: 'http', maxNetworkRetries: 0 });

const card = (over: Partial<CardParams> = {}) => ({
  number: '4242424242424242',
  exp_month: 12,
  exp_year: NEXT_YEAR,
  cvc: '123',
  ...over,
});

const createCard = (over: Partial<CardParams> = {}) =>
  stripe.paymentMethods.create({
    type: 'card',
    card: card(over),
    billing_details: { address: { postal_code: '94107' } },
  });

const authorize = (paymentMethod: string) =>
  stripe.paymentIntents.create({
    amount: 2500,
    currency: 'usd',
    payment_method: paymentMethod,
    confirm: true,
    capture_method: 'manual',
  });

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stripe-pm-engine-'));
  engine = await startStripe({ port: PORT, dataDir, ...KEYS });
  stripe = client();
});

afterAll(async () => {
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Engine: local Stripe PaymentMethods from typed cards', () => {
  it('creates a card PaymentMethod from 4242... that authorizes, then captures', async () => {
    // Act
    const method = await createCard();
    const intent = await authorize(method.id);
    const captured = await stripe.paymentIntents.capture(intent.id);
    // Assess
    expect(method).toMatchObject({
      object: 'payment_method',
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: NEXT_YEAR, funding: 'credit' },
      billing_details: { address: { postal_code: '94107' } },
    });
    expect(method.id).toMatch(/^pm_[A-Za-z0-9]+$/);
    expect(JSON.stringify(method)).not.toContain('4242424242424242');
    expect(intent.status).toBe('requires_capture');
    expect(intent.payment_method).toBe(method.id);
    expect(captured.status).toBe('succeeded');
    expect((await stripe.paymentMethods.retrieve(method.id)).id).toBe(method.id);
  });

  it.each([
    ['5555555555554444', 'mastercard', '4444'],
    ['378282246310005', 'amex', '0005'],
    ['6011111111111117', 'discover', '1117'],
    ['3566002020360505', 'jcb', '0505'],
    ['4000056655665556', 'visa', '5556'],
  ])('accepts the test %s as a %s that pays', async (number, brand, last4) => {
    const method = await createCard({ number, cvc: brand === 'amex' ? '1234' : '123' });
    expect(method.card).toMatchObject({ brand, last4 });
    expect((await authorize(method.id)).status).toBe('requires_capture');
  });

  it.each([
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      '4000000000009995',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.'],
    ['4000000000009979', 'card_declined', 'stolen_card', 'Your card was declined.'],
    ['4100000000000019', 'card_declined', 'fraudulent', 'Your card was declined.'],
    ['4000000000000069', 'expired_card', 'expired_card', 'Your card has expired.'],
    [
      '4000000000000127',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
    ],
    [
      '4000000000000119',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ],
  ])('%s is created, then declined at confirmation (%s / %s)', async (number, code, decline) => {
    const method = await createCard({ number });
    const error = await refusal(authorize(method.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.code).toBe(code);
    expect(error.decline_code).toBe(decline);
    expect(error.payment_intent?.status).toBe('requires_payment_method');
    expect(error.payment_method?.id).toBe(method.id);
  });

  it.each([
    [
      'a number failing the Luhn check',
      { number: '4242424242424241' },
      'incorrect_number',
      'Your card number is incorrect.',
      'number',
    ],
    [
      'an incomplete number',
      { number: '424242424242' },
      'invalid_number',
      'Your card number is invalid.',
      'number',
    ],
    [
      'letters in the number',
      { number: '4242abcd42424242' },
      'invalid_number',
      'Your card number is invalid.',
      'number',
    ],
    [
      'month 13',
      { exp_month: 13 },
      'invalid_expiry_month',
      "Your card's expiration month is invalid.",
      'exp_month',
    ],
    [
      'a past year',
      { exp_year: 2020 },
      'invalid_expiry_year',
      "Your card's expiration year is invalid.",
      'exp_year',
    ],
    [
      'a year too far',
      { exp_year: NEXT_YEAR + 60 },
      'invalid_expiry_year',
      "Your card's expiration year is invalid.",
      'exp_year',
    ],
    [
      'a two-digit CVC',
      { cvc: '12' },
      'invalid_cvc',
      "Your card's security code is invalid.",
      'cvc',
    ],
    [
      'a three-digit CVC on an American Express',
      { number: '378282246310005', cvc: '123' },
      'invalid_cvc',
      "Your card's security code is invalid.",
      'cvc',
    ],
    [
      'a real (non-test) card number',
      { number: '4111111111111111' },
      'card_declined',
      'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
      'number',
    ],
  ])('refuses %s as Stripe does, creating nothing', async (_what, over, code, message, param) => {
    const error = await refusal(createCard(over));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.param).toBe(param);
  });

  it('refuses a month already past this year', async () => {
    const now = new Date();
    if (now.getUTCMonth() === 0) return; // January: no earlier month this year
    const error = await refusal(
      createCard({ exp_month: now.getUTCMonth(), exp_year: now.getUTCFullYear() }),
    );
    expect(error.code).toBe('invalid_expiry_month');
  });

  it('says which required card parameter is missing', async () => {
    const error = await refusal(
      stripe.paymentMethods.create({
        type: 'card',
        card: { exp_month: 12, exp_year: NEXT_YEAR } as CardParams,
      }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.code).toBe('parameter_missing');
    expect(error.message).toBe('Missing required param: card[number].');
    const noCard = await refusal(stripe.paymentMethods.create({ type: 'card' }));
    expect(noCard.code).toBe('parameter_missing');
  });

  it('takes a card without a CVC, as Stripe does, and reports the check unavailable', async () => {
    const method = await stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 1, exp_year: NEXT_YEAR },
    });
    expect(method.card?.checks?.cvc_check).toBeNull();
  });

  it('refuses unknown parameters, other types and oversized fields', async () => {
    const unknown = await refusal(
      stripe.paymentMethods.create({ type: 'card', card: card(), nonsense: 'x' } as never),
    );
    expect(unknown.code).toBe('parameter_unknown');
    const sepa = await refusal(stripe.paymentMethods.create({ type: 'sepa_debit' } as never));
    expect(sepa.param).toBe('type');
    const postal = await refusal(
      stripe.paymentMethods.create({
        type: 'card',
        card: card(),
        billing_details: { address: { postal_code: 'x'.repeat(5000) } },
      }),
    );
    expect(postal.statusCode).toBe(400);
  });

  it('an unknown pm_ id cannot pay', async () => {
    const error = await refusal(authorize('pm_doesnotexist'));
    expect(error.code).toBe('resource_missing');
  });

  it('keeps created PaymentMethods across a restart', async () => {
    const method = await createCard({ number: '4000000000009995' });
    await engine.stop();
    engine = await startStripe({ port: PORT, dataDir, ...KEYS });
    const error = await refusal(authorize(method.id));
    expect(error.decline_code).toBe('insufficient_funds');
  });
});

describe('Engine: local Stripe with a publishable key, as stripe.js calls it', () => {
  it('the browser-side helper creates a PaymentMethod with the publishable key in the body', async () => {
    const created = await createPaymentMethod(
      { url: engine.url, publishableKey: 'pk_test_local_offline' },
      {
        number: '4242424242424242',
        expMonth: 12,
        expYear: NEXT_YEAR,
        cvc: '123',
        postalCode: 'N1 9GU',
      },
    );
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect((await authorize(created.id)).status).toBe('requires_capture');
  });

  it("the helper passes on Stripe's wording and names the field", async () => {
    const created = await createPaymentMethod(
      { url: engine.url, publishableKey: 'pk_test_local_offline' },
      { number: '4242424242424241', expMonth: 12, expYear: NEXT_YEAR, cvc: '123', postalCode: '1' },
    );
    expect(created).toEqual({
      ok: false,
      message: 'Your card number is incorrect.',
      field: 'number',
    });
  });

  it('answers a browser from another origin (CORS), with no preflight needed', async () => {
    const response = await fetch(`${engine.url}/v1/payment_methods`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
      },
      body: new URLSearchParams({
        type: 'card',
        'card[number]': '4242424242424242',
        'card[exp_month]': '12',
        'card[exp_year]': String(NEXT_YEAR),
        'card[cvc]': '123',
        key: 'pk_test_local_offline',
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('a publishable key cannot do what only a secret key may', async () => {
    const publishable = client('pk_test_local_offline');
    const error = await refusal(
      publishable.paymentIntents.create({ amount: 500, currency: 'usd' }),
    );
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/cannot be made with a publishable API key/);
    const listed = await refusal(publishable.paymentIntents.list());
    expect(listed.statusCode).toBe(401);
  });

  it('a request with no key at all is refused', async () => {
    const response = await fetch(`${engine.url}/v1/payment_methods`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'type=card&card[number]=4242424242424242',
    });
    expect(response.status).toBe(401);
  });
});

describe('Engine: local Stripe under hostile input', () => {
  it('refuses an oversized body and keeps serving', async () => {
    const response = await fetch(`${engine.url}/v1/payment_methods`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'Bearer sk_test_local',
      },
      body: `type=card&card[number]=${'4'.repeat(2_000_000)}`,
    }).catch((e: unknown) => e);
    if (response instanceof Response) expect(response.status).toBe(413);
    expect((await createCard()).id).toMatch(/^pm_/);
  });

  it('refuses a 10,000-digit number as invalid', async () => {
    const error = await refusal(createCard({ number: '4'.repeat(10_000) }));
    expect(error.code).toBe('invalid_number');
  });
});
