/**
 * Reads what a PDF shows: pdf-lib compresses page content streams (FlateDecode) and writes text as
 * hex strings, so the page text is found by inflating each stream and decoding its Tj/TJ strings.
 */
import { inflateSync } from 'node:zlib';

const decodeLiteral = (s: string): string =>
  s.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
    /^[0-7]/.test(e)
      ? String.fromCharCode(parseInt(e, 8))
      : e === 'n'
        ? '\n'
        : e.length === 1 && '()\\'.includes(e)
          ? e
          : ' ',
  );

/** The text drawn on a PDF's pages, one string per text-showing operator, joined by newlines. */
export function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString('latin1');
  const pieces: string[] = [];
  const streams = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let match = streams.exec(raw); match; match = streams.exec(raw)) {
    const body = Buffer.from(match[1] ?? '', 'latin1');
    let content: string;
    try {
      content = inflateSync(body).toString('latin1');
    } catch {
      content = body.toString('latin1');
    }
    for (const op of content.matchAll(/(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))\s*Tj/g)) {
      const token = op[1] ?? '';
      pieces.push(
        token.startsWith('<')
          ? Buffer.from(token.slice(1, -1).replace(/\s/g, ''), 'hex').toString('latin1')
          : decodeLiteral(token.slice(1, -1)),
      );
    }
  }
  return pieces.join('\n');
}
