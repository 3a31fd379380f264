/**
 * Echoing user input in one-line messages (CLI errors, the app's banner):
 * quoted, with every control character escaped so that a newline, a carriage
 * return or a terminal escape in an argument can neither break the message
 * over lines nor drive the terminal, and capped so a pasted megabyte stays a
 * line.
 */

/** How much of an argument a message echoes: enough to recognise it. */
export const ECHO_MAX = 60;

/**
 * `'text'` with control and invisible formatting characters escaped,
 * truncated to `max` characters with the full length said.
 *
 * @example
 * quoteArg('a\nb') // "'a\\nb'"
 */
export function quoteArg(raw: string, max: number = ECHO_MAX): string {
  const chars = [...raw];
  const cut = chars.length > max;
  const body = (cut ? chars.slice(0, max) : chars)
    .map((c) => (c === "'" || c === '\\' ? `\\${c}` : escapeChar(c)))
    .join('');
  return cut ? `'${body}…' (${chars.length} characters)` : `'${body}'`;
}

/** The same escapes over a whole message, without quoting; backslashes stay as they are. */
export function escapeControls(text: string): string {
  return [...text].map(escapeChar).join('');
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return `\\x${cp.toString(16).padStart(2, '0')}`;
  // Line and paragraph separators, and the bidirectional controls that can
  // make a line read differently from what it contains.
  if (
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x061c ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff
  )
    return `\\u{${cp.toString(16)}}`;
  return c;
}
