import { describe, expect, it } from 'vitest';
import { TransientError } from '../../domain/errors';
import { receiptKeyFor } from '../../domain/receipt';
import { shopDetails } from '../../domain/shop';
import { anOrder } from '../../domain/test-fixtures';
import { generateReceipt, type ReceiptDeps } from './generate-receipt';

const bucket = (fail?: Error) => {
  const stored = new Map<string, Uint8Array>();
  const deps: ReceiptDeps = {
    shop: shopDetails('orders@shop.example', 'https://shop.example'),
    async store(key, pdf) {
      if (fail) throw fail;
      stored.set(key, pdf);
    },
  };
  return { deps, stored };
};

const captured = anOrder({
  status: 'PAYMENT_CAPTURED',
  statusHistory: [
    { status: 'PENDING', at: '2030-01-02T03:04:05.000Z', note: null },
    { status: 'PAYMENT_CAPTURED', at: '2030-01-02T03:06:00.000Z', note: null },
  ],
});

describe('Step: generateReceipt', () => {
  it('stores a PDF receipt at receipts/<orderId>.pdf and records its key', async () => {
    // Prepare
    const { deps, stored } = bucket();
    // Act
    const patch = await generateReceipt.action(captured, deps);
    // Assess
    expect(patch).toEqual({ receiptKey: receiptKeyFor(captured.id) });
    const pdf = stored.get(receiptKeyFor(captured.id));
    expect(
      Buffer.from(pdf ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('renders the same receipt when retried (dated by the capture)', async () => {
    const first = bucket();
    const again = bucket();
    await generateReceipt.action(captured, first.deps);
    await generateReceipt.action(captured, again.deps);
    expect(again.stored.get(receiptKeyFor(captured.id))).toEqual(
      first.stored.get(receiptKeyFor(captured.id)),
    );
  });

  it('fails without recording a key when the bucket refuses', async () => {
    const { deps } = bucket(new TransientError('storing the receipt failed: SlowDown'));
    await expect(generateReceipt.action(captured, deps)).rejects.toBeInstanceOf(TransientError);
  });
});
