/**
 * App client auth flows as Cognito reads `ExplicitAuthFlows`: the ALLOW_* settings, the legacy
 * names (USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY) and the defaults of a client
 * that lists none; and which setting each `AuthFlow` of InitiateAuth / AdminInitiateAuth needs.
 */

/** Every value `ExplicitAuthFlows` accepts. */
export const EXPLICIT_AUTH_FLOWS = [
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
] as const;

/** What a client that lists no flows allows (Cognito's documented default). */
export const DEFAULT_AUTH_FLOWS = [
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
] as const;

/** Every `AuthFlow` InitiateAuth / AdminInitiateAuth accept, with the setting each needs. */
const SETTING_FOR_FLOW: Record<string, string> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
  USER_AUTH: 'ALLOW_USER_AUTH',
};

const LEGACY = new Set(['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);

/** Whether `authFlow` is one of the names the Cognito API knows. */
export const isAuthFlow = (authFlow: string): boolean => authFlow in SETTING_FOR_FLOW;

/**
 * The ALLOW_* settings a client's `ExplicitAuthFlows` amount to. Legacy clients predate the ALLOW_*
 * switches: SRP, custom auth and refresh were always on (CUSTOM_AUTH_FLOW_ONLY turned SRP off), and
 * the legacy names turned the password flows on.
 */
export function effectiveAuthFlows(explicit: readonly string[]): Set<string> {
  if (explicit.length === 0) return new Set(DEFAULT_AUTH_FLOWS);
  if (!explicit.some((f) => LEGACY.has(f))) return new Set(explicit);
  const flows = new Set(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH']);
  if (!explicit.includes('CUSTOM_AUTH_FLOW_ONLY')) flows.add('ALLOW_USER_SRP_AUTH');
  if (explicit.includes('USER_PASSWORD_AUTH')) flows.add('ALLOW_USER_PASSWORD_AUTH');
  if (explicit.includes('ADMIN_NO_SRP_AUTH')) flows.add('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  return flows;
}

/** Whether a client with these `ExplicitAuthFlows` lets a caller sign in with `authFlow`. */
export function clientAllowsFlow(explicit: readonly string[], authFlow: string): boolean {
  const setting = SETTING_FOR_FLOW[authFlow];
  return setting !== undefined && effectiveAuthFlows(explicit).has(setting);
}

/** What is wrong with an `ExplicitAuthFlows` list given to CreateUserPoolClient, if anything. */
export function explicitAuthFlowsProblem(flows: readonly string[]): string | undefined {
  const unknown = flows.find((f) => !(EXPLICIT_AUTH_FLOWS as readonly string[]).includes(f));
  if (unknown !== undefined) {
    return `1 validation error detected: Value '[${flows.join(', ')}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: [${EXPLICIT_AUTH_FLOWS.join(', ')}]`;
  }
  if (flows.some((f) => LEGACY.has(f)) && flows.some((f) => f.startsWith('ALLOW_'))) {
    return 'ExplicitAuthFlows cannot mix legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) with ALLOW_ values.';
  }
  return undefined;
}
