import type { WorkflowFailure } from '../domain/errors';
import type { Order, OrderStatus } from '../domain/order';
import type { OrderPatch } from '../functions/shared/orders';

/**
 * What a step's Lambda reaches beside the GraphQL API. backend.ts turns each into the function's
 * environment and its least-privilege grants; nothing else gives a saga function access.
 */
export interface StepNeeds {
  /** The Product table: `read` (GetItem, BatchGetItem), or `stock` (also UpdateItem, for conditional stock moves). */
  readonly productTable?: 'read' | 'stock';
  /** The Order table's name and GetItem (orders still change only through AppSync). */
  readonly orderTable?: true;
  /** The Stripe secret key, an Amplify secret resolved at cold start. */
  readonly stripe?: true;
  /** Write access to receipts/* in the receipts bucket (and its name). */
  readonly receipts?: true;
  /** SES, only from the shop's address, and the storefront URL for links. */
  readonly email?: true;
  /** Publish to the OrderEvents topic. */
  readonly orderEvents?: true;
  /** Publish to the OrderErrors topic. */
  readonly orderErrors?: true;
  /** Put and read the task tokens of executions waiting on the shopper's bank (BankWaits table). */
  readonly bankWaits?: true;
}

/** A Lambda of the saga: its Step Functions state name (the function is the same name, lower camel case). */
export interface SagaLambda {
  readonly state: string;
  readonly needs: StepNeeds;
  /** 20 when not given. */
  readonly timeoutSeconds?: number;
  /** 256 when not given. */
  readonly memoryMB?: number;
}

/*
 * `dependencies()` makes a step's real dependencies (SDK clients bound to the environment) only
 * when it acts, so a step that finds its work done needs none of its settings; unit tests hand
 * `action` fakes instead. Methods, not arrow properties, so a step with its own Deps still fits a
 * list of steps.
 */

/** Undoes a forward step for an order that exists and is not COMPLETED; nothing to undo is a no-op. */
export interface Compensation<Deps = unknown> extends SagaLambda {
  dependencies(): Deps;
  undo(order: Order, deps: Deps): Promise<void>;
}

/** A forward step: moves an order from the status before `moves` to `moves`. */
export interface ForwardStep<Deps = unknown> extends SagaLambda {
  readonly moves: OrderStatus;
  dependencies(): Deps;
  /** The step's work on the order as read; returns the fields to set together with the move. */
  action(order: Order, deps: Deps): Promise<OrderPatch | void>;
  /** Runs only when this invocation made the move (not when it found it made): best-effort news. */
  afterMove?(moved: Order, deps: Deps): Promise<void>;
  /** Undoes this step when a later one fails; compensations run in reverse forward order. */
  readonly compensation?: Compensation;
}

/** The saga's last word on a failure: tells operators and the shopper, then the order is FAILED. */
export interface FailureStep<Deps = unknown> extends SagaLambda {
  dependencies(): Deps;
  /** Runs before the order is marked FAILED (told twice on a retry, never zero times); `order` is null when it is gone. */
  tell(failure: WorkflowFailure, orderId: string, order: Order | null, deps: Deps): Promise<void>;
}

/**
 * A pause in the saga: a forward step asks for it by throwing an error named `asks`; the state
 * machine then runs this Lambda with a task token (`.waitForTaskToken`) and waits until someone
 * sends the token back (SendTaskSuccess: the step runs again; SendTaskFailure: compensation) or
 * the deploy setting's time passes (compensation, as `timeoutError`).
 */
export interface Wait<Deps = unknown> extends SagaLambda {
  /** The forward step's state that asks for the wait, and runs again after it. */
  readonly after: string;
  /** The error name the step throws to ask for it. */
  readonly asks: string;
  /** The status the order shows while it waits. */
  readonly moves: OrderStatus;
  /** The error the saga compensates with when the wait runs out. */
  readonly timeoutError: string;
  dependencies(): Deps;
  /** Keeps the token where the one who answers finds it; `asked` is the step's error message. */
  keep(order: Order, taskToken: string, asked: string, deps: Deps): Promise<OrderPatch | void>;
}

/** Declares a wait. */
export const defineWait = <Deps>(wait: Wait<Deps>): Wait<Deps> => wait;

/** Declares a forward step (typing only: the step is its own declaration). */
export const defineStep = <Deps>(step: ForwardStep<Deps>): ForwardStep<Deps> => step;

/** Declares a compensation, kept in the file of the step it undoes. */
export const defineCompensation = <Deps>(step: Compensation<Deps>): Compensation<Deps> => step;

/** Declares the saga's failure step. */
export const defineFailure = <Deps>(step: FailureStep<Deps>): FailureStep<Deps> => step;

/** The Amplify function name of a state: `ReserveInventory` -> `reserveInventory`. */
export const functionNameOf = (lambda: Pick<SagaLambda, 'state'>): string =>
  lambda.state.charAt(0).toLowerCase() + lambda.state.slice(1);

/** The folder of its handler under amplify/functions: `ReserveInventory` -> `reserve-inventory`. */
export const handlerFolderOf = (lambda: Pick<SagaLambda, 'state'>): string =>
  lambda.state.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
