/** Everything the local Stripe keeps, journaled before it is answered and compacted at start. */
import type { CardOutcome } from './cards';
import { Journal } from '../kit/journal';
import {
  invalid,
  type PaymentIntent,
  type Refund,
  type Charge,
  type SavedResponse,
  type PaymentMethod,
  type StoredRecord,
  type WebhookEndpoint,
} from './model';

/** Told of every record saved, with what it replaced (intents and charges): events come from here. */
export type LedgerObserver = (record: StoredRecord, before: unknown) => void;

/** Opens the journal in dataDir and replays it into the objects Stripe serves. */
export function openLedger(dataDir: string) {
  const journal = new Journal<StoredRecord>(dataDir, 'stripe.journal.jsonl');
  const intents = new Map<string, PaymentIntent>();
  const refunds = new Map<string, Refund>();
  const charges = new Map<string, Charge>();
  const idempotency = new Map<string, SavedResponse>();
  const methods = new Map<string, { method: PaymentMethod; outcome: CardOutcome }>();
  const endpoints = new Map<string, WebhookEndpoint>();
  const observers: LedgerObserver[] = [];
  const apply = (record: StoredRecord) => {
    if (record.t === 'pi') intents.set(record.v.id, record.v);
    else if (record.t === 'pm')
      methods.set(record.v.id, { method: record.v, outcome: record.outcome });
    else if (record.t === 're') refunds.set(record.v.id, record.v);
    else if (record.t === 'ch') charges.set(record.v.id, record.v);
    else if (record.t === 'we') endpoints.set(record.v.id, record.v);
    else if (record.t === 'we-') endpoints.delete(record.id);
    else idempotency.set(record.k, record.v);
  };
  for (const record of journal.read()) apply(record);
  journal.rewrite([
    ...[...methods.values()].map(({ method, outcome }): StoredRecord => ({
      t: 'pm',
      v: method,
      outcome,
    })),
    ...[...intents.values()].map((v): StoredRecord => ({ t: 'pi', v })),
    ...[...charges.values()].map((v): StoredRecord => ({ t: 'ch', v })),
    ...[...refunds.values()].map((v): StoredRecord => ({ t: 're', v })),
    ...[...endpoints.values()].map((v): StoredRecord => ({ t: 'we', v })),
    ...[...idempotency].map(([k, v]): StoredRecord => ({ t: 'idem', k, v })),
  ]);
  const save = (record: StoredRecord) => {
    const before =
      record.t === 'pi'
        ? intents.get(record.v.id)
        : record.t === 'ch'
          ? charges.get(record.v.id)
          : undefined;
    journal.append(record);
    apply(record);
    for (const observe of observers) observe(record, before);
  };
  const observe = (observer: LedgerObserver) => observers.push(observer);
  const intentOf = (intentId: string, param = 'intent') => {
    const intent = intents.get(intentId);
    if (!intent)
      throw invalid(`No such payment_intent: '${intentId}'`, param, 'resource_missing', 404);
    return intent;
  };

  return { intents, refunds, charges, idempotency, methods, endpoints, save, observe, intentOf };
}

/** The objects and how to change them. */
export type Ledger = ReturnType<typeof openLedger>;
