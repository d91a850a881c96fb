import type { EmailMessage } from '../../domain/emails';
import type { TellingDeps } from '../dependencies';
import type { OrderEvent } from '../../functions/shared/notify';

/** An operator topic and a shopper mailbox in memory; `failPublishing` makes publishing throw. */
export const fakeTelling = (options: { failPublishing?: boolean } = {}) => {
  const published: Omit<OrderEvent, 'topicArn'>[] = [];
  const mailed: EmailMessage[] = [];
  const deps: TellingDeps = {
    async publish(event) {
      if (options.failPublishing) throw new Error('SNS is down');
      published.push(event);
    },
    mail: {
      storefrontUrl: 'https://shop.example',
      async send(message) {
        mailed.push(message);
      },
    },
  };
  return { deps, published, mailed };
};
