import { PutObjectCommand } from '@aws-sdk/client-s3';
import { buildReceipt, receiptKeyFor } from '../../domain/receipt';
import { shopDetails, type ShopDetails } from '../../domain/shop';
import { rethrowTransient, s3 } from '../../functions/shared/aws';
import { readEnv, receiptShopEnv } from '../../functions/shared/env';
import { renderReceiptPdf } from '../../functions/shared/receipt-pdf';
import { defineStep } from '../step';

export interface ReceiptDeps {
  shop: ShopDetails;
  /** Stores a receipt PDF under `key`; a failure a retry may cure is a TransientError. */
  store(key: string, pdf: Uint8Array, orderId: string): Promise<void>;
}

const receiptsBucket = (): ReceiptDeps => {
  const { RECEIPTS_BUCKET_NAME } = readEnv(['RECEIPTS_BUCKET_NAME']);
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = receiptShopEnv();
  return {
    shop: shopDetails(SHOP_FROM_EMAIL, STOREFRONT_URL),
    async store(key, pdf, orderId) {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: RECEIPTS_BUCKET_NAME,
            Key: key,
            Body: pdf,
            ContentType: 'application/pdf',
            ContentDisposition: `inline; filename="receipt-${orderId}.pdf"`,
          }),
        );
      } catch (error) {
        rethrowTransient('storing the receipt', error);
      }
    },
  };
};

/** Renders the PDF receipt into the receipts bucket at receipts/<orderId>.pdf; PAYMENT_CAPTURED -> RECEIPT_READY. */
export const generateReceipt = defineStep({
  state: 'GenerateReceipt',
  moves: 'RECEIPT_READY',
  needs: { receipts: true },
  timeoutSeconds: 30,
  memoryMB: 512,
  dependencies: receiptsBucket,
  async action(order, { shop, store }) {
    // Dated by the capture, so a retried render produces the same receipt.
    const captured = [...order.statusHistory]
      .reverse()
      .find((change) => change.status === 'PAYMENT_CAPTURED');
    const paidAt = new Date(captured?.at ?? Date.now());
    const pdf = await renderReceiptPdf(buildReceipt(order, shop, paidAt), paidAt);
    const key = receiptKeyFor(order.id);
    await store(key, pdf, order.id);
    return { receiptKey: key };
  },
});
