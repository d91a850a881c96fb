/** A form field's error under it; its id is what the input's aria-describedby names. */
export function FieldError({ id, error }: { id: string; error: string | undefined | null }) {
  if (!error) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700">
      {error}
    </p>
  );
}
