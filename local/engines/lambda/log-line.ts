/**
 * How a function's stdout line reads in the terminal of `npm run dev`. The functions log one
 * Powertools JSON object per line (and their metrics as CloudWatch EMF objects); offline that is
 * shortened to the function, the level, the order id and the message. LOCAL_VERBOSE=1 prints every
 * line whole, metrics included.
 */

export interface LogLineOptions {
  /** Print the line as the function wrote it. */
  verbose?: boolean;
}

const LEVEL_WIDTH = 5;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The line to print for `line` written by `functionName`, or null for one not worth a line
 * offline (a metrics document, the runtime's blank lines).
 */
export function formatFunctionLog(
  functionName: string,
  line: string,
  options: LogLineOptions = {},
): string | null {
  if (options.verbose) return `[${functionName}] ${line}`;
  if (line.trim() === '') return null;
  let entry: unknown;
  try {
    entry = line.trimStart().startsWith('{') ? JSON.parse(line) : undefined;
  } catch {
    entry = undefined;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return `[${functionName}] ${line}`;
  }
  const fields = entry as Record<string, unknown>;
  // Embedded metric format: the dashboard's data, not something to read while developing.
  if (typeof fields['_aws'] === 'object' && fields['_aws'] !== null) return null;
  const message = text(fields['message']);
  const level = text(fields['level']);
  if (!message || !level) return `[${functionName}] ${line}`;
  const orderId = text(fields['orderId']);
  const error = fields['error'] as Record<string, unknown> | undefined;
  const errorText =
    typeof error === 'object' && error !== null
      ? `: ${text(error['name']) ?? 'Error'}: ${text(error['message']) ?? ''}`
      : '';
  return [
    `[${functionName}]`,
    level.toUpperCase().padEnd(LEVEL_WIDTH),
    ...(orderId ? [orderId] : []),
    `${message}${errorText}`,
  ].join(' ');
}
