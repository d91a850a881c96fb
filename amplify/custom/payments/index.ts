export { BankWaitsTable } from './bank-waits';
export { STRIPE_WEBHOOK_PATH, StripeWebhookApi, type StripeWebhookApiProps } from './webhook-api';
