import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionStore, type ExecutionRecord } from './store';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const execution = (name: string): ExecutionRecord => ({
  executionArn: `arn:aws:states:us-east-1:000000000000:execution:OrderWorkflow:${name}`,
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderWorkflow',
  name,
  input: JSON.stringify({ orderId: name }),
  status: 'RUNNING',
  startDate: 1_700_000_000_000,
  resumes: 0,
  history: [],
});

const enter = (record: ExecutionRecord, state: string) => {
  record.history.push({
    id: record.history.length + 1,
    timestamp: 1_700_000_000_000 + record.history.length,
    type: 'TaskStateEntered',
    details: { name: state },
  });
  record.position = { state, input: { orderId: record.name } };
};

describe('Step Functions execution store', () => {
  it('brings back every execution with its whole history and position after a restart', async () => {
    const dir = freshDir();
    const store = new ExecutionStore(dir);
    const running = execution('order-1');
    for (const state of ['ValidateOrder', 'AuthorizePayment', 'ReserveInventory']) {
      enter(running, state);
      store.save(running);
    }
    const finished = execution('order-2');
    enter(finished, 'ValidateOrder');
    store.save(finished);
    finished.status = 'SUCCEEDED';
    finished.output = '{}';
    delete finished.position;
    store.save(finished);
    await store.flush();

    const reopened = new ExecutionStore(dir);
    expect(reopened.get(running.executionArn)).toEqual(running);
    expect(reopened.get(finished.executionArn)).toEqual(finished);
    expect(reopened.all()).toHaveLength(2);
  });

  it('appends each event to the log once, however often the execution is saved', async () => {
    const dir = freshDir();
    const store = new ExecutionStore(dir);
    const record = execution('order-3');
    enter(record, 'ValidateOrder');
    store.save(record);
    await store.flush();
    store.save(record);
    await store.flush();
    enter(record, 'AuthorizePayment');
    store.save(record);
    await store.flush();

    const log = readdirSync(join(dir, 'executions')).find((f) => f.endsWith('.jsonl'));
    const lines = readFileSync(join(dir, 'executions', log ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([1, 2]);
  });

  it('keeps what came before a torn last line of the log, and carries on after it', async () => {
    const dir = freshDir();
    const store = new ExecutionStore(dir);
    const record = execution('order-4');
    enter(record, 'ValidateOrder');
    await store.saveDurably(record);
    const log = readdirSync(join(dir, 'executions')).find((f) => f.endsWith('.jsonl')) ?? '';
    appendFileSync(join(dir, 'executions', log), '{"id":2,"timest');

    const reopened = new ExecutionStore(dir);
    const resumed = reopened.get(record.executionArn);
    expect(resumed?.history.map((e) => e.id)).toEqual([1]);
    expect(resumed?.position?.state).toBe('ValidateOrder');
  });

  it('reads executions saved before the history had its own log', async () => {
    const dir = freshDir();
    const old = execution('order-5');
    enter(old, 'ValidateOrder');
    enter(old, 'AuthorizePayment');
    mkdirSync(join(dir, 'executions'), { recursive: true });
    const file = `${createHash('sha1').update(old.executionArn).digest('hex')}.json`;
    writeFileSync(join(dir, 'executions', file), JSON.stringify(old));

    const store = new ExecutionStore(dir);
    const loaded = store.get(old.executionArn);
    expect(loaded?.history).toHaveLength(2);
    if (!loaded) return;
    enter(loaded, 'ReserveInventory');
    await store.saveDurably(loaded);
    expect(new ExecutionStore(dir).get(old.executionArn)?.history).toHaveLength(3);
  });

  it('has on disk, once saveDurably resolves, that save and everything saved before it', async () => {
    const dir = freshDir();
    const store = new ExecutionStore(dir, { flushDelayMs: 60_000 });
    const earlier = execution('order-6');
    enter(earlier, 'ValidateOrder');
    store.save(earlier);
    // Not yet written: the flush window (a minute here) has not passed.
    expect(new ExecutionStore(dir).all()).toHaveLength(0);
    const started = execution('order-7');
    await store.saveDurably(started);
    const reopened = new ExecutionStore(dir);
    expect(reopened.get(started.executionArn)).toEqual(started);
    expect(reopened.get(earlier.executionArn)).toEqual(earlier);
  });

  it('writes a batch of saves by itself once the flush window passes', async () => {
    const dir = freshDir();
    const store = new ExecutionStore(dir, { flushDelayMs: 5 });
    const record = execution('order-8');
    for (const state of ['ValidateOrder', 'AuthorizePayment']) {
      enter(record, state);
      store.save(record);
    }
    await expect
      .poll(() => new ExecutionStore(dir).get(record.executionArn)?.history.length)
      .toBe(2);
  });

  it('forgets the oldest finished executions past its bound, never a running one', async () => {
    const dir = freshDir();
    const store = new ExecutionStore(dir, { keepFinished: 2 });
    const running = execution('still-running');
    running.startDate = 1;
    store.save(running);
    for (let i = 0; i < 4; i++) {
      const done = execution(`done-${i}`);
      done.status = 'SUCCEEDED';
      done.stopDate = 1_700_000_000_000 + i;
      store.save(done);
    }
    await store.flush();
    const names = (s: ExecutionStore) =>
      s
        .all()
        .map((r) => r.name)
        .sort();
    expect(names(store)).toEqual(['done-2', 'done-3', 'still-running']);
    expect(names(new ExecutionStore(dir))).toEqual(['done-2', 'done-3', 'still-running']);
    const heads = readdirSync(join(dir, 'executions')).filter((f) => f.endsWith('.json'));
    expect(heads).toHaveLength(3);
  });
});
