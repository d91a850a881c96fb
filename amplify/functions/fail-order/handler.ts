import { failedEmail } from '../../domain/emails';
import { failureFromStepFunctionsError } from '../../domain/errors';
import { isTerminal } from '../../domain/status';
import { readEnv, shopEnv } from '../shared/env';
import { parseStepInput } from '../shared/events';
import { publishEvent, sendEmail } from '../shared/notify';
import { advanceOrder, findOrder } from '../shared/orders';

/** Compensation: records the failure code and shopper reason (FAILED), publishes to OrderErrors and emails the shopper; idempotent. */
export const handler = async (
  event: unknown,
): Promise<{ orderId: string; failureCode: string }> => {
  const { orderId, error } = parseStepInput(event);
  const failure = failureFromStepFunctionsError(error);
  const order = await findOrder(orderId);
  if (order && isTerminal(order.status)) {
    return { orderId, failureCode: order.failureCode ?? failure.code };
  }
  const { ORDER_ERRORS_TOPIC_ARN } = readEnv(['ORDER_ERRORS_TOPIC_ARN']);
  // Told before the status moves: a retry after a failed update may tell twice, never zero times.
  await publishEvent({
    topicArn: ORDER_ERRORS_TOPIC_ARN,
    subject: `Order ${orderId} failed: ${failure.code}`,
    body: {
      type: 'OrderFailed',
      orderId,
      failureCode: failure.code,
      failureReason: failure.shopperMessage,
      detail: failure.detail,
      previousStatus: order?.status ?? null,
      paymentIntentId: order?.paymentIntentId ?? null,
    },
    attributes: { eventType: 'OrderFailed', orderId, failureCode: failure.code },
  });
  // The operator's detail (error names, the provider's wording) goes to OrderErrors and the log;
  // the order itself, which its shopper reads, holds only the code and the plain sentence.
  console.error(JSON.stringify({ event: 'OrderFailed', orderId, ...failure }));
  if (!order) return { orderId, failureCode: failure.code };
  const { SHOP_FROM_EMAIL, STOREFRONT_URL } = shopEnv();
  await sendEmail(SHOP_FROM_EMAIL, failedEmail(order, STOREFRONT_URL, failure.shopperMessage));
  await advanceOrder({
    orderId,
    to: 'FAILED',
    patch: { failureCode: failure.code, failureReason: failure.shopperMessage },
  });
  return { orderId, failureCode: failure.code };
};
