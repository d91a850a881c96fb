import { defineFunction } from '@aws-amplify/backend';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAGA_LAMBDAS } from './registry';
import { functionNameOf, handlerFolderOf, type SagaLambda } from './step';

const FUNCTIONS_DIR = fileURLToPath(new URL('../functions/', import.meta.url));

const defineSagaFunction = (lambda: SagaLambda) =>
  defineFunction({
    name: functionNameOf(lambda),
    entry: path.join(FUNCTIONS_DIR, handlerFolderOf(lambda), 'handler.ts'),
    runtime: 22,
    timeoutSeconds: lambda.timeoutSeconds ?? 20,
    memoryMB: lambda.memoryMB ?? 256,
    resourceGroupName: 'data',
    logging: { format: 'json', level: 'info', retention: '1 month' },
  });

export type SagaFunction = ReturnType<typeof defineSagaFunction>;

/** One Amplify function per saga Lambda, by function name, each with its own handler and grants. */
export const SAGA_FUNCTIONS: Readonly<Record<string, SagaFunction>> = Object.fromEntries(
  SAGA_LAMBDAS.map((lambda) => [functionNameOf(lambda), defineSagaFunction(lambda)]),
);

/** The Amplify function of one saga Lambda. */
export const sagaFunctionOf = (lambda: SagaLambda): SagaFunction => {
  const fn = SAGA_FUNCTIONS[functionNameOf(lambda)];
  if (!fn) throw new Error(`no function for saga state ${lambda.state}`);
  return fn;
};
