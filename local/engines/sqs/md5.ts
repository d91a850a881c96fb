import { createHash } from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string; // base64, as the JSON protocol carries it
}

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

/** MD5 of message attributes with the byte layout SQS documents (sorted names, length-prefixed). */
export function md5OfMessageAttributes(
  attributes: Record<string, MessageAttributeValue>,
): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name];
    if (!value) continue;
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')));
    parts.push(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      parts.push(lengthPrefixed(Buffer.from(value.BinaryValue, 'base64')));
    } else {
      parts.push(Buffer.from([1]));
      parts.push(lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}
