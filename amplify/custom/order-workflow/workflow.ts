import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** The Lambda functions behind the saga's steps and compensations, keyed by function name. */
export interface OrderWorkflowFunctions {
  validateOrder: lambda.IFunction;
  authorizePayment: lambda.IFunction;
  reserveInventory: lambda.IFunction;
  capturePayment: lambda.IFunction;
  generateReceipt: lambda.IFunction;
  notifyCustomer: lambda.IFunction;
  createShipment: lambda.IFunction;
  completeOrder: lambda.IFunction;
  releaseInventory: lambda.IFunction;
  voidPayment: lambda.IFunction;
  failOrder: lambda.IFunction;
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

/** State names in the order the saga runs them, then its compensations. */
export const FORWARD_STEPS = [
  ['ValidateOrder', 'validateOrder'],
  ['AuthorizePayment', 'authorizePayment'],
  ['ReserveInventory', 'reserveInventory'],
  ['CapturePayment', 'capturePayment'],
  ['GenerateReceipt', 'generateReceipt'],
  ['NotifyCustomer', 'notifyCustomer'],
  ['CreateShipment', 'createShipment'],
  ['CompleteOrder', 'completeOrder'],
] as const satisfies ReadonlyArray<readonly [string, keyof OrderWorkflowFunctions]>;

export const COMPENSATION_STEPS = [
  ['ReleaseInventory', 'releaseInventory'],
  ['VoidPayment', 'voidPayment'],
  ['FailOrder', 'failOrder'],
] as const satisfies ReadonlyArray<readonly [string, keyof OrderWorkflowFunctions]>;

/** The order saga: a Step Functions Standard state machine whose every step passes only {orderId}. */
export class OrderWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, functions: OrderWorkflowFunctions) {
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

    // Compensations run in a fixed order; each does nothing when there is nothing to undo, and a
    // compensation that still fails after its retries records why and lets the next one run.
    const compensationPayload = {
      orderId: sfn.JsonPath.stringAt('$.orderId'),
      error: sfn.JsonPath.objectAt('$.error'),
    };
    const compensations = COMPENSATION_STEPS.map(([stateName, fnName]) =>
      invoke(stateName, functions[fnName], compensationPayload).addRetry({
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

    const forward = FORWARD_STEPS.map(([stateName, fnName]) =>
      invoke(stateName, functions[fnName], { orderId: sfn.JsonPath.stringAt('$.orderId') })
        .addRetry({
          errors: RETRIED_ERRORS,
          interval: Duration.seconds(2),
          maxAttempts: 4,
          backoffRate: 2,
          maxDelay: Duration.seconds(30),
          jitterStrategy: sfn.JitterType.FULL,
        })
        .addCatch(compensate, { errors: [sfn.Errors.ALL], resultPath: '$.error' }),
    );
    const chain = forward
      .slice(1)
      .reduce((saga, step) => saga.next(step), sfn.Chain.start(forward[0]!))
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
}
