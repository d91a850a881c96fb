import { randomUUID } from 'node:crypto';
import { AwsError, serveAwsJson } from '../kit/aws-json';
import type { Engine } from '../kit/engine';
import { close } from '../kit/http';
import type { LocalCredentials } from '../kit/sigv4';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
import { TaskTokenError, WorkflowRunner } from './runner';
import { ExecutionStore, type ExecutionRecord } from './store';

export { LambdaTaskError } from './runner';
export type { ExecutionRecord, ExecutionStatus } from './store';

/** A state machine the local process resolved from cdk.out (AWS::StepFunctions::StateMachine). */
export interface StateMachineDeclaration {
  name: string;
  /** Defaults to arn:aws:states:<region>:<account>:stateMachine:<name>. */
  arn?: string;
  /** The ASL with every CloudFormation token resolved. */
  definition: object;
  /** Function name per task state name, task Resource ARN or FunctionName; otherwise the ARN's name. */
  taskFunctions?: Record<string, string>;
}

export interface StepFunctionsOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** Finished executions kept (with their histories), oldest forgotten first; default 1000. */
  keepFinishedExecutions?: number;
  region?: string;
  accountId?: string;
  /** Every request must be SigV4-signed with these (the local credentials). */
  credentials: LocalCredentials;
  stateMachines: StateMachineDeclaration[];
  /** Runs a function with a payload; rejects with an Error whose `name` is the errorType. */
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  /** Non-Lambda task resources, if the workflow uses any (e.g. arn:aws:states:::sns:publish). */
  callService?: (resource: string, input: unknown, stateName: string) => Promise<unknown>;
  /** Validate each definition with the engine's ASL validator (default true). */
  validate?: boolean;
  /** Multiplies every Retry's waits (default 1; test backends shorten them). */
  retryScale?: number;
}

/** Its `stop()` leaves running executions RUNNING on disk; they resume at the next start. */
export interface StepFunctionsEngine extends Engine {
  stateMachineArn(name: string): string;
  executions(): ExecutionRecord[];
  /** Resolves with the execution once it has reached a terminal state. */
  waitForExecution(executionArn: string): Promise<ExecutionRecord>;
  /** Executions that were RUNNING on disk at start and were resumed. */
  resumed: string[];
}

class SfnError extends AwsError {
  constructor(code: string, message: string, options?: ErrorOptions, status = 400) {
    super(code, message, status, options);
    this.name = 'SfnError';
  }
}

const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

const startInput = z.object({
  stateMachineArn: z.string().min(1),
  name: z.string().optional(),
  input: z.string().optional(),
  traceHeader: z.string().optional(),
});
const executionInput = z.object({ executionArn: z.string().min(1) });
const listInput = z.object({
  stateMachineArn: z.string().min(1),
  statusFilter: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']).optional(),
  maxResults: z.number().int().min(0).max(1000).optional(),
  nextToken: z.string().optional(),
});
const historyInput = executionInput.extend({
  maxResults: z.number().int().min(0).max(1000).optional(),
  reverseOrder: z.boolean().optional(),
  nextToken: z.string().optional(),
  includeExecutionData: z.boolean().optional(),
});
const stopInput = executionInput.extend({
  error: z.string().optional(),
  cause: z.string().optional(),
});

const tokenInput = z.object({ taskToken: z.string().min(1).max(2048) });
const taskSuccessInput = tokenInput.extend({ output: z.string().max(262_144) });
const taskFailureInput = tokenInput.extend({
  error: z.string().max(256).optional(),
  cause: z.string().max(32_768).optional(),
});

const seconds = (ms: number) => ms / 1000;

/** Local Step Functions engine: the JSON API of @aws-sdk/client-sfn over aws-local-stepfunctions, resumable. */
export async function start(options: StepFunctionsOptions): Promise<StepFunctionsEngine> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const url = `http://${host}:${options.port}`;
  const arnOfMachine = (name: string) =>
    `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
  const store = new ExecutionStore(options.dataDir, {
    keepFinished: options.keepFinishedExecutions,
  });
  const runner = new WorkflowRunner(
    options.stateMachines.map((m) => ({
      name: m.name,
      arn: m.arn ?? arnOfMachine(m.name),
      definition: m.definition as StateMachineDefinition,
      taskFunctions: m.taskFunctions ?? {},
    })),
    {
      store,
      invoke: options.invoke,
      callService: options.callService,
      validate: options.validate ?? true,
      retryScale: options.retryScale,
    },
  );

  const machineOf = (arn: string) => {
    const machine = runner.machine(arn);
    if (!machine)
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  };
  const executionOf = (arn: string) => {
    const record = store.get(arn);
    if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  };

  const actions: Record<string, (input: unknown) => unknown> = {
    StartExecution: (raw) => {
      const request = parse(startInput, raw);
      const machine = machineOf(request.stateMachineArn);
      const name = request.name ?? randomUUID();
      if (!EXECUTION_NAME.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
      const input = request.input ?? '{}';
      try {
        JSON.parse(input);
      } catch (cause) {
        throw new SfnError(
          'InvalidExecutionInput',
          `Invalid State Machine Execution Input: '${input}'`,
          {
            cause,
          },
        );
      }
      const executionArn = `arn:aws:states:${region}:${accountId}:execution:${machine.name}:${name}`;
      const existing = store.get(executionArn);
      if (existing) {
        // AWS: the same name and input while RUNNING returns the original; otherwise it is an error.
        if (existing.status === 'RUNNING' && existing.input === input)
          return { executionArn, startDate: seconds(existing.startDate) };
        throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      const record: ExecutionRecord = {
        executionArn,
        stateMachineArn: machine.arn,
        name,
        input,
        status: 'RUNNING',
        startDate: Date.now(),
        resumes: 0,
        history: [],
      };
      // Answered only once on disk: an acknowledged execution survives a crash.
      const durable = store.saveDurably(record);
      runner.run(record);
      return durable.then(() => ({ executionArn, startDate: seconds(record.startDate) }));
    },
    DescribeExecution: (raw) => {
      const record = executionOf(parse(executionInput, raw).executionArn);
      return {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: seconds(record.startDate),
        ...(record.stopDate !== undefined ? { stopDate: seconds(record.stopDate) } : {}),
        input: record.input,
        inputDetails: { included: true },
        ...(record.output !== undefined
          ? { output: record.output, outputDetails: { included: true } }
          : {}),
        ...(record.error !== undefined ? { error: record.error } : {}),
        ...(record.cause !== undefined ? { cause: record.cause } : {}),
        redriveCount: 0,
      };
    },
    ListExecutions: (raw) => {
      const request = parse(listInput, raw);
      machineOf(request.stateMachineArn);
      const all = store
        .all()
        .filter((r) => r.stateMachineArn === request.stateMachineArn)
        .filter((r) => !request.statusFilter || r.status === request.statusFilter)
        .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
      const offset = request.nextToken ? Number(request.nextToken) : 0;
      const size = request.maxResults || 100;
      const page = all.slice(offset, offset + size);
      return {
        executions: page.map((r) => ({
          executionArn: r.executionArn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          status: r.status,
          startDate: seconds(r.startDate),
          ...(r.stopDate !== undefined ? { stopDate: seconds(r.stopDate) } : {}),
        })),
        ...(offset + size < all.length ? { nextToken: String(offset + size) } : {}),
      };
    },
    GetExecutionHistory: (raw) => {
      const request = parse(historyInput, raw);
      const record = executionOf(request.executionArn);
      const events = request.reverseOrder ? [...record.history].reverse() : record.history;
      const offset = request.nextToken ? Number(request.nextToken) : 0;
      const size = request.maxResults || 1000;
      const page = events.slice(offset, offset + size);
      return {
        events: page.map((event) => ({
          id: event.id,
          previousEventId: event.id - 1,
          timestamp: seconds(event.timestamp),
          type: event.type,
          ...historyDetails(event.type, event.details ?? {}),
        })),
        ...(offset + size < events.length ? { nextToken: String(offset + size) } : {}),
      };
    },
    StopExecution: (raw) => {
      const request = parse(stopInput, raw);
      const record = executionOf(request.executionArn);
      runner.stop(record.executionArn, request.error, request.cause);
      const stopDate = seconds(store.get(record.executionArn)?.stopDate ?? Date.now());
      return store.flush().then(() => ({ stopDate }));
    },
    SendTaskSuccess: (raw) => {
      const request = parse(taskSuccessInput, raw);
      let output: unknown;
      try {
        output = JSON.parse(request.output);
      } catch (cause) {
        throw new SfnError('InvalidOutput', `Invalid Output: '${request.output}'`, { cause });
      }
      answerToken(() => runner.answer(request.taskToken, { output }));
      return {};
    },
    SendTaskFailure: (raw) => {
      const request = parse(taskFailureInput, raw);
      answerToken(() =>
        runner.answer(request.taskToken, {
          error: request.error ?? '',
          cause: request.cause ?? '',
        }),
      );
      return {};
    },
    // No state here declares HeartbeatSeconds: a heartbeat only checks that the task still waits.
    SendTaskHeartbeat: (raw) => {
      const request = parse(tokenInput, raw);
      answerToken(() => runner.checkToken(request.taskToken));
      return {};
    },
    DescribeStateMachine: (raw) => {
      const { stateMachineArn } = parse(z.object({ stateMachineArn: z.string() }), raw);
      const machine = machineOf(stateMachineArn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: JSON.stringify(machine.definition),
        roleArn: `arn:aws:iam::${accountId}:role/${machine.name}-role`,
        type: 'STANDARD',
        creationDate: 0,
      };
    },
    ListStateMachines: () => ({
      stateMachines: runner.machineArns().map((arn) => ({
        stateMachineArn: arn,
        name: runner.machine(arn)?.name,
        type: 'STANDARD',
        creationDate: 0,
      })),
    }),
  };

  const server = await serveAwsJson<unknown>(
    'Step Functions',
    { host, port: options.port },
    {
      target: 'AWSStepFunctions',
      version: '1.0',
      operations: actions,
      signature: { credentials: options.credentials, region, service: 'states' },
      decode: (body) => body,
      unknownOperation: (target) =>
        new SfnError('UnknownOperationException', `Unknown operation ${target || '(none)'}`),
      malformed: () =>
        new SfnError('SerializationException', 'The request body is not valid JSON.'),
    },
  );

  // Resume everything that was running when the engine last stopped (or was killed).
  const resumed: string[] = [];
  for (const record of store.all()) {
    if (record.status !== 'RUNNING' || !runner.machine(record.stateMachineArn)) continue;
    runner.run(record);
    resumed.push(record.executionArn);
  }

  return {
    url,
    resumed,
    stateMachineArn: (name) => {
      const declared = options.stateMachines.find((m) => m.name === name);
      return declared?.arn ?? arnOfMachine(name);
    },
    executions: () => store.all(),
    waitForExecution: (arn) => runner.whenFinished(arn),
    stop: async () => {
      const detached = runner.detachAll();
      await close(server);
      await detached;
      await store.flush();
    },
  };
}

function historyDetails(type: string, details: Record<string, unknown>): Record<string, unknown> {
  if (type === 'ExecutionStarted') return { executionStartedEventDetails: details };
  if (type === 'ExecutionSucceeded') return { executionSucceededEventDetails: details };
  if (type === 'ExecutionFailed') return { executionFailedEventDetails: details };
  if (type === 'ExecutionAborted') return { executionAbortedEventDetails: details };
  if (type === 'ExecutionTimedOut') return { executionTimedOutEventDetails: details };
  if (type === 'TaskFailed')
    return {
      taskFailedEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke',
        error: details.error,
        cause: details.cause,
      },
    };
  if (type.endsWith('StateEntered'))
    return { stateEnteredEventDetails: { name: details.name, input: details.input } };
  if (type.endsWith('StateExited'))
    return { stateExitedEventDetails: { name: details.name, output: details.output } };
  return {};
}

function answerToken(answer: () => void): void {
  try {
    answer();
  } catch (error) {
    if (error instanceof TaskTokenError) throw new SfnError(error.code, error.message);
    throw error;
  }
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SfnError(
      'ValidationException',
      `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}
