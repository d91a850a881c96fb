/**
 * Deploy-time settings read from the environment of the process that synthesizes the backend
 * (`npm run synth`, `npx ampx sandbox`, the Amplify console build). Defaults suit local runs.
 */
export interface DeploySettings {
  /** The verified SES identity the shop sends email from. */
  shopFromEmail: string;
  /** Base URL of the storefront, used for links in emails. */
  storefrontUrl: string;
  /** Operator mailbox subscribed to CriticalAlerts. */
  alertEmail: string;
  /** The functions' log level (Powertools and Lambda's own filter): DEBUG, INFO, WARN or ERROR. */
  logLevel: LogLevel;
  /** The failure-rate alarm fires when more than this percentage of orders failed over 5 minutes. */
  failureRateAlarmPercent: number;
  /** How long an order waits for the shopper to confirm a payment with their bank (3-D Secure). */
  bankConfirmationSeconds: number;
}

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Stripe's own 3-D Secure sessions last about this long; the saga waits as long by default. */
export const DEFAULT_BANK_CONFIRMATION_SECONDS = 15 * 60;

/**
 * Reads SHOP_FROM_EMAIL, STOREFRONT_URL, ALERT_EMAIL, LOG_LEVEL (INFO),
 * FAILURE_RATE_ALARM_PERCENT (10) and BANK_CONFIRMATION_TIMEOUT_SECONDS (whole seconds, 10 to
 * 86400), falling back to local defaults; a bad value stops synthesis.
 */
export const readDeploySettings = (env: NodeJS.ProcessEnv = process.env): DeploySettings => ({
  shopFromEmail: nonEmpty(env.SHOP_FROM_EMAIL) ?? 'orders@shop.example.com',
  storefrontUrl: nonEmpty(env.STOREFRONT_URL) ?? 'http://localhost:3000',
  alertEmail: nonEmpty(env.ALERT_EMAIL) ?? 'alerts@shop.example.com',
  logLevel: logLevelOf(nonEmpty(env.LOG_LEVEL)),
  failureRateAlarmPercent: percentOf(nonEmpty(env.FAILURE_RATE_ALARM_PERCENT)),
  bankConfirmationSeconds: secondsSetting(
    'BANK_CONFIRMATION_TIMEOUT_SECONDS',
    nonEmpty(env.BANK_CONFIRMATION_TIMEOUT_SECONDS),
    DEFAULT_BANK_CONFIRMATION_SECONDS,
  ),
});

const logLevelOf = (value: string | undefined): LogLevel => {
  if (value === undefined) return 'INFO';
  const level = LOG_LEVELS.find((known) => known === value.toUpperCase());
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
  return level;
};

const percentOf = (value: string | undefined): number => {
  if (value === undefined) return 10;
  const percent = Number(value);
  if (!Number.isFinite(percent) || percent <= 0 || percent >= 100) {
    throw new Error(
      `FAILURE_RATE_ALARM_PERCENT must be a number above 0 and below 100, not "${value}"`,
    );
  }
  return percent;
};

const secondsSetting = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 10 || seconds > 86_400)
    throw new Error(`${name} must be whole seconds from 10 to 86400, not "${raw}"`);
  return seconds;
};

const nonEmpty = (value: string | undefined): string | undefined =>
  value && value.trim() !== '' ? value.trim() : undefined;
