import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import { ORDER_STATUSES } from '../domain/order';
import { operations } from '../functions/operations/resource';
import { placeOrder } from '../functions/place-order/resource';
import { paymentAction } from '../functions/payment-action/resource';
import { receiptUrl } from '../functions/receipt-url/resource';
import { stripeWebhook } from '../functions/stripe-webhook/resource';
import { SAGA_FUNCTIONS } from '../saga/functions';

/**
 * The storefront's data: a catalog anyone may read, and orders that only the backend writes.
 * Shoppers never create or change an order directly: placeOrder prices it on the server and the
 * workflow's functions advance it through updateOrder (IAM), selecting every field so that the
 * owner's onUpdateOrder subscription carries the whole order.
 */
const schema = a
  .schema({
    OrderStatus: a.enum(ORDER_STATUSES),

    ShippingAddress: a.customType({
      name: a.string().required(),
      line1: a.string().required(),
      line2: a.string(),
      city: a.string().required(),
      region: a.string(),
      postalCode: a.string().required(),
      country: a.string().required(),
    }),

    OrderLine: a.customType({
      productId: a.id().required(),
      sku: a.string().required(),
      name: a.string().required(),
      unitPriceCents: a.integer().required(),
      quantity: a.integer().required(),
    }),

    StatusChange: a.customType({
      status: a.ref('OrderStatus').required(),
      at: a.datetime().required(),
      note: a.string(),
    }),

    CartLine: a.customType({
      productId: a.id().required(),
      quantity: a.integer().required(),
    }),

    PaymentAction: a.customType({
      clientSecret: a.string().required(),
      paymentIntentId: a.string().required(),
      /** Offline only: the local Stripe's authentication page (in AWS, Stripe.js shows the bank's). */
      redirectUrl: a.string(),
    }),

    ReceiptLink: a.customType({
      url: a.url().required(),
      expiresAt: a.datetime().required(),
    }),

    Product: a
      .model({
        sku: a.string().required(),
        name: a.string().required(),
        description: a.string().required(),
        priceCents: a.integer().required(),
        currency: a.string().required(),
        image: a.string().required(),
        stock: a.integer().required(),
        active: a.boolean().required(),
        category: a.string().required(),
      })
      .secondaryIndexes((index) => [
        index('sku').queryField('productBySku'),
        index('category').sortKeys(['name']).queryField('productsByCategory'),
      ])
      .authorization((allow) => [
        allow.publicApiKey().to(['read']),
        allow.authenticated().to(['read']),
        allow.group('ADMINS'),
      ]),

    Order: a
      .model({
        owner: a.string().required(),
        email: a.email().required(),
        shippingAddress: a.ref('ShippingAddress').required(),
        lines: a.ref('OrderLine').required().array().required(),
        subtotalCents: a.integer().required(),
        taxCents: a.integer().required(),
        shippingCents: a.integer().required(),
        totalCents: a.integer().required(),
        currency: a.string().required(),
        status: a.ref('OrderStatus').required(),
        statusHistory: a.ref('StatusChange').required().array().required(),
        failureCode: a.string(),
        failureReason: a.string(),
        paymentMethodId: a.string().required(),
        paymentIntentId: a.string(),
        receiptKey: a.string(),
        carrier: a.string(),
        trackingNumber: a.string(),
        idempotencyKey: a.string().required(),
        createdAt: a.datetime(),
        updatedAt: a.datetime(),
      })
      .secondaryIndexes((index) => [
        index('owner').sortKeys(['createdAt']).queryField('ordersByOwner'),
        index('status').sortKeys(['createdAt']).queryField('ordersByStatus'),
      ])
      .authorization((allow) => [
        allow.ownerDefinedIn('owner').to(['read']),
        allow.group('ADMINS').to(['read']),
      ]),

    placeOrder: a
      .mutation()
      .arguments({
        idempotencyKey: a.string().required(),
        shippingAddress: a.ref('ShippingAddress').required(),
        lines: a.ref('CartLine').required().array().required(),
        paymentMethodId: a.string().required(),
      })
      .returns(a.ref('Order'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(placeOrder)),

    // The operations page (ADMINS only): see amplify/functions/operations/handler.ts.
    OpsStatusCount: a.customType({
      status: a.ref('OrderStatus').required(),
      lastHour: a.integer().required(),
      lastDay: a.integer().required(),
    }),
    OpsFailure: a.customType({
      orderId: a.id().required(),
      failureCode: a.string().required(),
      failureReason: a.string().required(),
      at: a.datetime().required(),
    }),
    OpsQueue: a.customType({
      name: a.string().required(),
      visible: a.integer().required(),
      inFlight: a.integer().required(),
    }),
    OpsDeadLetter: a.customType({
      messageId: a.string().required(),
      body: a.string().required(),
      sentAt: a.datetime().required(),
      receiveCount: a.integer().required(),
    }),
    OpsRedrive: a.customType({
      status: a.string().required(),
      moved: a.integer().required(),
      toMove: a.integer().required(),
      startedAt: a.datetime().required(),
      failureReason: a.string(),
    }),
    OpsStep: a.customType({
      step: a.string().required(),
      outcome: a.string().required(),
      startedAt: a.datetime().required(),
      durationMs: a.integer(),
      attempts: a.integer().required(),
      error: a.string(),
    }),
    OpsExecution: a.customType({
      executionArn: a.string().required(),
      name: a.string().required(),
      status: a.string().required(),
      startedAt: a.datetime().required(),
      stoppedAt: a.datetime(),
      steps: a.ref('OpsStep').required().array(),
    }),
    OpsOverview: a.customType({
      generatedAt: a.datetime().required(),
      counts: a.ref('OpsStatusCount').required().array().required(),
      failures: a.ref('OpsFailure').required().array().required(),
      queues: a.ref('OpsQueue').required().array().required(),
      // Null when not asked for (withDeadLetters): reading them adds to their receive counts.
      deadLetters: a.ref('OpsDeadLetter').required().array(),
      redrive: a.ref('OpsRedrive'),
      executions: a.ref('OpsExecution').required().array().required(),
    }),
    // Not StatusChange: a custom type takes the auth of every field that returns it, and the
    // shoppers' Order.statusHistory must stay readable by shoppers.
    OpsStatusChange: a.customType({
      status: a.ref('OrderStatus').required(),
      at: a.datetime().required(),
      note: a.string(),
    }),
    OpsStoryEvent: a.customType({
      at: a.datetime().required(),
      type: a.string().required(),
      step: a.string(),
      detail: a.string(),
    }),
    // One line a function logged about the order (CloudWatch Logs FilterLogEvents).
    OpsLogLine: a.customType({
      at: a.datetime().required(),
      functionName: a.string().required(),
      level: a.string(),
      message: a.string().required(),
    }),
    OpsOrderStory: a.customType({
      orderId: a.id().required(),
      status: a.ref('OrderStatus').required(),
      failureCode: a.string(),
      failureReason: a.string(),
      statusHistory: a.ref('OpsStatusChange').required().array().required(),
      execution: a.ref('OpsExecution'),
      steps: a.ref('OpsStep').required().array().required(),
      events: a.ref('OpsStoryEvent').required().array().required(),
      logLines: a.ref('OpsLogLine').required().array().required(),
      logsFrom: a.datetime().required(),
      logsTo: a.datetime().required(),
      logLinesTruncated: a.boolean().required(),
      logError: a.string(),
    }),

    operationsOverview: a
      .query()
      .arguments({ withDeadLetters: a.boolean() })
      .returns(a.ref('OpsOverview'))
      .authorization((allow) => [allow.group('ADMINS')])
      .handler(a.handler.function(operations)),

    orderStory: a
      .query()
      .arguments({ orderId: a.id().required() })
      .returns(a.ref('OpsOrderStory'))
      .authorization((allow) => [allow.group('ADMINS')])
      .handler(a.handler.function(operations)),

    redriveDeadLetters: a
      .mutation()
      .returns(a.ref('OpsRedrive'))
      .authorization((allow) => [allow.group('ADMINS')])
      .handler(a.handler.function(operations)),

    receiptUrl: a
      .query()
      .arguments({ orderId: a.id().required() })
      .returns(a.ref('ReceiptLink'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(receiptUrl)),

    paymentAction: a
      .query()
      .arguments({ orderId: a.id().required() })
      .returns(a.ref('PaymentAction'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(paymentAction)),
  })
  .authorization((allow) => [
    allow.resource(placeOrder),
    allow.resource(receiptUrl),
    allow.resource(paymentAction),
    allow.resource(stripeWebhook),
    ...Object.values(SAGA_FUNCTIONS).map((fn) => allow.resource(fn)),
  ]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  // Resolver errors go to CloudWatch (kept 30 days) without request contents.
  logging: { fieldLogLevel: 'error', excludeVerboseContent: true, retention: '1 month' },
  authorizationModes: {
    defaultAuthorizationMode: 'apiKey',
    apiKeyAuthorizationMode: { expiresInDays: 365 },
  },
});
