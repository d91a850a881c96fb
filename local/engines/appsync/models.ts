import type { Caller } from './identity';

/** One `@auth` rule as the model introspection schema records it. */
export interface AuthRule {
  allow: 'public' | 'private' | 'owner' | 'groups' | 'custom' | string;
  provider?: string;
  operations?: string[];
  ownerField?: string;
  identityClaim?: string;
  groups?: string[];
  groupClaim?: string;
  groupsField?: string;
}

/** A secondary index that has a query field (`productBySku`, `ordersByOwner`, ...). */
export interface ModelIndex {
  name: string;
  queryField: string;
  partitionKey: string;
  sortKeys: string[];
}

/** What the engine needs to know about one `@model`. */
export interface ModelInfo {
  name: string;
  pluralName: string;
  tableName: string;
  keyFields: string[];
  indexes: ModelIndex[];
  indexedFields: Set<string>;
  rules: AuthRule[];
  ownerFields: string[];
}

/** A model operation as Amplify's auth rules name them. */
export type ModelOperation = 'get' | 'list' | 'listen' | 'create' | 'update' | 'delete';

/** The outcome of the rules for one caller and operation. */
export type Access =
  | { allowed: false }
  | { allowed: true; ownerOnly: false }
  | { allowed: true; ownerOnly: true; ownerFields: string[]; entities: string[] };

interface IntrospectionModel {
  name: string;
  pluralName?: string;
  attributes?: { type: string; properties?: Record<string, unknown> }[];
  primaryKeyInfo?: { primaryKeyFieldName?: string; sortKeyFieldNames?: string[] };
}

/** Reads every model's keys, indexes and auth rules from the model introspection schema. */
export function readModels(
  introspection: { models?: Record<string, IntrospectionModel> },
  tableNameFor: (modelName: string) => string,
): Map<string, ModelInfo> {
  const models = new Map<string, ModelInfo>();
  for (const model of Object.values(introspection.models ?? {})) {
    const keyFields = [
      model.primaryKeyInfo?.primaryKeyFieldName ?? 'id',
      ...(model.primaryKeyInfo?.sortKeyFieldNames ?? []),
    ];
    const indexes: ModelIndex[] = [];
    const rules: AuthRule[] = [];
    for (const attribute of model.attributes ?? []) {
      const props = attribute.properties ?? {};
      if (
        attribute.type === 'key' &&
        typeof props['name'] === 'string' &&
        Array.isArray(props['fields'])
      ) {
        const fields = (props['fields'] as unknown[]).map(String);
        if (typeof props['queryField'] === 'string' && fields[0]) {
          indexes.push({
            name: props['name'],
            queryField: props['queryField'],
            partitionKey: fields[0],
            sortKeys: fields.slice(1),
          });
        }
      }
      if (attribute.type === 'auth' && Array.isArray(props['rules'])) {
        rules.push(...(props['rules'] as AuthRule[]));
      }
    }
    const indexedFields = new Set(indexes.flatMap((i) => [i.partitionKey, ...i.sortKeys]));
    const ownerFields = [
      ...new Set(rules.filter((r) => r.allow === 'owner').map((r) => r.ownerField ?? 'owner')),
    ];
    models.set(model.name, {
      name: model.name,
      pluralName: model.pluralName ?? `${model.name}s`,
      tableName: tableNameFor(model.name),
      keyFields,
      indexes,
      indexedFields,
      rules,
      ownerFields,
    });
  }
  return models;
}

const GRANTS: Record<ModelOperation, string[]> = {
  get: ['read', 'get'],
  list: ['read', 'list'],
  listen: ['read', 'listen'],
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
};

const permits = (rule: AuthRule, op: ModelOperation): boolean =>
  !rule.operations || rule.operations.some((o) => GRANTS[op].includes(o));

/** The identities an owner field may hold for this caller: Gen 2 stores `sub::username`. */
export function ownerEntities(caller: Caller): string[] {
  if (caller.mode !== 'userPool') return [];
  return [`${caller.sub}::${caller.username}`, caller.sub, caller.username].filter(
    (e) => e && e !== '::',
  );
}

/**
 * Applies the model's rules as Amplify's generated resolvers do: API key needs a public rule, IAM
 * (the backend's functions, `allow.resource`) may do everything, user-pool callers pass through
 * private and group rules fully and through owner rules only for their own records.
 */
export function decide(model: ModelInfo, op: ModelOperation, caller: Caller): Access {
  if (caller.mode === 'iam') return { allowed: true, ownerOnly: false };
  if (caller.mode === 'apiKey') {
    const ok = model.rules.some(
      (r) => r.allow === 'public' && (r.provider ?? 'apiKey') === 'apiKey' && permits(r, op),
    );
    return ok ? { allowed: true, ownerOnly: false } : { allowed: false };
  }
  for (const rule of model.rules) {
    if (!permits(rule, op)) continue;
    const provider = rule.provider ?? 'userPools';
    if (provider !== 'userPools') continue;
    if (rule.allow === 'private') return { allowed: true, ownerOnly: false };
    if (rule.allow === 'groups' && (rule.groups ?? []).some((g) => caller.groups.includes(g))) {
      return { allowed: true, ownerOnly: false };
    }
  }
  const ownerFields = model.rules
    .filter(
      (r) => r.allow === 'owner' && (r.provider ?? 'userPools') === 'userPools' && permits(r, op),
    )
    .map((r) => r.ownerField ?? 'owner');
  if (ownerFields.length > 0) {
    return {
      allowed: true,
      ownerOnly: true,
      ownerFields: [...new Set(ownerFields)],
      entities: ownerEntities(caller),
    };
  }
  return { allowed: false };
}

/** Whether a stored record belongs to the caller under any of the owner fields. */
export function ownsRecord(
  record: Record<string, unknown>,
  ownerFields: string[],
  entities: string[],
): boolean {
  return ownerFields.some((field) => {
    const value = record[field];
    if (typeof value === 'string') return entities.includes(value);
    if (Array.isArray(value))
      return value.some((v) => typeof v === 'string' && entities.includes(v));
    return false;
  });
}

/** Gen 2 owner fields read back as the username only (the `sub::` prefix is Amplify's storage format). */
export function ownerForDisplay(value: unknown): unknown {
  const last = (s: string) => s.split('::').at(-1) ?? s;
  if (typeof value === 'string') return last(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? last(v) : v));
  return value;
}

/** A filter that keeps only records the caller owns (the resolvers' `authFilter`). */
export function ownerFilter(ownerFields: string[], entities: string[]): Record<string, unknown> {
  return {
    or: ownerFields.flatMap((field) => entities.map((e) => ({ [field]: { eq: e } }))),
  };
}
