export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** Decodes Stripe's form encoding (`metadata[order]=1&expand[0]=x`) into nested objects and arrays. */
export function parseForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    const path = match
      ? [match[1] ?? '', ...[...(match[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')]
      : [rawKey];
    let node: Record<string, FormValue> = root;
    path.forEach((segment, index) => {
      const key = segment === '' ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, FormValue>;
    });
  }
  return arrayify(root) as Record<string, FormValue>;
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = Object.fromEntries(keys.map((k) => [k, arrayify(value[k] as FormValue)]));
  if (keys.length > 0 && keys.every((k, i) => k === String(i)))
    return keys.map((k) => entries[k] as FormValue);
  return entries;
}
