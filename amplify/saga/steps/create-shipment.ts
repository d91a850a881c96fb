import { bookShipment } from '../../domain/carrier';
import { shippedEmail } from '../../domain/emails';
import { statusEvent, topicAndShopperMail } from '../dependencies';
import { defineStep } from '../step';

/** Books the parcel with the (simulated) carrier, publishes OrderShipped and emails the tracking number; CONFIRMED -> SHIPPED. */
export const createShipment = defineStep({
  state: 'CreateShipment',
  moves: 'SHIPPED',
  needs: { email: true, orderEvents: true },
  dependencies: topicAndShopperMail('ORDER_EVENTS_TOPIC_ARN'),
  async action(order, { publish, mail }) {
    const shipment = bookShipment(order.id);
    await publish(statusEvent('OrderShipped', order.id, 'SHIPPED', 'shipped', { ...shipment }));
    await mail.send(shippedEmail({ ...order, ...shipment }, mail.storefrontUrl));
    return shipment;
  },
});
