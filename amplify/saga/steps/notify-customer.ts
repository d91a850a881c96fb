import { confirmationEmail } from '../../domain/emails';
import { statusEvent, topicAndShopperMail } from '../dependencies';
import { defineStep } from '../step';

/** Publishes OrderConfirmed to OrderEvents and emails the shopper their summary; RECEIPT_READY -> CONFIRMED. */
export const notifyCustomer = defineStep({
  state: 'NotifyCustomer',
  moves: 'CONFIRMED',
  needs: { email: true, orderEvents: true },
  dependencies: topicAndShopperMail('ORDER_EVENTS_TOPIC_ARN'),
  // Sent before the status moves: a retry after a failed update may send twice, never zero times.
  async action(order, { publish, mail }) {
    await publish(
      statusEvent('OrderConfirmed', order.id, 'CONFIRMED', 'confirmed', {
        totalCents: order.totalCents,
        currency: order.currency,
        items: order.lines.reduce((sum, line) => sum + line.quantity, 0),
        paymentIntentId: order.paymentIntentId ?? null,
        receiptKey: order.receiptKey ?? null,
      }),
    );
    await mail.send(confirmationEmail(order, mail.storefrontUrl));
  },
});
