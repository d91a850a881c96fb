/**
 * `npm run local`: the whole Amplify backend offline in one process. Synthesizes amplify/ (cached),
 * reads cdk.out, starts every engine from what the templates declare, seeds the catalog on first
 * start, writes amplify_outputs.json, and prints `ready {urls}` once every engine answers.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLocalAssembly, type LocalAssembly } from './assembly';
import { lambdaEnvironment, loadLocalConfig, withStorefrontUrl, type LocalConfig } from './config';
import { startCognito, type RunningCognito } from './engines/cognito';
import { startDynamoDb } from './engines/dynamodb';
import { startLambda, type LambdaEngine } from './engines/lambda';
import { LambdaFaults } from './engines/lambda/faults';
import { startSsm } from './engines/lambda/ssm';
import type { RunningEngine } from './engines/listen';
import { startMailbox } from './engines/mailbox';
import { startS3 } from './engines/s3';
import { startSes } from './engines/ses';
import { buildLocalOutputs, writeLocalOutputs } from './outputs';
import { seedCatalog } from './seed';

interface Running {
  name: string;
  url: string;
  stop(): Promise<void>;
}

const started = Date.now();
const running: Running[] = [];
const log = (line: string): void => console.log(line);

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await work();
  log(`local: ${name} (${Date.now() - t0} ms)`);
  return result;
}

/** Runs the synth script (scripts/synth.ts) unless a prebuilt cdk.out is named explicitly. */
async function synthesizeBackend(config: LocalConfig): Promise<void> {
  if (process.env['LOCAL_SKIP_SYNTH'] === '1' || process.env['LOCAL_CDK_OUT']) {
    if (!existsSync(path.join(config.cdkOutDir, 'manifest.json'))) {
      throw new Error(`No cloud assembly at ${config.cdkOutDir}: run npm run synth`);
    }
    log(`local: using the cloud assembly in ${path.relative(config.projectDir, config.cdkOutDir)}`);
    return;
  }
  const script = path.join(config.projectDir, 'scripts/synth.ts');
  const synth = (await import(pathToFileURL(script).href)) as {
    synthesize(options: { force?: boolean; outDir?: string }): Promise<{ cached: boolean }>;
  };
  await synth.synthesize({ outDir: config.cdkOutDir });
}

/** An optional engine of another folder: started when its module exists, else reported missing. */
async function optionalEngine(
  config: LocalConfig,
  folder: string,
  start: (module: Record<string, unknown>) => Promise<Running | undefined>,
): Promise<void> {
  const file = path.join(config.projectDir, 'local/engines', folder, 'index.ts');
  if (!existsSync(file)) {
    log(`local: ${folder} engine not yet available`);
    return;
  }
  await phase(`${folder} started`, async () => {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const engine = await start(exports);
    if (engine) running.push(engine);
  });
}

const authModes: Record<string, string> = {
  API_KEY: 'apiKey',
  AMAZON_COGNITO_USER_POOLS: 'userPool',
  AWS_IAM: 'iam',
};

async function startOtherEngines(
  config: LocalConfig,
  assembly: LocalAssembly,
  lambda: LambdaEngine,
  cognito: RunningCognito | undefined,
): Promise<void> {
  const { host, ports, credentials, region, accountId, stateDir } = config;
  const dynamodb = { endpoint: config.endpoints.dynamodb, region, credentials };

  await optionalEngine(config, 'stripe', async (m) => {
    const start = m['startStripe'] as (o: object) => Promise<Running>;
    const engine = await start({
      port: ports.stripe,
      host,
      dataDir: path.join(stateDir, 'stripe'),
      secretKey: config.stripeSecretKey,
      publishableKey: config.stripePublishableKey,
      testHooks: config.testHooks,
    });
    return { name: 'stripe', url: engine.url, stop: () => engine.stop() };
  });

  const api = assembly.api;
  if (api) {
    await optionalEngine(config, 'appsync', async (m) => {
      const start = m['startAppSync'] as (o: object) => Promise<Running>;
      const customOperations: Record<string, string> = {};
      for (const resolver of api.resolvers) {
        const sources = [resolver.dataSource, ...resolver.pipeline.map((p) => p.dataSource)];
        const fn = api.dataSources.find((d) => sources.includes(d.name) && d.functionName);
        if (fn?.functionName)
          customOperations[`${resolver.typeName}.${resolver.fieldName}`] = fn.functionName;
      }
      const engine = await start({
        port: ports.graphql,
        host,
        schemaSdl: readFileSync(api.schemaFile, 'utf8'),
        modelIntrospection: api.modelIntrospectionFile
          ? JSON.parse(readFileSync(api.modelIntrospectionFile, 'utf8'))
          : {},
        tableNameFor: (model: string) => {
          const table = assembly.tables.find((t) => t.modelName === model);
          if (!table) throw new Error(`No table for model ${model}`);
          return table.name;
        },
        dynamodb,
        apiKey: api.apiKey ?? '',
        defaultAuthMode: authModes[api.defaultAuthorizationType] ?? 'apiKey',
        cognito: cognito
          ? {
              issuer: cognito.issuer,
              jwksUrl: cognito.jwksUrl,
              appIdClientRegex: api.appIdClientRegex,
            }
          : undefined,
        iam: credentials,
        accountId,
        invokeFunction: (name: string, event: unknown) => lambda.invoke(name, event),
        customOperations,
      });
      return { name: 'graphql', url: engine.url, stop: () => engine.stop() };
    });
  }

  await optionalEngine(config, 'sqs', async (m) => {
    const start = m['startSqs'] as (o: object) => Promise<
      RunningEngine & {
        startEventSourceMapping(o: object): { stop(): Promise<void> };
      }
    >;
    const nameOfArn = (arn: string): string => arn.split(':').pop() ?? arn;
    const engine = await start({
      port: ports.sqs,
      host,
      dataDir: path.join(stateDir, 'sqs'),
      region,
      accountId,
      credentials,
      queues: assembly.queues.map((q) => ({
        name: q.name,
        visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
        delaySeconds: q.delaySeconds,
        receiveMessageWaitTimeSeconds: q.receiveWaitTimeSeconds,
        messageRetentionPeriodSeconds: q.messageRetentionSeconds,
        ...(q.redrivePolicy
          ? {
              redrive: {
                deadLetterQueue: nameOfArn(q.redrivePolicy.deadLetterTargetArn),
                maxReceiveCount: q.redrivePolicy.maxReceiveCount,
              },
            }
          : {}),
      })),
    });
    const mappings = assembly.eventSourceMappings
      .filter((esm) => esm.enabled && esm.eventSourceArn.startsWith('arn:aws:sqs:'))
      .map((esm) =>
        engine.startEventSourceMapping({
          queue: nameOfArn(esm.eventSourceArn),
          batchSize: esm.batchSize,
          reportBatchItemFailures: esm.reportBatchItemFailures,
          invoke: (event: unknown) => lambda.invoke(esm.functionName, event),
          onError: (error: unknown) =>
            log(`sqs: ${esm.functionName} failed a batch: ${(error as Error).message}`),
        }),
      );
    return {
      name: 'sqs',
      url: engine.url,
      stop: async () => {
        await Promise.all(mappings.map((mapping) => mapping.stop()));
        await engine.stop();
      },
    };
  });

  await optionalEngine(config, 'sns', async (m) => {
    const start = m['startSns'] as (o: object) => Promise<Running>;
    const engine = await start({
      port: ports.sns,
      host,
      dataDir: path.join(stateDir, 'sns'),
      region,
      accountId,
      credentials,
      testHooks: config.testHooks,
      topics: assembly.topics,
      smtp: { host, port: ports.smtp },
      sqsEndpoint: config.endpoints.sqs,
      invoke: (name: string, event: unknown) => lambda.invoke(name, event),
    });
    return { name: 'sns', url: engine.url, stop: () => engine.stop() };
  });

  await optionalEngine(config, 'stepfunctions', async (m) => {
    const start = m['startStepFunctions'] as (o: object) => Promise<Running>;
    const engine = await start({
      port: ports.stepfunctions,
      host,
      dataDir: path.join(stateDir, 'stepfunctions'),
      region,
      accountId,
      credentials,
      stateMachines: assembly.stateMachines.map((s) => ({
        name: s.name,
        arn: s.arn,
        definition: s.definition,
        taskFunctions: s.taskFunctions,
      })),
      invoke: (name: string, payload: unknown) => lambda.invoke(name, payload),
    });
    return { name: 'stepfunctions', url: engine.url, stop: () => engine.stop() };
  });
}

/** Waits until an engine answers HTTP at all (any status): it is listening and serving. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const config = loadLocalConfig();
  log(
    `local: ports from ${config.portBase}, state in ${path.relative(config.projectDir, config.stateDir) || '.'}`,
  );
  await phase('synthesized', () => synthesizeBackend(config));
  const assembly = await phase('read cdk.out', async () =>
    readLocalAssembly(config.cdkOutDir, {
      region: config.region,
      accountId: config.accountId,
      graphqlUrl: config.endpoints.graphql,
      sqsEndpoint: config.endpoints.sqs,
    }),
  );
  mkdirSync(config.stateDir, { recursive: true });
  const { host, ports, credentials, region, stateDir } = config;

  await phase('dynamodb, s3 and mailbox started', async () => {
    const [dynamodb, s3, mailbox] = await Promise.all([
      startDynamoDb({
        port: ports.dynamodb,
        host,
        dataDir: path.join(stateDir, 'dynamodb'),
        tables: assembly.tables,
        region,
        credentials,
        log: (line) => log(`dynamodb: ${line}`),
      }),
      startS3({
        port: ports.s3,
        host,
        dataDir: path.join(stateDir, 's3'),
        buckets: assembly.buckets,
        deployments: assembly.bucketDeployments,
        region,
        credentials,
      }),
      startMailbox({
        host,
        httpPort: ports.mailbox,
        smtpPort: ports.smtp,
        dataDir: path.join(stateDir, 'mailbox'),
      }),
    ]);
    running.push(
      { name: 'dynamodb', ...dynamodb },
      { name: 's3', ...s3 },
      { name: 'mailbox', ...mailbox },
    );
  });

  const productTable = assembly.tables.find((t) => t.modelName === 'Product');
  const seedMarker = path.join(stateDir, 'seeded.json');
  if (productTable && !existsSync(seedMarker)) {
    await phase('catalog seeded', async () => {
      const count = await seedCatalog({
        endpoint: config.endpoints.dynamodb,
        region,
        credentials,
        productTableName: productTable.name,
      });
      writeFileSync(seedMarker, JSON.stringify({ at: new Date().toISOString(), count }));
      log(`local: ${count} products written`);
    });
  }

  // Test hook (LOCAL_TEST_HOOKS=1 only): POST /_local/faults on the SSM port makes chosen
  // functions fail (faults.ts).
  const lambdaFaults = new LambdaFaults();
  let cognito: RunningCognito | undefined;
  await phase('ssm, ses and cognito started', async () => {
    const [ssm, ses, pool] = await Promise.all([
      startSsm({
        port: ports.ssm,
        host,
        region,
        accountId: config.accountId,
        parameters: assembly.ssmParameters,
        // The functions' Stripe key is the one key the local Stripe takes (LOCAL_STRIPE_SECRET_KEY).
        secrets: { ...secretsFromEnv(), STRIPE_SECRET_KEY: config.stripeSecretKey },
        faults: config.testHooks ? lambdaFaults : undefined,
        credentials,
      }),
      startSes({
        port: ports.ses,
        host,
        smtpHost: host,
        smtpPort: ports.smtp,
        region,
        credentials,
      }),
      assembly.userPool
        ? startCognito({
            port: ports.cognito,
            host,
            dataDir: path.join(stateDir, 'cognito'),
            pool: assembly.userPool,
            region,
            credentials,
            smtp: { host, port: ports.smtp },
            admin: {
              email: config.admin.email,
              password: config.admin.password,
              groups: assembly.userPool.groups.some((g) => g.name === 'ADMINS') ? ['ADMINS'] : [],
            },
          })
        : Promise.resolve(undefined),
    ]);
    running.push({ name: 'ssm', ...ssm }, { name: 'ses', ...ses });
    if (pool) {
      cognito = pool;
      running.push({ name: 'cognito', ...pool });
    }
  });

  const lambda = startLambda({
    functions: withStorefrontUrl(assembly.functions, config.storefrontUrl),
    commonEnvironment: lambdaEnvironment(config),
    faults: lambdaFaults,
    idleMs: config.lambdaIdleSeconds * 1000,
  });
  running.push({ name: 'lambda', url: '(in-process)', stop: () => lambda.stop() });
  log(`local: ${assembly.functions.length} functions ready to invoke in-process`);

  await startOtherEngines(config, assembly, lambda, cognito);

  const outputsFile = path.resolve(
    config.projectDir,
    process.env['LOCAL_OUTPUTS_FILE'] ?? 'amplify_outputs.json',
  );
  await phase(`wrote ${path.relative(config.projectDir, outputsFile)}`, async () =>
    writeLocalOutputs(
      outputsFile,
      buildLocalOutputs({
        assembly,
        endpoints: config.endpoints,
        extra: { stripePublishableKey: config.stripePublishableKey },
      }),
    ),
  );

  await phase('every engine answers', async () => {
    for (const engine of running.filter((r) => r.url.startsWith('http'))) {
      const deadline = Date.now() + 10_000;
      while (!(await answers(engine.url))) {
        if (Date.now() > deadline)
          throw new Error(`The local ${engine.name} engine does not answer at ${engine.url}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  const urls: Record<string, string> = Object.fromEntries(
    running.filter((r) => r.url.startsWith('http')).map((r) => [r.name, r.url]),
  );
  urls['graphql'] = config.endpoints.graphql;
  urls['realtime'] = config.endpoints.realtime;
  urls['smtp'] = config.endpoints.smtp;
  urls['outputs'] = outputsFile;
  for (const [name, url] of Object.entries(urls)) log(`  ${name.padEnd(14)} ${url}`);
  log(`local: started in ${Date.now() - started} ms`);
  log(`ready ${JSON.stringify(urls)}`);
  if (process.env['LOCAL_LAMBDA_PREWARM'] === '1') void lambda.warmAll();
}

/** LOCAL_SECRET_<NAME>=value sets Amplify secret NAME for the functions. */
function secretsFromEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([k, v]) => k.startsWith('LOCAL_SECRET_') && v !== undefined)
      .map(([k, v]) => [k.slice('LOCAL_SECRET_'.length), v as string]),
  );
}

async function stopAll(): Promise<void> {
  for (const engine of [...running].reverse()) {
    try {
      await engine.stop();
    } catch (error) {
      console.error(`local: stopping ${engine.name} failed: ${(error as Error).message}`);
    }
  }
  running.length = 0;
}

// Every engine answers its requests in its own handlers; one that slips through must not take the
// whole backend (and every other engine) down with it: it is logged and the process carries on.
process.on('unhandledRejection', (reason: unknown) => {
  console.error('local: unhandled rejection (the backend keeps running):', reason);
});
process.on('uncaughtException', (error: Error) => {
  console.error('local: uncaught exception (the backend keeps running):', error);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`local: ${signal}, stopping`);
    void stopAll().then(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}

main().catch(async (error: unknown) => {
  console.error(
    `\nlocal: failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (process.env['LOCAL_DEBUG'] && error instanceof Error) console.error(error.stack);
  await stopAll();
  process.exit(1);
});
