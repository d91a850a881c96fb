import { defineAuth } from '@aws-amplify/backend';

/** Shoppers sign in with their email; operators are the members of ADMINS. */
export const auth = defineAuth({
  loginWith: { email: true },
  groups: ['ADMINS'],
});
