import {
  Kind,
  print,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Fragments of a document by name. */
export type Fragments = Record<string, FragmentDefinitionNode>;

function* fieldsOf(
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  typeName?: string,
): Generator<FieldNode> {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) yield s;
    else if (s.kind === Kind.INLINE_FRAGMENT) {
      if (!typeName || !s.typeCondition || s.typeCondition.name.value === typeName) {
        yield* fieldsOf(s.selectionSet, fragments, typeName);
      }
    } else {
      const fragment = fragments[s.name.value];
      if (fragment && (!typeName || fragment.typeCondition.name.value === typeName)) {
        yield* fieldsOf(fragment.selectionSet, fragments, typeName);
      }
    }
  }
}

/**
 * Re-keys a response value from aliases to field names, so that what a mutation selected can be
 * handed to subscribers whatever aliases the mutation used.
 */
export function unalias(
  set: SelectionSetNode | undefined,
  value: unknown,
  fragments: Fragments,
): unknown {
  if (!set || value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => unalias(set, v, fragments));
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(set, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    if (!(key in source)) continue;
    out[field.name.value] = unalias(field.selectionSet, source[key], fragments);
  }
  return out;
}

/**
 * Projects a value onto a subscriber's selection set: fields the mutation did not select are null,
 * exactly what AppSync delivers.
 */
export function project(
  set: SelectionSetNode | undefined,
  value: unknown,
  fragments: Fragments,
  typeName: string,
): unknown {
  if (!set || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => project(set, v, fragments, typeName));
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(set, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    const name = field.name.value;
    if (name === '__typename') {
      out[key] = source['__typename'] ?? typeName;
      continue;
    }
    out[key] = project(field.selectionSet, source[name], fragments, '');
  }
  return out;
}

/** `info.selectionSetList` as AppSync gives Lambda resolvers: `a`, `b`, `b/c`, ... */
export function selectionSetList(
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  prefix = '',
): string[] {
  const out: string[] = [];
  for (const field of fieldsOf(set, fragments)) {
    const path = `${prefix}${field.name.value}`;
    out.push(path);
    if (field.selectionSet)
      out.push(...selectionSetList(field.selectionSet, fragments, `${path}/`));
  }
  return [...new Set(out)];
}

/** `info.selectionSetGraphQL`: the field's selection set as text. */
export const selectionSetGraphQL = (set: SelectionSetNode | undefined): string =>
  set ? print(set) : '';
