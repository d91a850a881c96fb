import type { Metadata } from 'next';
import { SignInThenGo } from '@/components/auth/sign-in-then-go';

export const metadata: Metadata = {
  title: 'Sign in',
  description: 'Sign in or create an account.',
};

type SearchParams = Promise<{ next?: string | string[] }>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const { next } = await searchParams;
  const target =
    typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return (
    <div className="mx-auto max-w-7xl px-4 py-10 sm:px-6">
      <h1 className="mb-8 text-center text-3xl font-bold tracking-tight">Sign in</h1>
      <SignInThenGo next={target} />
    </div>
  );
}
