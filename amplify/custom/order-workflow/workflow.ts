import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** One task of the saga: its state name and the function it invokes. */
export interface SagaTask {
  state: string;
  lambda: lambda.IFunction;
}

/** The saga's tasks, as the step registry lists them (amplify/saga/registry.ts). */
export interface OrderWorkflowTasks {
  /** Forward steps in the order they run. */
  forward: readonly SagaTask[];
  /** Compensations in the order they run: reverse forward order. */
  compensations: readonly SagaTask[];
  /** Runs after the compensations: marks the order FAILED. */
  failure: SagaTask;
  /** Pauses a forward step asks for by throwing `asks`; the step runs again after its token comes back. */
  waits?: readonly SagaWait[];
}

/** A `.waitForTaskToken` task: its Lambda keeps the token; the execution waits `waitSeconds` at most. */
export interface SagaWait extends SagaTask {
  after: string;
  asks: string;
  waitSeconds: number;
  /** The error the saga compensates with when the wait runs out. */
  timeoutError: string;
}

/**
 * Failures worth another attempt: the domain's TransientError, a task or function that ran out of
 * time (Lambda reports its own timeout as Sandbox.Timedout, or Lambda.Unknown for an unhandled
 * end such as running out of memory), and Lambda's service errors. Every step is idempotent, so
 * running one again after it was cut off half-way is safe.
 */
export const RETRIED_ERRORS = [
  'TransientError',
  'States.Timeout',
  'Sandbox.Timedout',
  'Lambda.Unknown',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

/** Seconds a single attempt of a task may take before Step Functions gives up on it. */
export const TASK_TIMEOUT_SECONDS = 60;

/** The order saga: a Step Functions Standard state machine whose every step passes only {orderId}. */
export class OrderWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, saga: OrderWorkflowTasks) {
    super(scope, id);

    const invoke = (
      stateName: string,
      fn: lambda.IFunction,
      payload: Record<string, unknown>,
    ): tasks.LambdaInvoke =>
      new tasks.LambdaInvoke(this, stateName, {
        stateName,
        lambdaFunction: fn,
        payload: sfn.TaskInput.fromObject(payload),
        // The order record is the saga's state: whatever a step returns is dropped, so the next
        // step receives exactly what this one did ({orderId}, plus error in compensation).
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(TASK_TIMEOUT_SECONDS)),
        retryOnServiceExceptions: false,
      });

    const failed = new sfn.Fail(this, 'OrderFailed', {
      stateName: 'OrderFailed',
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });

    // Compensations run in reverse forward order, then the failure step; each does nothing when
    // there is nothing to undo, and one that still fails after its retries records why and lets
    // the next one run.
    // executionName: the functions' log lines carry it (amplify/functions/shared/observability.ts).
    const compensationPayload = {
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      error: sfn.JsonPath.objectAt('$.error'),
      executionName: sfn.JsonPath.executionName,
    };
    const compensations = [...saga.compensations, saga.failure].map(({ state, lambda: fn }) =>
      invoke(state, fn, compensationPayload).addRetry({
        errors: [...RETRIED_ERRORS, 'States.TaskFailed'],
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
        maxDelay: Duration.seconds(60),
        jitterStrategy: sfn.JitterType.FULL,
      }),
    );
    compensations.forEach((task, index) => {
      const next = compensations[index + 1] ?? failed;
      task.addCatch(next, { errors: [sfn.Errors.ALL], resultPath: '$.compensationError' });
      task.next(next);
    });
    const compensate = compensations[0]!;

    const forward = saga.forward.map(({ state, lambda: fn }) => {
      const step = invoke(state, fn, {
        orderId: sfn.JsonPath.stringAt('$.orderId'),
        executionName: sfn.JsonPath.executionName,
      }).addRetry({
        errors: RETRIED_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 4,
        backoffRate: 2,
        maxDelay: Duration.seconds(30),
        jitterStrategy: sfn.JitterType.FULL,
      });
      // A wait this step asks for is caught before everything else, then the step runs again.
      for (const wait of (saga.waits ?? []).filter((w) => w.after === state))
        step.addCatch(this.waitFor(wait, step, compensate), {
          errors: [wait.asks],
          resultPath: '$.asked',
        });
      return step.addCatch(compensate, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    });
    const chain = forward
      .slice(1)
      .reduce((steps, step) => steps.next(step), sfn.Chain.start(forward[0]!))
      .next(new sfn.Succeed(this, 'OrderCompleted', { stateName: 'OrderCompleted' }));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'OrderWorkflow', {
      comment: 'Order saga: validate, pay, reserve, capture, receipt, notify, ship, complete.',
      definitionBody: sfn.DefinitionBody.fromChainable(chain),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  /**
   * The wait a step asked for: its Lambda gets `$$.Task.Token` and keeps it; SendTaskSuccess goes
   * back to the step, SendTaskFailure compensates with the sender's error, and running out of
   * time compensates as `timeoutError` (its Cause in the shopper-code form the failure step reads).
   */
  private waitFor(
    wait: SagaWait,
    step: sfn.IChainable,
    compensate: sfn.IChainable,
  ): sfn.IChainable {
    const waiting = new tasks.LambdaInvoke(this, wait.state, {
      stateName: wait.state,
      lambdaFunction: wait.lambda,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        orderId: sfn.JsonPath.stringAt('$.orderId'),
        executionName: sfn.JsonPath.executionName,
        taskToken: sfn.JsonPath.taskToken,
        asked: sfn.JsonPath.objectAt('$.asked'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(wait.waitSeconds)),
      retryOnServiceExceptions: false,
    });
    const ranOut = new sfn.Pass(this, `${wait.state}RanOut`, {
      stateName: `${wait.state}RanOut`,
      result: sfn.Result.fromObject({
        Error: wait.timeoutError,
        Cause: `PAYMENT_NOT_CONFIRMED: no answer came within ${wait.waitSeconds} s`,
      }),
      resultPath: '$.error',
    });
    ranOut.next(compensate);
    waiting.addCatch(ranOut, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.timedOut' });
    waiting.addCatch(compensate, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    waiting.next(step);
    return waiting;
  }
}
