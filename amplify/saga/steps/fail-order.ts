import { failedEmail } from '../../domain/emails';
import { productIdsOf } from '../../domain/stock-news';
import { topicAndShopperMail } from '../dependencies';
import { defineFailure } from '../step';

/** Records the failure code and shopper reason (FAILED), publishes to OrderErrors and emails the shopper; idempotent. */
export const failOrder = defineFailure({
  state: 'FailOrder',
  needs: { email: true, orderErrors: true },
  timeoutSeconds: 15,
  dependencies: topicAndShopperMail('ORDER_ERRORS_TOPIC_ARN'),
  async tell(failure, orderId, order, { publish, mail }) {
    await publish({
      subject: `Order ${orderId} failed: ${failure.code}`,
      body: {
        type: 'OrderFailed',
        orderId,
        failureCode: failure.code,
        failureReason: failure.shopperMessage,
        detail: failure.detail,
        previousStatus: order?.status ?? null,
        paymentIntentId: order?.paymentIntentId ?? null,
        // Stock this order held has been given back: the storefront's cached grids are told.
        productIds: order ? productIdsOf(order.lines) : [],
      },
      attributes: { eventType: 'OrderFailed', orderId, failureCode: failure.code },
    });
    // The operator's detail (error names, the provider's wording) goes to OrderErrors and the log;
    // the order itself, which its shopper reads, holds only the code and the plain sentence.
    console.error(JSON.stringify({ event: 'OrderFailed', orderId, ...failure }));
    if (order) await mail.send(failedEmail(order, mail.storefrontUrl, failure.shopperMessage));
  },
});
