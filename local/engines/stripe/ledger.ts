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
} from './model';

/** Opens the journal in dataDir and replays it into the objects Stripe serves. */
export function openLedger(dataDir: string) {
  const journal = new Journal<StoredRecord>(dataDir, 'stripe.journal.jsonl');
  const intents = new Map<string, PaymentIntent>();
  const refunds = new Map<string, Refund>();
  const charges = new Map<string, Charge>();
  const idempotency = new Map<string, SavedResponse>();
  const methods = new Map<string, { method: PaymentMethod; outcome: CardOutcome }>();
  const apply = (record: StoredRecord) => {
    if (record.t === 'pi') intents.set(record.v.id, record.v);
    else if (record.t === 'pm')
      methods.set(record.v.id, { method: record.v, outcome: record.outcome });
    else if (record.t === 're') refunds.set(record.v.id, record.v);
    else if (record.t === 'ch') charges.set(record.v.id, record.v);
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
    ...[...idempotency].map(([k, v]): StoredRecord => ({ t: 'idem', k, v })),
  ]);
  const save = (record: StoredRecord) => {
    journal.append(record);
    apply(record);
  };
  const intentOf = (intentId: string, param = 'intent') => {
    const intent = intents.get(intentId);
    if (!intent)
      throw invalid(`No such payment_intent: '${intentId}'`, param, 'resource_missing', 404);
    return intent;
  };

  return { intents, refunds, charges, idempotency, methods, save, intentOf };
}

/** The objects and how to change them. */
export type Ledger = ReturnType<typeof openLedger>;
