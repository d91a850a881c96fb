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
import * as appsync from './engines/appsync';
import * as cognito from './engines/cognito';
import * as dynamodb from './engines/dynamodb';
import * as httpapi from './engines/httpapi';
import type { Engine } from './engines/kit/engine';
import * as lambda from './engines/lambda';
import { LambdaFaults } from './engines/lambda/faults';
import { formatFunctionLog } from './engines/lambda/log-line';
import * as logs from './engines/logs';
import * as mailbox from './engines/mailbox';
import * as s3 from './engines/s3';
import * as ses from './engines/ses';
import * as sns from './engines/sns';
import * as sqs from './engines/sqs';
import * as ssm from './engines/ssm';
import * as stepfunctions from './engines/stepfunctions';
import * as stripe from './engines/stripe';
import { buildLocalOutputs, writeLocalOutputs } from './outputs';
import { seedCatalog } from './seed';
import { registerStripeWebhook } from './stripe-webhook';

interface Running extends Engine {
  name: string;
}

const started = Date.now();
/** The tables' in-process link, for the engines that reach them inside AWS (AppSync). */
let tablesInProcess: dynamodb.DynamoDbEngine['tables'] | undefined;
/** The mailbox's intake, which SES hands mail to in this process. */
let mailIntake: mailbox.MailboxEngine['deliver'] | undefined;
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

/** Starts one engine as a timed phase and keeps it for the shutdown. */
async function startEngine<E extends Engine>(name: string, start: () => Promise<E>): Promise<E> {
  return phase(`${name} started`, async () => {
    const engine = await start();
    running.push({ name, url: engine.url, stop: () => engine.stop() });
    return engine;
  });
}

const authModes: Record<string, 'apiKey' | 'userPool' | 'iam'> = {
  API_KEY: 'apiKey',
  AMAZON_COGNITO_USER_POOLS: 'userPool',
  AWS_IAM: 'iam',
};

async function startOtherEngines(
  config: LocalConfig,
  assembly: LocalAssembly,
  functions: lambda.LambdaEngine,
  pool: cognito.CognitoEngine | undefined,
  secrets: Record<string, string>,
): Promise<void> {
  const { host, ports, credentials, region, accountId, stateDir } = config;
  // AppSync reaches the tables inside AWS: in-process here, the same store the endpoint serves.
  if (!tablesInProcess) throw new Error('The DynamoDB engine must start before AppSync');
  const tables = tablesInProcess;

  await startEngine('stripe', () =>
    stripe.start({
      port: ports.stripe,
      host,
      dataDir: path.join(stateDir, 'stripe'),
      secretKey: config.stripeSecretKey,
      publishableKey: config.stripePublishableKey,
      testHooks: config.testHooks,
      webhookRetryBaseMs: Number(process.env['LOCAL_STRIPE_WEBHOOK_RETRY_MS'] ?? 1000),
    }),
  );

  // API Gateway HTTP APIs (the Stripe webhook), then Stripe told where to deliver: a newcomer's
  // `npm run dev` gets signed webhooks with nothing to set up.
  if (assembly.httpRoutes.length > 0) {
    await startEngine('httpapi', () =>
      httpapi.start({
        port: ports.httpApi,
        host,
        region,
        accountId,
        routes: assembly.httpRoutes,
        invoke: (name, event) => functions.invoke(name, event),
      }),
    );
    const webhookUrl = assembly.outputs['customOutputs']
      ? (
          JSON.parse(assembly.outputs['customOutputs']) as {
            custom?: { stripeWebhookUrl?: string };
          }
        ).custom?.stripeWebhookUrl
      : undefined;
    if (webhookUrl)
      await phase('stripe webhook registered', async () => {
        secrets['STRIPE_WEBHOOK_SECRET'] = await registerStripeWebhook(config, webhookUrl);
      });
  }

  const api = assembly.api;
  if (api) {
    const customOperations: Record<string, string> = {};
    for (const resolver of api.resolvers) {
      const sources = [resolver.dataSource, ...resolver.pipeline.map((p) => p.dataSource)];
      const fn = api.dataSources.find((d) => sources.includes(d.name) && d.functionName);
      if (fn?.functionName)
        customOperations[`${resolver.typeName}.${resolver.fieldName}`] = fn.functionName;
    }
    await startEngine('graphql', () =>
      appsync.start({
        port: ports.graphql,
        host,
        schemaSdl: readFileSync(api.schemaFile, 'utf8'),
        modelIntrospection: api.modelIntrospectionFile
          ? (JSON.parse(readFileSync(api.modelIntrospectionFile, 'utf8')) as Record<
              string,
              unknown
            >)
          : {},
        tableNameFor: (model: string) => {
          const table = assembly.tables.find((t) => t.modelName === model);
          if (!table) throw new Error(`No table for model ${model}`);
          return table.name;
        },
        dynamodb: tables,
        apiKey: api.apiKey ?? '',
        defaultAuthMode: authModes[api.defaultAuthorizationType] ?? 'apiKey',
        cognito: pool
          ? { issuer: pool.issuer, jwksUrl: pool.jwksUrl, appIdClientRegex: api.appIdClientRegex }
          : undefined,
        iam: credentials,
        accountId,
        invokeFunction: (name: string, event: unknown) => functions.invoke(name, event),
        customOperations,
      }),
    );
  }

  const nameOfArn = (arn: string): string => arn.split(':').pop() ?? arn;
  const queues = await startEngine('sqs', () =>
    sqs.start({
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
    }),
  );
  // The engine stops its event source mappings with itself.
  for (const esm of assembly.eventSourceMappings) {
    if (!esm.enabled || !esm.eventSourceArn.startsWith('arn:aws:sqs:')) continue;
    queues.startEventSourceMapping({
      queue: nameOfArn(esm.eventSourceArn),
      batchSize: esm.batchSize,
      reportBatchItemFailures: esm.reportBatchItemFailures,
      // What a function returns to its event source mapping: maybe the batch items that failed.
      invoke: async (event) =>
        (await functions.invoke(esm.functionName, event)) as {
          batchItemFailures?: { itemIdentifier: string }[];
        } | null,
      onError: (error: unknown) =>
        log(`sqs: ${esm.functionName} failed a batch: ${(error as Error).message}`),
    });
  }

  await startEngine('sns', () =>
    sns.start({
      port: ports.sns,
      host,
      dataDir: path.join(stateDir, 'sns'),
      keepMessages: config.retention.snsMessages,
      region,
      accountId,
      credentials,
      testHooks: config.testHooks,
      topics: assembly.topics,
      smtp: { host, port: ports.smtp },
      sqsEndpoint: config.endpoints.sqs,
      invoke: (name, event) => functions.invoke(name, event),
    }),
  );

  await startEngine('stepfunctions', () =>
    stepfunctions.start({
      port: ports.stepfunctions,
      host,
      dataDir: path.join(stateDir, 'stepfunctions'),
      keepFinishedExecutions: config.retention.finishedExecutions,
      retryScale: config.stepFunctionsRetryScale,
      region,
      accountId,
      credentials,
      stateMachines: assembly.stateMachines.map((s) => ({
        name: s.name,
        arn: s.arn,
        definition: s.definition,
        taskFunctions: s.taskFunctions,
      })),
      invoke: (name, payload) => functions.invoke(name, payload),
    }),
  );
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
      httpApiUrl: config.endpoints.httpApi,
    }),
  );
  mkdirSync(config.stateDir, { recursive: true });
  const { host, ports, credentials, region, stateDir } = config;

  await phase('dynamodb, s3 and mailbox started', async () => {
    const [tables, bucket, mail] = await Promise.all([
      dynamodb.start({
        port: ports.dynamodb,
        host,
        dataDir: path.join(stateDir, 'dynamodb'),
        tables: assembly.tables,
        region,
        credentials,
        log: (line) => log(`dynamodb: ${line}`),
      }),
      s3.start({
        port: ports.s3,
        host,
        dataDir: path.join(stateDir, 's3'),
        buckets: assembly.buckets,
        deployments: assembly.bucketDeployments,
        region,
        credentials,
      }),
      mailbox.start({
        host,
        httpPort: ports.mailbox,
        smtpPort: ports.smtp,
        dataDir: path.join(stateDir, 'mailbox'),
        maxMessages: config.retention.emails,
      }),
    ]);
    tablesInProcess = tables.tables;
    mailIntake = mail.deliver;
    running.push(
      { name: 'dynamodb', url: tables.url, stop: () => tables.stop() },
      { name: 's3', url: bucket.url, stop: () => bucket.stop() },
      { name: 'mailbox', url: mail.url, stop: () => mail.stop() },
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
  let userPool: cognito.CognitoEngine | undefined;
  // The functions' Stripe key is the one key the local Stripe takes (LOCAL_STRIPE_SECRET_KEY); the
  // webhook's signing secret is added once the local Stripe has made the endpoint.
  const secrets: Record<string, string> = {
    ...secretsFromEnv(),
    STRIPE_SECRET_KEY: config.stripeSecretKey,
  };
  await phase('ssm, ses and cognito started', async () => {
    const [parameters, email, pool] = await Promise.all([
      ssm.start({
        port: ports.ssm,
        host,
        region,
        accountId: config.accountId,
        parameters: assembly.ssmParameters,
        secrets,
        faults: config.testHooks ? lambdaFaults : undefined,
        credentials,
      }),
      ses.start({
        port: ports.ses,
        host,
        deliver: (message, envelope) => {
          if (!mailIntake) throw new Error('The mailbox must start before SES');
          return mailIntake(message, envelope);
        },
        region,
        credentials,
      }),
      assembly.userPool
        ? cognito.start({
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
    running.push(
      { name: 'ssm', url: parameters.url, stop: () => parameters.stop() },
      { name: 'ses', url: email.url, stop: () => email.stop() },
    );
    if (pool) {
      userPool = pool;
      running.push({ name: 'cognito', url: pool.url, stop: () => pool.stop() });
    }
  });

  // CloudWatch Logs: every line a function prints lands in its log group, as Lambda sends it there.
  const logGroupOf = new Map(
    assembly.functions.map((f) => [f.name, f.logGroupName ?? `/aws/lambda/${f.functionName}`]),
  );
  const logGroups = await startEngine('logs', () =>
    logs.start({
      port: ports.logs,
      host,
      region,
      accountId: config.accountId,
      credentials,
      keepPerGroup: config.retention.logLinesPerGroup,
      groups: [...logGroupOf.values()],
    }),
  );
  const verbose = process.env['LOCAL_VERBOSE'] === '1';
  const functions = await lambda.start({
    functions: withStorefrontUrl(assembly.functions, config.storefrontUrl),
    commonEnvironment: lambdaEnvironment(config),
    faults: lambdaFaults,
    idleMs: config.lambdaIdleSeconds * 1000,
    // The terminal shows the compact line (log-line.ts), the log group keeps it whole.
    log: (name, line) => {
      const group = logGroupOf.get(name);
      if (group) logGroups.recordLambdaLine(group, line);
      const shown = formatFunctionLog(name, line, { verbose });
      if (shown !== null) process.stdout.write(`${shown}\n`);
    },
    workers: config.lambdaWorkers,
  });
  running.push({ name: 'lambda', url: functions.url, stop: () => functions.stop() });
  log(`local: ${assembly.functions.length} functions ready to invoke in-process`);

  await startOtherEngines(config, assembly, functions, userPool, secrets);

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
  if (process.env['LOCAL_LAMBDA_PREWARM'] === '1') void functions.warmAll();
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
