import { describe, expect, it } from 'vitest';
import { CODE_LIFETIME_MS, pendingSignUpStore, signUpServices } from './pending-sign-up';

const memory = () => {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
};

const setUp = (onCodeStep = false) => {
  let now = 1_000_000;
  const pending = pendingSignUpStore(memory(), () => now);
  const resent: string[] = [];
  const services = signUpServices(
    {
      signUp: async () => ({ nextStep: 'CONFIRM_SIGN_UP' }),
      confirmSignUp: async () => ({ isSignUpComplete: true }),
      resendSignUpCode: async ({ username }) => {
        resent.push(username);
        return { destination: username, deliveryMedium: 'EMAIL' as const };
      },
    },
    pending,
    () => onCodeStep,
  );
  return { pending, services, resent, advance: (ms: number) => (now += ms) };
};

describe('Function: signUpServices', () => {
  it('remembers the sign-up until its code is confirmed', async () => {
    const { pending, services } = setUp();
    await services.handleSignUp({ username: 'ada@example.com' });
    expect(pending.read()?.email).toBe('ada@example.com');
    await services.handleConfirmSignUp({ username: 'ada@example.com' });
    expect(pending.read()).toBeNull();
  });

  it('signing in again before confirming sends no second code', async () => {
    const { services, resent } = setUp(false);
    await services.handleSignUp({ username: 'ada@example.com' });
    await services.handleResendSignUpCode({ username: 'ada@example.com' });
    expect(resent).toEqual([]);
  });

  it('sends a new code when the shopper asks for one on the code step', async () => {
    const { services, resent } = setUp(true);
    await services.handleSignUp({ username: 'ada@example.com' });
    await services.handleResendSignUpCode({ username: 'ada@example.com' });
    expect(resent).toEqual(['ada@example.com']);
  });

  it.each([
    ['another address', 'bob@example.com', 0],
    ['an expired code', 'ada@example.com', CODE_LIFETIME_MS + 1],
  ])('sends a code on sign-in for %s', async (_case, username, later) => {
    const { services, resent, advance } = setUp(false);
    await services.handleSignUp({ username: 'ada@example.com' });
    advance(later);
    await services.handleResendSignUpCode({ username });
    expect(resent).toEqual([username]);
  });

  it('ignores a malformed stored value', () => {
    const store = memory();
    store.setItem('saga-supply.pending-sign-up.v1', '{"email":5}');
    expect(pendingSignUpStore(store).read()).toBeNull();
  });
});
