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
}

/** Reads SHOP_FROM_EMAIL, STOREFRONT_URL and ALERT_EMAIL, falling back to local defaults. */
export const readDeploySettings = (env: NodeJS.ProcessEnv = process.env): DeploySettings => ({
  shopFromEmail: nonEmpty(env.SHOP_FROM_EMAIL) ?? 'orders@shop.example.com',
  storefrontUrl: nonEmpty(env.STOREFRONT_URL) ?? 'http://localhost:3000',
  alertEmail: nonEmpty(env.ALERT_EMAIL) ?? 'alerts@shop.example.com',
});

const nonEmpty = (value: string | undefined): string | undefined =>
  value && value.trim() !== '' ? value.trim() : undefined;
