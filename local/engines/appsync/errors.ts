import { GraphQLError } from 'graphql';

/** A resolver error carrying AppSync's `errorType` (what `$util.error(message, type)` produces). */
export class AppSyncResolverError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly errorInfo: unknown = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppSyncResolverError';
  }
}

/** `$util.unauthorized()`: the exact words AppSync uses when a rule denies a field. */
export const unauthorized = (fieldName: string, typeName: string): AppSyncResolverError =>
  new AppSyncResolverError(
    `Not Authorized to access ${fieldName} on type ${typeName}`,
    'Unauthorized',
  );

/** A request-level failure (before execution): HTTP status plus AppSync's error body. */
export class AppSyncRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppSyncRequestError';
  }
}

/** One error as AppSync serializes it in `errors[]`. */
export interface AppSyncErrorJson {
  path: readonly (string | number)[] | null;
  data: null;
  errorType?: string;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[] | null;
  message: string;
}

/** Turns a graphql-js error into AppSync's error shape. */
export function formatError(error: GraphQLError): AppSyncErrorJson {
  const original = error.originalError;
  const out: AppSyncErrorJson = {
    path: error.path ?? null,
    data: null,
    errorInfo: null,
    locations:
      error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null,
    message: error.message,
  };
  if (original instanceof AppSyncResolverError) {
    out.errorType = original.errorType;
    out.errorInfo = original.errorInfo;
  } else if (original && !(original instanceof GraphQLError)) {
    // An unexpected exception inside a resolver: AppSync reports it without internals.
    out.errorType = 'InternalFailure';
  }
  return out;
}

const VALIDATION_KINDS: [RegExp, string][] = [
  [/^Cannot query field/, 'FieldUndefined'],
  [/^Unknown argument/, 'UnknownArgument'],
  [/^Unknown type/, 'UnknownType'],
  [/^Field ".*" argument ".*" of type ".*" is required/, 'MissingFieldArgument'],
  [/^Field ".*" of required type ".*" was not provided/, 'WrongType'],
  [/^Field ".*" must not have a selection/, 'SubSelectionNotAllowed'],
  [/^Field ".*" of type ".*" must have a selection/, 'SubSelectionRequired'],
  [/^Variable ".*" is never used/, 'UnusedVariable'],
  [/^Variable ".*" is not defined/, 'UndefinedVariable'],
  [/^Unknown fragment/, 'UndefinedFragment'],
  [
    /^(Expected value of type|String cannot represent|Int cannot represent|Float cannot represent|Boolean cannot represent|Enum ".*" cannot represent|Value ".*" does not exist)/,
    'WrongType',
  ],
];

/** A document that does not validate: AppSync answers `Validation error of type <Kind>: ...`. */
export function formatValidationError(error: GraphQLError): AppSyncErrorJson {
  const kind = VALIDATION_KINDS.find(([re]) => re.test(error.message))?.[1] ?? 'ValidationError';
  return {
    path: null,
    data: null,
    errorType: 'ValidationError',
    errorInfo: null,
    locations:
      error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null,
    message: `Validation error of type ${kind}: ${error.message}`,
  };
}

/** A document that does not parse. */
export function formatSyntaxError(error: GraphQLError): AppSyncErrorJson {
  return {
    path: null,
    data: null,
    errorType: 'MalformedHttpRequestException',
    errorInfo: null,
    locations:
      error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null })) ?? null,
    message: `Invalid Syntax : ${error.message.replace(/^Syntax Error: /, '')}`,
  };
}
