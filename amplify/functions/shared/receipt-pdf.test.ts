import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { orderNumber } from '../../domain/order-number';
import { buildReceipt } from '../../domain/receipt';
import { shopDetails } from '../../domain/shop';
import { anOrder } from '../../domain/test-fixtures';
import { renderReceiptPdf } from './receipt-pdf';

describe('Function: renderReceiptPdf', () => {
  it('renders a PDF that a reader opens, titled with the order number', async () => {
    const order = anOrder();
    const at = new Date('2030-01-02T10:00:00Z');
    const bytes = await renderReceiptPdf(
      buildReceipt(order, shopDetails('o@shop.test', 'https://shop.test'), at),
      at,
    );
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getTitle()).toContain(orderNumber(order.id));
    expect(pdf.getPageCount()).toBe(1);
  });

  it('adds pages for a long order and survives characters the font cannot draw', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => ({
      productId: `p${i}`,
      sku: `S${i}`,
      name: `Mug ☕ ${i}`,
      unitPriceCents: 100,
      quantity: 1,
    }));
    const order = anOrder({ lines });
    const bytes = await renderReceiptPdf(
      buildReceipt(order, shopDetails('o@shop.test', 'https://shop.test'), new Date()),
      new Date(),
    );
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(1);
  });
});
