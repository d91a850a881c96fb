import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { EmailMessage } from '../../domain/emails';
import { rethrowTransient, ses, sns } from './aws';

/** Sends an email through SESv2 (Simple content: subject, text and HTML bodies). */
export const sendEmail = async (
  from: string,
  message: EmailMessage,
): Promise<string | undefined> => {
  try {
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              Html: { Data: message.html, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return sent.MessageId;
  } catch (error) {
    return rethrowTransient('sending email', error);
  }
};

/** An order event for operators: a subject, a JSON body, and attributes subscribers can filter on. */
export interface OrderEvent {
  topicArn: string;
  subject: string;
  body: Record<string, unknown>;
  attributes: Record<string, string>;
}

/** Publishes an order event to an SNS topic. */
export const publishEvent = async (event: OrderEvent): Promise<string | undefined> => {
  try {
    const published = await sns.send(
      new PublishCommand({
        TopicArn: event.topicArn,
        Subject: event.subject.slice(0, 99),
        Message: JSON.stringify(event.body),
        MessageAttributes: Object.fromEntries(
          Object.entries(event.attributes).map(([name, value]) => [
            name,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      }),
    );
    return published.MessageId;
  } catch (error) {
    return rethrowTransient('publishing an order event', error);
  }
};
