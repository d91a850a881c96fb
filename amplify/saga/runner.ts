import {
  failureFromStepFunctionsError,
  OrderNotFoundError,
  OrderValidationError,
  TransientError,
} from '../domain/errors';
import type { Order, OrderStatus } from '../domain/order';
import { assertTransition, hasReached, isTerminal, planTransition } from '../domain/status';
import { parseStepInput, type StepInput } from '../functions/shared/events';
import {
  appSyncOrders,
  cleanHistory,
  type OrderPatch,
  type OrderStore,
} from '../functions/shared/orders';
import {
  keysOfStepInput,
  logger,
  observed,
  record,
  type LambdaHandler,
} from '../functions/shared/observability';
import { metricsOfMove, orderFailed, stepDuration } from './metrics';
import { z } from 'zod';
import type { Compensation, FailureStep, ForwardStep, SagaLambda, Wait } from './step';

/** How the runner reaches orders and the clock; tests pass fakes. */
export interface RunnerDeps {
  orders: OrderStore;
  now: () => Date;
}

const LIVE: RunnerDeps = { orders: appSyncOrders, now: () => new Date() };

const MAX_ATTEMPTS = 4;

/**
 * Moves an order, as read, to `to` with `patch`, conditioned on the status it was read in and
 * appending a StatusChange to its history. A lost race re-reads and decides again: an order that
 * got there meanwhile comes back unchanged (`changed: false`), an illegal move throws.
 */
export const moveOrder = async (
  { orders, now }: RunnerDeps,
  read: Order,
  to: OrderStatus,
  patch: OrderPatch = {},
): Promise<{ order: Order; changed: boolean }> => {
  let current = read;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    if (planTransition(current.status, to) === 'already-done') {
      return { order: current, changed: false };
    }
    const statusHistory = [
      ...cleanHistory(current.statusHistory),
      { status: to, at: now().toISOString(), note: null },
    ];
    const written = await orders.moveIfUnchanged(current, { status: to, statusHistory, patch });
    if (written) return { order: written, changed: true };
    const reread = await orders.find(read.id);
    if (!reread) throw new OrderNotFoundError(read.id);
    current = reread;
  }
  throw new TransientError(`order ${read.id} kept changing while moving it to ${to}`);
};

/** A Lambda handler that runs one saga Lambda; `lambda` names what it runs (tests check it). */
export type SagaHandler<Output, Of> = LambdaHandler<Output> & {
  readonly lambda: Of;
};

/**
 * Every saga Lambda runs observed (amplify/functions/shared/observability.ts): its log lines carry
 * the order id and execution name, and it records how long it ran as StepDuration by state.
 */
const handlerOf = <Output, Of extends SagaLambda>(
  lambda: Of,
  run: (event: unknown) => Promise<Output>,
  now: () => Date,
): SagaHandler<Output, Of> => {
  const timed: LambdaHandler<Output> = async (event) => {
    const started = now().getTime();
    try {
      return await run(event);
    } finally {
      record(stepDuration(lambda.state, now().getTime() - started));
    }
  };
  return Object.assign(observed(timed, { keysOf: keysOfStepInput }), { lambda });
};

/**
 * Runs a forward step: reads the order once, skips it when the order has already passed the
 * step (a retry or a duplicate execution), acts, then writes the move conditioned on the status read.
 */
export const runStep = <Deps>(
  step: ForwardStep<Deps>,
  deps: RunnerDeps = LIVE,
): SagaHandler<{ orderId: string }, ForwardStep<Deps>> =>
  handlerOf(
    step,
    async (event) => {
      const { orderId } = parseStepInput(event);
      const order = await deps.orders.find(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (hasReached(order.status, step.moves)) {
        logger.info('step already done', { status: order.status });
        return { orderId };
      }
      assertTransition(order.status, step.moves);
      const needs = step.dependencies();
      const patch = (await step.action(order, needs)) ?? {};
      const moved = await moveOrder(deps, order, step.moves, patch);
      if (moved.changed) {
        logger.info(`order moved to ${step.moves}`, { from: order.status });
        record(...metricsOfMove(moved.order, deps.now()));
      }
      if (moved.changed && step.afterMove) await step.afterMove(moved.order, needs);
      return { orderId };
    },
    deps.now,
  );

/**
 * Runs a compensation: a missing order holds nothing and a COMPLETED one's stock and payment are
 * final, so both are left alone. Passes its input (`error` included) on to the next compensation.
 */
export const runCompensation = <Deps>(
  compensation: Compensation<Deps>,
  deps: RunnerDeps = LIVE,
): SagaHandler<StepInput, Compensation<Deps>> =>
  handlerOf(
    compensation,
    async (event) => {
      const input = parseStepInput(event);
      const order = await deps.orders.find(input.orderId);
      if (!order || order.status === 'COMPLETED') return input;
      await compensation.undo(order, compensation.dependencies());
      logger.info(`${compensation.state} done`, { status: order.status });
      return input;
    },
    deps.now,
  );

/**
 * Runs the failure step: an order already COMPLETED or FAILED keeps its outcome; otherwise the
 * step tells operators and the shopper, then the order becomes FAILED with the failure's code and
 * the shopper's reason (the operator's detail never goes on the order).
 */
export const runFailure = <Deps>(
  step: FailureStep<Deps>,
  deps: RunnerDeps = LIVE,
): SagaHandler<{ orderId: string; failureCode: string }, FailureStep<Deps>> =>
  handlerOf(
    step,
    async (event) => {
      const { orderId, error } = parseStepInput(event);
      const failure = failureFromStepFunctionsError(error);
      const order = await deps.orders.find(orderId);
      if (order && isTerminal(order.status)) {
        return { orderId, failureCode: order.failureCode ?? failure.code };
      }
      await step.tell(failure, orderId, order, step.dependencies());
      if (order) {
        const moved = await moveOrder(deps, order, 'FAILED', {
          failureCode: failure.code,
          failureReason: failure.shopperMessage,
        });
        if (moved.changed) {
          logger.warn('order failed', { failureCode: failure.code, from: order.status });
          record(orderFailed(failure.code));
        }
      }
      return { orderId, failureCode: failure.code };
    },
    deps.now,
  );

const waitInputSchema = z.object({
  orderId: z.string().min(1).max(128),
  taskToken: z.string().min(1).max(8192),
  /** What the Catch recorded of the asking step's error: {Error, Cause}. */
  asked: z.object({ Cause: z.string().nullish() }).nullish(),
});

/**
 * Runs a wait's Lambda: keeps the task token, then shows the order as waiting (the order moves
 * only once the token is kept, so whoever the shopper's action reaches can already answer). An
 * order already past the wait, or waiting again after a second ask, only has its token kept.
 */
export const runWait = <Deps>(
  wait: Wait<Deps>,
  deps: RunnerDeps = LIVE,
): SagaHandler<{ orderId: string }, Wait<Deps>> =>
  handlerOf(
    wait,
    async (event) => {
      const parsed = waitInputSchema.safeParse(event);
      if (!parsed.success)
        throw new OrderValidationError(
          'INVALID_ORDER',
          `wait input must be {"orderId", "taskToken"}: ${z.prettifyError(parsed.error)}`,
        );
      const { orderId, taskToken, asked } = parsed.data;
      const order = await deps.orders.find(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (order.status !== wait.moves) assertTransition(order.status, wait.moves);
      const patch =
        (await wait.keep(order, taskToken, causeMessageOf(asked?.Cause), wait.dependencies())) ??
        {};
      await moveOrder(deps, order, wait.moves, patch);
      return { orderId };
    },
    deps.now,
  );

/** The errorMessage of a Lambda error's Cause (Step Functions keeps it as that JSON), else the Cause. */
const causeMessageOf = (cause: string | null | undefined): string => {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
};
