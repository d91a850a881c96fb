import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { expect, test } from '@playwright/test';
import { PHONE, Shopper } from './shopper';
import {
  ADMIN,
  PASSWORD,
  idToken,
  listProducts,
  newEmail,
  outputs,
  registerShopper,
} from './support';

test.use({ viewport: PHONE });

const sqsClient = () => {
  const endpoint = outputs().custom?.local?.sqs;
  if (typeof endpoint !== 'string') throw new Error('amplify_outputs.json has no local SQS');
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'LOCALACCESSKEY', secretAccessKey: 'localsecretkey' },
  });
};

/** Set-up, as a shopper's browser would do it: an order with a card the bank declines. */
async function placeDeclinedOrder(): Promise<string> {
  const email = newEmail('declined');
  await registerShopper(email);
  const product = (await listProducts()).find((p) => p.stock > 0);
  if (!product) throw new Error('the seeded catalog has nothing in stock');
  const response = await fetch(outputs().data.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await idToken(email, PASSWORD) },
    body: JSON.stringify({
      query: /* GraphQL */ `
        mutation ($key: String!, $address: ShippingAddressInput!, $lines: [CartLineInput!]!) {
          placeOrder(
            idempotencyKey: $key
            shippingAddress: $address
            lines: $lines
            paymentMethodId: "pm_card_chargeDeclined"
          ) {
            id
          }
        }
      `,
      variables: {
        key: `ops-${Date.now()}`,
        address: {
          name: 'Ada Lovelace',
          line1: '1 Analytical Way',
          city: 'Springfield',
          postalCode: '12345',
          country: 'US',
        },
        lines: [{ productId: product.id, quantity: 1 }],
      },
    }),
  });
  const body = (await response.json()) as { data?: { placeOrder?: { id: string } } };
  const id = body.data?.placeOrder?.id;
  if (!id) throw new Error(`placeOrder failed: ${JSON.stringify(body)}`);
  return id;
}

/**
 * Set-up: a message the consumer cannot read, received three times and dead-lettered (the
 * queue's visibility timeout lowered for the while, as an operator may).
 */
async function poisonTheQueue(body: string): Promise<void> {
  const sqs = sqsClient();
  const urls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
  const queueUrl = urls.find((u) => /OrdersQueue/.test(u) && !/DeadLetter/.test(u));
  const dlqUrl = urls.find((u) => /OrdersDeadLetterQueue/.test(u));
  if (!queueUrl || !dlqUrl) throw new Error('no OrdersQueue / OrdersDeadLetterQueue');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );
  const original = Attributes?.VisibilityTimeout ?? '180';
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '1' } }),
  );
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await expect
      .poll(
        async () =>
          Number(
            (
              await sqs.send(
                new GetQueueAttributesCommand({
                  QueueUrl: dlqUrl,
                  AttributeNames: ['ApproximateNumberOfMessages'],
                }),
              )
            ).Attributes?.ApproximateNumberOfMessages,
          ),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
  } finally {
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { VisibilityTimeout: original },
      }),
    );
    sqs.destroy();
  }
}

test('an operator sees a failed order and a dead letter, redrives it and reads the order story and its log lines', async ({
  page,
}) => {
  test.setTimeout(480_000);
  const failedId = await placeDeclinedOrder();
  const poison = `not an order ${Date.now()}`;
  await poisonTheQueue(poison);
  const number = failedId.slice(0, 8).toUpperCase();

  // next dev compiles a route on its first visit; on a loaded machine that outlasts a click's
  // patience, so the journey's routes are compiled before it starts (no page visits them).
  for (const route of ['/sign-in', '/admin', '/admin/operations'])
    await page.request.get(route, { timeout: 170_000 });

  const operator = await Shopper.atHome(page);
  const header = page.getByRole('banner');
  await operator.click(header.getByRole('link', { name: 'Sign in' }));
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await operator.click(page.getByRole('button', { name: 'Sign in', exact: true }));
  await operator.click(header.getByRole('link', { name: 'Admin' }));
  await operator.click(page.getByRole('link', { name: 'Operations' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Operations' })).toBeVisible();

  // The declined order: counted as failed in the last hour, listed with its code (polled in).
  const failedRow = page.getByRole('row', { name: /Order failed/ });
  await expect(failedRow.getByRole('cell').first()).not.toHaveText('0');
  const failures = page.getByRole('list', { name: 'Latest failures' });
  await expect(failures.getByRole('listitem').filter({ hasText: `#${number}` })).toContainText(
    'PAYMENT_DECLINED',
  );

  // The dead letter is shown; Redrive sends it back to OrdersQueue.
  const deadLetters = page.getByRole('list', { name: 'Dead-letter messages' });
  await expect(deadLetters.getByText(poison)).toBeVisible();
  // Reading a dead letter receives it (SQS has no peek): the page's refreshes leave it alone, so
  // its receive count still says how often the consumer tried.
  const letter = deadLetters.getByRole('listitem').filter({ hasText: poison });
  const received = await letter.textContent();
  const lastRead = page.getByText(/Last read at/);
  const readBefore = await lastRead.textContent();
  await expect(lastRead).not.toHaveText(readBefore ?? '', { timeout: 20_000 });
  await expect(letter).toHaveText(received ?? '');
  await operator.snapshot('operations-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  await operator.snapshot('operations-desktop');
  await page.setViewportSize(PHONE);

  await operator.click(page.getByRole('button', { name: 'Redrive' }));
  await expect(page.getByRole('status').filter({ hasText: 'Redrive started' })).toBeVisible();
  await expect(page.getByText(/Last redrive completed: \d+ of \d+ moved/)).toBeVisible();
  await expect(deadLetters.getByText(poison)).toHaveCount(0);

  // The failed order's story: its statuses, and the step that failed.
  await operator.click(page.getByRole('button', { name: `Story of #${number}` }).first());
  const story = page.getByRole('article', { name: `Story of order ${number}` });
  await expect(story.getByRole('list', { name: 'Status history' })).toContainText('Order failed');
  const authorize = story.getByRole('row', { name: /AuthorizePayment/ });
  await expect(authorize).toContainText('failed');
  // Its log lines, as the functions logged them (CloudWatch Logs): placed, then failed.
  const logLines = story.getByRole('list', { name: 'Log lines' });
  await expect(
    logLines.getByRole('listitem').filter({ hasText: 'placeOrder' }).first(),
  ).toContainText('order placed');
  await expect(
    logLines.getByRole('listitem').filter({ hasText: 'failOrder' }).filter({ hasText: 'WARN' }),
  ).toContainText('order failed');
  await operator.snapshot('operations-story-390');
});
