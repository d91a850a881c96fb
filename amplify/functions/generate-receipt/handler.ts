import { PutObjectCommand } from '@aws-sdk/client-s3';
import { buildReceipt, receiptKeyFor } from '../../domain/receipt';
import { shopDetails } from '../../domain/shop';
import { assertTransition, hasReached } from '../../domain/status';
import { rethrowTransient, s3 } from '../shared/aws';
import { readEnv, receiptShopEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { advanceOrder, getOrder } from '../shared/orders';
import { renderReceiptPdf } from '../shared/receipt-pdf';

/** Workflow step: renders the PDF receipt into the receipts bucket at receipts/<orderId>.pdf; PAYMENT_CAPTURED -> RECEIPT_READY. */
export const handler = async (event: unknown): Promise<{ orderId: string }> => {
  const { orderId } = parseStepInput(event);
  const order = await getOrder(orderId);
  if (hasReached(order.status, 'RECEIPT_READY')) return { orderId };
  assertTransition(order.status, 'RECEIPT_READY');
  const { RECEIPTS_BUCKET_NAME } = readEnv(['RECEIPTS_BUCKET_NAME']);
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = receiptShopEnv();
  // Dated by the capture, so a retried render produces the same receipt.
  const captured = [...order.statusHistory]
    .reverse()
    .find((change) => change.status === 'PAYMENT_CAPTURED');
  const paidAt = new Date(captured?.at ?? Date.now());
  const receipt = buildReceipt(order, shopDetails(SHOP_FROM_EMAIL, STOREFRONT_URL), paidAt);
  const pdf = await renderReceiptPdf(receipt, paidAt);
  const key = receiptKeyFor(orderId);
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
  await advanceOrder({ orderId, to: 'RECEIPT_READY', patch: { receiptKey: key } });
  return { orderId };
};
