import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readDeploySettings } from '../../amplify/custom/settings';
import { COMPENSATIONS } from '../../amplify/saga/registry';
import {
  functionNameIn,
  resourcesOfType,
  stackJson,
  stackTemplate,
  stateMachineDefinition,
} from './assembly';

/** 3-D Secure in the synthesized templates: the saga's wait, the webhook's reach, its endpoint. */
describe('Bank confirmation (3-D Secure) and the Stripe webhook', () => {
  const definition = stateMachineDefinition();
  const state = (name: string) => {
    const found = definition.States[name];
    if (!found) throw new Error(`state ${name} is missing`);
    return found;
  };
  const firstCompensation = COMPENSATIONS[0]?.state;

  it('AuthorizePayment asks for the wait by its error, before its catch-all into compensation', () => {
    const catches = state('AuthorizePayment').Catch ?? [];
    expect(catches[0]).toMatchObject({
      ErrorEquals: ['BankConfirmationRequired'],
      Next: 'WaitForBank',
    });
    expect(catches.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], Next: firstCompensation });
  });

  it('the wait hands its Lambda the task token, has a timeout, and goes back to AuthorizePayment', () => {
    const wait = state('WaitForBank');
    expect(wait.Resource).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
    // The deploy setting the assembly was synthesized with (900 s unless BANK_CONFIRMATION_TIMEOUT_SECONDS).
    expect(wait.TimeoutSeconds).toBe(readDeploySettings().bankConfirmationSeconds);
    expect(JSON.stringify(wait.Parameters)).toContain('"taskToken.$":"$$.Task.Token"');
    expect(wait.Parameters).toMatchObject({ FunctionName: expect.stringContaining('waitForBank') });
    expect(wait.Next).toBe('AuthorizePayment');
  });

  it('a wait that runs out, or is failed, is caught into compensation with a shopper code', () => {
    const catches = state('WaitForBank').Catch ?? [];
    expect(catches).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'WaitForBankRanOut' }),
      expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: firstCompensation }),
    ]);
    const ranOut = state('WaitForBankRanOut') as { Type: string; Next?: string; Result?: unknown };
    expect(ranOut.Type).toBe('Pass');
    expect(ranOut.Next).toBe(firstCompensation);
    expect(ranOut.Result).toMatchObject({
      Error: 'BankConfirmationTimedOut',
      Cause: expect.stringMatching(/^PAYMENT_NOT_CONFIRMED: /),
    });
  });

  it("the webhook's role may send task results to the order workflow only, and nothing else of Step Functions", () => {
    const workflow = stackJson('order-workflow');
    const [machineId] = resourcesOfType(workflow, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    const taskPolicies = resourcesOfType(workflow, 'AWS::IAM::Policy').filter(
      ([, props]) => functionNameIn(props.Roles) === 'stripeWebhook',
    );
    expect(taskPolicies).toHaveLength(1);
    const statements = (
      taskPolicies[0]![1].PolicyDocument as {
        Statement: { Effect: string; Action: string[]; Resource: unknown }[];
      }
    ).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Effect).toBe('Allow');
    expect([...(statements[0]?.Action ?? [])].sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskSuccess',
    ]);
    expect(statements[0]?.Resource).toEqual({ Ref: machineId });
    // Its own role's policy (data stack) grants nothing of Step Functions.
    const own = resourcesOfType(stackJson('data'), 'AWS::IAM::Policy').filter(
      ([, props]) => functionNameIn(props.Roles) === 'stripeWebhook',
    );
    expect(JSON.stringify(own)).not.toContain('states:');
  });

  it('serves POST /stripe/webhook through an HTTP API (payload 2.0), throttled', () => {
    const api = stackTemplate('payment-webhook');
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /stripe/webhook' });
    api.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    api.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: Match.anyValue(),
    });
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      }),
    });
  });

  it('alarms operators on 5xx answers and on signature failures', () => {
    const api = stackTemplate('payment-webhook');
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      AlarmActions: Match.anyValue(),
    });
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'SagaSupply/StripeWebhook',
      MetricName: 'SignatureFailures',
      AlarmActions: Match.anyValue(),
    });
  });

  it('puts the webhook URL in amplify_outputs.json custom outputs', () => {
    const outputs = JSON.stringify(stackJson('payment-webhook').Outputs ?? {});
    expect(outputs).toContain('ApiEndpoint');
  });

  it('keeps the waits and handled events in a table that forgets them (TTL)', () => {
    stackTemplate('payment-waits').hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});
