export default function HomePage() {
  return (
    <main className="mx-auto max-w-5xl px-4 py-16">
      <h1 className="text-4xl font-semibold text-brand-700">Saga Supply</h1>
      <p className="mt-4 text-lg">Goods for the workshop and the trail.</p>
    </main>
  );
}
