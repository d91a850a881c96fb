import './polyfill';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { ExecutionRecord, ExecutionStore, HistoryEvent } from './store';

type JsonValue = Parameters<StateMachine['run']>[0];
type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** The error a Lambda task fails with: its name is the function's errorType, as Retry/Catch see it. */
export class LambdaTaskError extends Error {
  constructor(errorType: string, errorMessage: string, trace: string[] = []) {
    // Step Functions reports a Lambda failure's Cause as this JSON document.
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
  }
}

export interface MachineConfig {
  name: string;
  arn: string;
  definition: StateMachineDefinition;
  /** Function name per task state name, task Resource ARN, or FunctionName parameter. */
  taskFunctions: Record<string, string>;
}

export interface RunnerDependencies {
  store: ExecutionStore;
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  /** Non-Lambda task resources (e.g. arn:aws:states:::sns:publish), when the workflow has any. */
  callService?: (resource: string, input: unknown, stateName: string) => Promise<unknown>;
  validate: boolean;
  /**
   * Multiplies every Retry's IntervalSeconds and MaxDelaySeconds (default 1): the backoff keeps its
   * shape, attempts and jitter. Only test backends shorten it, so a saga test that exercises four
   * attempts with 2 s doubling does not sit through 14 s of waiting.
   */
  retryScale?: number;
}

interface Machine extends MachineConfig {
  machine: StateMachine;
  resumeMachines: Map<string, StateMachine>;
  taskStates: Map<string, { resource: string; timeoutMs: number }>;
}

interface LiveExecution {
  record: ExecutionRecord;
  abort: () => void;
  /** Task attempts the engine has announced (StateEntered or StateRetried) and handlers taken. */
  announced: number;
  claimed: number;
  wake: Set<() => void>;
  /** A completed task result to hand back instead of invoking again (resume after a crash). */
  replay?: { state: string; value: unknown };
  detached: boolean;
  done: Promise<void>;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';
/**
 * What `$$.Task.Token` reads as in a state's Parameters: the engine swaps it for a fresh token
 * of its own for each attempt of a `.waitForTaskToken` task, before the task sees its input.
 */
const TOKEN_PLACEHOLDER = 'local-task-token-placeholder';

/** A task waiting for SendTaskSuccess / SendTaskFailure. */
interface PendingTask {
  executionArn: string;
  settle: (outcome: { output: unknown } | { error: string; cause: string }) => void;
}

/** The error SendTaskFailure fails a waiting task with: its name is what Catch matches. */
export class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Why a token cannot be answered (the answers of AWS for the same cases). */
export class TaskTokenError extends Error {
  constructor(
    readonly code: 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const replaceDeep = (value: unknown, from: string, to: string): unknown => {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, from, to));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceDeep(item, from, to)]),
    );
  return value;
};

function functionNameOf(ref: string): string {
  // arn:aws:lambda:region:account:function:name[:qualifier]
  const parts = ref.split(':');
  if (ref.startsWith('arn:') && parts[5] === 'function' && parts[6]) return parts[6];
  return ref;
}

/** Runs executions with aws-local-stepfunctions, persisting each transition so a restart resumes. */
export class WorkflowRunner {
  private readonly machines = new Map<string, Machine>();
  private readonly live = new Map<string, LiveExecution>();
  private readonly finishedListeners = new Map<string, Set<(r: ExecutionRecord) => void>>();
  /** Tokens of tasks waiting now; a token answered, timed out or of a stopped execution is gone. */
  private readonly pending = new Map<string, PendingTask>();
  /** Tokens once issued, so a late answer gets TaskTimedOut rather than InvalidToken. */
  private readonly issued = new Set<string>();

  constructor(
    configs: MachineConfig[],
    private readonly deps: RunnerDependencies,
  ) {
    for (const config of configs) {
      const taskStates = new Map<string, { resource: string; timeoutMs: number }>();
      for (const [name, state] of Object.entries(config.definition.States)) {
        if (state.Type === 'Task')
          taskStates.set(name, {
            resource: state.Resource,
            timeoutMs: (state.TimeoutSeconds ?? 60) * 1000,
          });
      }
      const scale = deps.retryScale ?? 1;
      // The definition as written is what gets validated; the scaled copy (fractional seconds,
      // which ASL does not allow) is only run.
      const definition = scale === 1 ? config.definition : scaleRetries(config.definition, scale);
      if (definition !== config.definition && deps.validate) new StateMachine(config.definition);
      this.machines.set(config.arn, {
        ...config,
        definition,
        machine: new StateMachine(definition, {
          validationOptions: { noValidate: !deps.validate || definition !== config.definition },
        }),
        resumeMachines: new Map(),
        taskStates,
      });
    }
  }

  machineArns(): string[] {
    return [...this.machines.keys()];
  }

  machine(arn: string): MachineConfig | undefined {
    return this.machines.get(arn);
  }

  isLive(arn: string): boolean {
    return this.live.has(arn);
  }

  /** Resolves with the record once the execution reaches a terminal state. */
  whenFinished(arn: string): Promise<ExecutionRecord> {
    const record = this.deps.store.get(arn);
    if (record && record.status !== 'RUNNING') return Promise.resolve(record);
    return new Promise((resolve) => {
      const listeners = this.finishedListeners.get(arn) ?? new Set();
      listeners.add(resolve);
      this.finishedListeners.set(arn, listeners);
    });
  }

  /** Starts (or, after a restart, resumes) the execution the record describes. */
  run(record: ExecutionRecord): void {
    const machine = this.machines.get(record.stateMachineArn);
    if (!machine) throw new Error(`No state machine ${record.stateMachineArn} for ${record.name}`);
    const position = record.position;
    let stateMachine = machine.machine;
    let input = JSON.parse(record.input) as JsonValue;
    let replay: LiveExecution['replay'];
    if (position) {
      // Resume: a definition identical but for StartAt, entered with the state's saved raw input.
      stateMachine = this.resumeMachine(machine, position.state);
      input = position.input as JsonValue;
      if (position.result) replay = { state: position.state, value: position.result.value };
      record.resumes += 1;
      this.deps.store.save(record);
    }

    const live: LiveExecution = {
      record,
      abort: () => undefined,
      announced: 0,
      claimed: 0,
      wake: new Set(),
      replay,
      detached: false,
      done: Promise.resolve(),
    };
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const [stateName, task] of machine.taskStates) {
      handlers[stateName] = (taskInput) => this.runTask(machine, live, stateName, task, taskInput);
    }
    const execution = stateMachine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          StartTime: new Date(record.startDate).toISOString(),
        },
        Task: { Token: TOKEN_PLACEHOLDER },
      } as never,
    });
    live.abort = execution.abort;
    // Outcomes are read from the event log; the promise is settled here only to be observed.
    execution.result.catch(() => undefined);
    this.live.set(record.executionArn, live);
    live.done = this.follow(machine, live, execution.eventLogs);
  }

  private resumeMachine(machine: Machine, state: string): StateMachine {
    if (state === machine.definition.StartAt) return machine.machine;
    let resumed = machine.resumeMachines.get(state);
    if (!resumed) {
      resumed = new StateMachine(
        { ...machine.definition, StartAt: state },
        { validationOptions: { noValidate: true } },
      );
      machine.resumeMachines.set(state, resumed);
    }
    return resumed;
  }

  private async claim(live: LiveExecution): Promise<number> {
    // The engine announces a task attempt synchronously before calling its handler, but the event
    // log is read asynchronously: wait until the announcement (and its saved position) is on disk.
    while (live.announced <= live.claimed) {
      if (live.detached) throw new LambdaTaskError('States.Runtime', 'The local engine stopped');
      await new Promise<void>((resolve) => live.wake.add(resolve));
    }
    live.claimed += 1;
    return live.claimed;
  }

  private async runTask(
    machine: Machine,
    live: LiveExecution,
    stateName: string,
    task: { resource: string; timeoutMs: number },
    input: JsonValue,
  ): Promise<JsonValue> {
    const attempt = await this.claim(live);
    if (live.replay && live.replay.state === stateName) {
      const { value } = live.replay;
      live.replay = undefined;
      return value as JsonValue;
    }
    live.replay = undefined;
    const startedAt = Date.now();
    const result = task.resource.endsWith(WAIT_FOR_TASK_TOKEN)
      ? await this.waitForToken(machine, live, stateName, task, input)
      : await this.callTask(machine, stateName, task.resource, input);
    const position = live.record.position;
    const stillCurrent =
      !live.detached &&
      live.record.status === 'RUNNING' &&
      live.claimed === attempt &&
      position?.state === stateName &&
      Date.now() - startedAt < task.timeoutMs;
    if (stillCurrent && position) {
      position.result = { value: result };
      this.deps.store.save(live.record);
    }
    return result;
  }

  /**
   * A `.waitForTaskToken` task: mints a token, hands it to the task in place of `$$.Task.Token`,
   * then waits for SendTaskSuccess/SendTaskFailure with it. The state's TimeoutSeconds is enforced
   * by aws-local-stepfunctions (States.Timeout); the token then stops being answerable.
   */
  private async waitForToken(
    machine: Machine,
    live: LiveExecution,
    stateName: string,
    task: { resource: string; timeoutMs: number },
    input: JsonValue,
  ): Promise<JsonValue> {
    const token = Buffer.from(
      JSON.stringify({ e: live.record.executionArn, s: stateName, n: randomUUID() }),
    ).toString('base64url');
    const answered = new Promise<JsonValue>((resolve, reject) => {
      this.pending.set(token, {
        executionArn: live.record.executionArn,
        settle: (outcome) =>
          'output' in outcome
            ? resolve(outcome.output as JsonValue)
            : reject(new TaskFailure(outcome.error, outcome.cause)),
      });
    });
    this.issued.add(token);
    const expire = setTimeout(() => this.pending.delete(token), task.timeoutMs);
    expire.unref();
    try {
      await this.callTask(
        machine,
        stateName,
        task.resource.slice(0, -WAIT_FOR_TASK_TOKEN.length),
        replaceDeep(input, TOKEN_PLACEHOLDER, token) as JsonValue,
      );
    } catch (error) {
      this.pending.delete(token);
      clearTimeout(expire);
      throw error;
    }
    try {
      return await answered;
    } finally {
      clearTimeout(expire);
    }
  }

  /** SendTaskSuccess / SendTaskFailure: settles the task waiting on `token`. */
  answer(token: string, outcome: { output: unknown } | { error: string; cause: string }): void {
    const task = this.pending.get(token);
    if (!task) return this.refuse(token);
    this.pending.delete(token);
    task.settle(outcome);
  }

  /** Whether a token is waiting now (SendTaskHeartbeat). */
  checkToken(token: string): void {
    if (!this.pending.has(token)) this.refuse(token);
  }

  /** AWS's answer for a token nobody waits on: one it issued has timed out, any other is invalid. */
  private refuse(token: string): never {
    if (this.issued.has(token))
      throw new TaskTokenError('TaskTimedOut', 'Task Timed Out: the task is no longer waiting');
    throw new TaskTokenError('InvalidToken', 'Invalid Token');
  }

  private dropTokensOf(executionArn: string): void {
    for (const [token, task] of this.pending)
      if (task.executionArn === executionArn) this.pending.delete(token);
  }

  private async callTask(
    machine: Machine,
    stateName: string,
    resource: string,
    input: JsonValue,
  ): Promise<JsonValue> {
    const resolve = (ref: string) =>
      machine.taskFunctions[stateName] ?? machine.taskFunctions[ref] ?? functionNameOf(ref);
    const call = async (functionName: string, payload: unknown) => {
      try {
        return (await this.deps.invoke(functionName, payload)) as JsonValue;
      } catch (error) {
        if (error instanceof LambdaTaskError) throw error;
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        const trace = error instanceof Error ? (error.stack?.split('\n') ?? []) : [];
        throw new LambdaTaskError(name, message, trace);
      }
    };
    if (resource.startsWith(LAMBDA_INVOKE)) {
      const parameters = (input ?? {}) as { FunctionName?: string; Payload?: unknown };
      const payload = await call(
        resolve(String(parameters.FunctionName ?? '')),
        parameters.Payload,
      );
      return {
        ExecutedVersion: '$LATEST',
        Payload: payload ?? null,
        SdkHttpMetadata: { HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: randomUUID() },
        StatusCode: 200,
      };
    }
    if (resource.startsWith('arn:aws:lambda:') || machine.taskFunctions[stateName]) {
      return call(resolve(resource), input);
    }
    if (this.deps.callService)
      return (await this.deps.callService(resource, input, stateName)) as JsonValue;
    throw new LambdaTaskError('States.Runtime', `No local integration for resource ${resource}`);
  }

  private async follow(
    machine: Machine,
    live: LiveExecution,
    events: AsyncGenerator<EventLog>,
  ): Promise<void> {
    const { record } = live;
    const topLevel = machine.definition.States;
    const push = (type: string, details?: Record<string, unknown>) => {
      const event: HistoryEvent = { id: record.history.length + 1, timestamp: Date.now(), type };
      if (details) event.details = details;
      record.history.push(event);
    };
    const announce = () => {
      live.announced += 1;
      for (const wake of live.wake) wake();
      live.wake.clear();
    };
    for await (const event of events) {
      // After a stop (detach or StopExecution) nothing more is recorded.
      if (live.detached || record.status !== 'RUNNING') continue;
      switch (event.type) {
        case 'ExecutionStarted':
          if (record.history.length === 0)
            push('ExecutionStarted', { input: record.input, roleArn: `${machine.arn}-role` });
          break;
        case 'StateEntered': {
          const isTopLevel = event.index === undefined && event.state.name in topLevel;
          push(`${event.state.type}StateEntered`, {
            name: event.state.name,
            input: JSON.stringify(event.state.input),
          });
          if (isTopLevel) record.position = { state: event.state.name, input: event.state.input };
          this.deps.store.save(record);
          if (isTopLevel && event.state.type === 'Task') announce();
          continue;
        }
        case 'StateRetried':
          push('TaskStateRetried', { name: event.state.name, attempt: event.retry.attempt });
          this.deps.store.save(record);
          if (event.state.name in topLevel && event.state.type === 'Task') announce();
          continue;
        case 'StateFailed':
          push(event.state.type === 'Task' ? 'TaskFailed' : `${event.state.type}StateFailed`, {
            name: event.state.name,
            error: event.Error,
            cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause),
          });
          break;
        case 'StateCaught':
          push('TaskStateCaught', { name: event.state.name, next: event.catch.catcher.Next });
          break;
        case 'StateExited':
          push(`${event.state.type}StateExited`, {
            name: event.state.name,
            output: JSON.stringify(event.state.output ?? null),
          });
          break;
        case 'ExecutionSucceeded':
          this.finish(live, 'SUCCEEDED', { output: JSON.stringify(event.output ?? null) });
          push('ExecutionSucceeded', { output: record.output });
          break;
        case 'ExecutionFailed':
          this.finish(live, 'FAILED', {
            error: event.Error,
            cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause),
          });
          push('ExecutionFailed', { error: record.error, cause: record.cause });
          break;
        case 'ExecutionTimeout':
          this.finish(live, 'TIMED_OUT', { error: 'States.Timeout' });
          push('ExecutionTimedOut', { error: 'States.Timeout' });
          break;
        case 'ExecutionAborted':
          this.finish(live, 'ABORTED', {});
          push('ExecutionAborted');
          break;
        default:
          break;
      }
      this.deps.store.save(record);
      if (record.status !== 'RUNNING') this.notifyFinished(record);
    }
    this.live.delete(record.executionArn);
  }

  private finish(
    live: LiveExecution,
    status: ExecutionRecord['status'],
    fields: Partial<Pick<ExecutionRecord, 'output' | 'error' | 'cause'>>,
  ): void {
    const { record } = live;
    record.status = status;
    record.stopDate = Date.now();
    this.dropTokensOf(record.executionArn);
    Object.assign(record, fields);
    delete record.position;
  }

  private notifyFinished(record: ExecutionRecord): void {
    const listeners = this.finishedListeners.get(record.executionArn);
    this.finishedListeners.delete(record.executionArn);
    for (const listener of listeners ?? []) listener(record);
  }

  /** StopExecution: marks the execution ABORTED and stops it between states. */
  stop(arn: string, error?: string, cause?: string): void {
    const live = this.live.get(arn);
    const record = this.deps.store.get(arn);
    if (!record || record.status !== 'RUNNING') return;
    record.status = 'ABORTED';
    record.stopDate = Date.now();
    this.dropTokensOf(arn);
    if (error !== undefined) record.error = error;
    if (cause !== undefined) record.cause = cause;
    delete record.position;
    record.history.push({
      id: record.history.length + 1,
      timestamp: Date.now(),
      type: 'ExecutionAborted',
      details: { error, cause },
    });
    this.deps.store.save(record);
    this.notifyFinished(record);
    live?.abort();
  }

  /** Leaves every running execution as it is on disk (as a crash would), for a later resume. */
  async detachAll(): Promise<void> {
    const lives = [...this.live.values()];
    for (const live of lives) {
      live.detached = true;
      live.abort();
      for (const wake of live.wake) wake();
    }
    await Promise.allSettled(lives.map((l) => l.done));
  }
}

/** A copy of the definition whose retriers wait `scale` times as long (nested branches included). */
export function scaleRetries(
  definition: StateMachineDefinition,
  scale: number,
): StateMachineDefinition {
  const scaleStates = (states: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => [name, scaleState(state as Json)]),
    );
  const scaleMachine = (machine: Json): Json => ({
    ...machine,
    States: scaleStates(machine['States'] as Record<string, unknown>),
  });
  const scaleState = (state: Json): Json => {
    const copy: Json = { ...state };
    if (Array.isArray(state['Retry']))
      copy['Retry'] = (state['Retry'] as Json[]).map((retrier) => ({
        ...retrier,
        IntervalSeconds: ((retrier['IntervalSeconds'] as number | undefined) ?? 1) * scale,
        ...(typeof retrier['MaxDelaySeconds'] === 'number'
          ? { MaxDelaySeconds: retrier['MaxDelaySeconds'] * scale }
          : {}),
      }));
    if (Array.isArray(state['Branches']))
      copy['Branches'] = (state['Branches'] as Json[]).map(scaleMachine);
    for (const key of ['Iterator', 'ItemProcessor'])
      if (state[key] && typeof state[key] === 'object')
        copy[key] = scaleMachine(state[key] as Json);
    return copy;
  };
  return scaleMachine(definition as unknown as Json) as unknown as StateMachineDefinition;
}

type Json = Record<string, unknown>;
