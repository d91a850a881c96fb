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
  /** How long an order waits for the shopper to confirm a payment with their bank (3-D Secure). */
  bankConfirmationSeconds: number;
}

/** Stripe's own 3-D Secure sessions last about this long; the saga waits as long by default. */
export const DEFAULT_BANK_CONFIRMATION_SECONDS = 15 * 60;

/**
 * Reads SHOP_FROM_EMAIL, STOREFRONT_URL, ALERT_EMAIL and BANK_CONFIRMATION_TIMEOUT_SECONDS (whole
 * seconds, 10 to 86400), falling back to local defaults; a malformed timeout stops the synthesis.
 */
export const readDeploySettings = (env: NodeJS.ProcessEnv = process.env): DeploySettings => ({
  shopFromEmail: nonEmpty(env.SHOP_FROM_EMAIL) ?? 'orders@shop.example.com',
  storefrontUrl: nonEmpty(env.STOREFRONT_URL) ?? 'http://localhost:3000',
  alertEmail: nonEmpty(env.ALERT_EMAIL) ?? 'alerts@shop.example.com',
  bankConfirmationSeconds: secondsSetting(
    'BANK_CONFIRMATION_TIMEOUT_SECONDS',
    nonEmpty(env.BANK_CONFIRMATION_TIMEOUT_SECONDS),
    DEFAULT_BANK_CONFIRMATION_SECONDS,
  ),
});

const secondsSetting = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 10 || seconds > 86_400)
    throw new Error(`${name} must be whole seconds from 10 to 86400, not "${raw}"`);
  return seconds;
};

const nonEmpty = (value: string | undefined): string | undefined =>
  value && value.trim() !== '' ? value.trim() : undefined;
