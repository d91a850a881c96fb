import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionModel } from '../../assembly';

/**
 * For the engine's tests: makes functions whose bundle is `source`, written as `<dir>/<name>.mjs`
 * (`dir` read when a function is made, so a test may create its folder in beforeAll).
 */
export const functionsIn =
  (dir: () => string) =>
  (
    name: string,
    source: string,
    environment: Record<string, string> = {},
    timeoutSeconds = 5,
  ): FunctionModel => {
    const file = path.join(dir(), `${name}.mjs`);
    writeFileSync(file, source);
    return {
      logicalId: `${name}lambda`,
      name,
      functionName: `${name}-LOCAL`,
      arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}-LOCAL`,
      handlerFile: file,
      handlerExport: 'handler',
      timeoutSeconds,
      memoryMB: 256,
      runtime: 'nodejs22.x',
      environment,
    };
  };
