import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ECHO_MAX, escapeControls, quoteArg } from './quote';

/** C0, DEL, C1, line/paragraph separators and bidi controls. */
const isControl = (c: string): boolean => {
  const cp = c.codePointAt(0) ?? 0;
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
};

describe('quoteArg', () => {
  it.each([
    ['aba', "'aba'"],
    ['a\nb', "'a\\nb'"],
    ['a\r\nb', "'a\\r\\nb'"],
    ['\x1b[31mred', "'\\x1b[31mred'"],
    ['tab\there', "'tab\\there'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['\u202eevil', "'\\u{202e}evil'"],
    ['\x9b', "'\\x9b'"],
    ['é ü 日本', "'é ü 日本'"],
  ])('%j → %s', (raw, shown) => {
    expect(quoteArg(raw)).toBe(shown);
  });

  it('caps a long argument and says how long it was', () => {
    expect(quoteArg('x'.repeat(100_000))).toBe(`'${'x'.repeat(ECHO_MAX)}…' (100000 characters)`);
  });

  it('property: one printable line, never longer than the cap allows', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const q = quoteArg(raw);
        expect([...q].filter(isControl)).toEqual([]);
        // Each character becomes at most 10 (`\u{202e}`), plus quotes and the length note.
        expect([...q].length).toBeLessThanOrEqual(ECHO_MAX * 10 + 40);
      }),
    );
  });

  it('property: printable text without quotes or backslashes is shown as it is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 =.*-]{0,60}$/), (raw) => {
        expect(quoteArg(raw)).toBe(`'${raw}'`);
      }),
    );
  });
});

describe('escapeControls', () => {
  it('leaves a message readable and on one line', () => {
    expect(escapeControls("unknown scenario 'x\ny'\r")).toBe("unknown scenario 'x\\ny'\\r");
  });
});
