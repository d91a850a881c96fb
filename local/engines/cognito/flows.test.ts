import { describe, expect, it } from 'vitest';
import { clientAllowsFlow, explicitAuthFlowsProblem, isAuthFlow } from './flows';

const AMPLIFY_CLIENT = ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

describe('App client auth flows', () => {
  it("Amplify's client allows SRP and refresh, never a password sent in the request", () => {
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'USER_SRP_AUTH')).toBe(true);
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'REFRESH_TOKEN_AUTH')).toBe(true);
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'REFRESH_TOKEN')).toBe(true);
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'USER_PASSWORD_AUTH')).toBe(false);
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'ADMIN_USER_PASSWORD_AUTH')).toBe(false);
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'ADMIN_NO_SRP_AUTH')).toBe(false);
  });

  it('a password client allows what it lists and nothing else', () => {
    const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    expect(clientAllowsFlow(flows, 'USER_PASSWORD_AUTH')).toBe(true);
    expect(clientAllowsFlow(flows, 'REFRESH_TOKEN_AUTH')).toBe(true);
    expect(clientAllowsFlow(flows, 'USER_SRP_AUTH')).toBe(false);
    expect(clientAllowsFlow(['ALLOW_USER_PASSWORD_AUTH'], 'REFRESH_TOKEN_AUTH')).toBe(false);
  });

  it('ALLOW_ADMIN_USER_PASSWORD_AUTH covers the old ADMIN_NO_SRP_AUTH flow name', () => {
    expect(clientAllowsFlow(['ALLOW_ADMIN_USER_PASSWORD_AUTH'], 'ADMIN_NO_SRP_AUTH')).toBe(true);
    expect(clientAllowsFlow(['ALLOW_ADMIN_USER_PASSWORD_AUTH'], 'USER_PASSWORD_AUTH')).toBe(false);
  });

  it('a client listing no flows gets SRP, custom and refresh', () => {
    expect(clientAllowsFlow([], 'USER_SRP_AUTH')).toBe(true);
    expect(clientAllowsFlow([], 'CUSTOM_AUTH')).toBe(true);
    expect(clientAllowsFlow([], 'REFRESH_TOKEN_AUTH')).toBe(true);
    expect(clientAllowsFlow([], 'USER_PASSWORD_AUTH')).toBe(false);
  });

  it('legacy names keep SRP and refresh on and switch the password flows on', () => {
    expect(clientAllowsFlow(['USER_PASSWORD_AUTH'], 'USER_PASSWORD_AUTH')).toBe(true);
    expect(clientAllowsFlow(['USER_PASSWORD_AUTH'], 'USER_SRP_AUTH')).toBe(true);
    expect(clientAllowsFlow(['USER_PASSWORD_AUTH'], 'REFRESH_TOKEN_AUTH')).toBe(true);
    expect(clientAllowsFlow(['USER_PASSWORD_AUTH'], 'ADMIN_NO_SRP_AUTH')).toBe(false);
    expect(clientAllowsFlow(['ADMIN_NO_SRP_AUTH'], 'ADMIN_USER_PASSWORD_AUTH')).toBe(true);
    expect(clientAllowsFlow(['CUSTOM_AUTH_FLOW_ONLY'], 'USER_SRP_AUTH')).toBe(false);
    expect(clientAllowsFlow(['CUSTOM_AUTH_FLOW_ONLY'], 'CUSTOM_AUTH')).toBe(true);
  });

  it('knows the flow names of the API and refuses unknown or mixed ExplicitAuthFlows', () => {
    expect(isAuthFlow('USER_SRP_AUTH')).toBe(true);
    expect(isAuthFlow('PASSWORD')).toBe(false);
    expect(clientAllowsFlow(AMPLIFY_CLIENT, 'PASSWORD')).toBe(false);
    expect(explicitAuthFlowsProblem(['ALLOW_USER_PASSWORD_AUTH'])).toBeUndefined();
    expect(explicitAuthFlowsProblem(['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'])).toBeUndefined();
    expect(explicitAuthFlowsProblem(['ALLOW_PASSWORDS'])).toMatch(/explicitAuthFlows/);
    expect(explicitAuthFlowsProblem(['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'])).toMatch(
      /cannot mix legacy values/,
    );
  });
});
