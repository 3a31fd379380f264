/** Every error is located at line:col, and bad input never throws out of parseScenario. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from './index';
import { nearest } from './primitives';
import { editDistance } from './suggest';
import { MAX_TEXT } from './parser';

const P = (body: string, cond = 'exists (x=1)', params = 'int *x') =>
  `C t\n{}\nP0(${params}) {\n${body}\n}\n${cond}\n`;

const cases: [string, string, number, number, RegExp][] = [
  [
    'unknown primitive names the nearest',
    P('  WRITE_ONC(*x, 1);'),
    4,
    3,
    /unknown primitive 'WRITE_ONC'; did you mean 'WRITE_ONCE'\?/,
  ],
  ['smp_load_aquire', P('  r0 = smp_load_aquire(x);'), 4, 8, /did you mean 'smp_load_acquire'/],
  ['missing semicolon', P('  WRITE_ONCE(*x, 1)'), 5, 1, /expected ';', found '}'/],
  ['wrong arity', P('  WRITE_ONCE(*x);'), 4, 3, /WRITE_ONCE takes 2 arguments, got 1/],
  ['by-value parameter', P('  r0 = 1;', 'exists (x=1)', 'int x'), 3, 4, /must be a pointer/],
  [
    'lock used on an int',
    P('  spin_lock(x);'),
    4,
    13,
    /spin_lock needs a spinlock_t \*, but 'x' is declared int/,
  ],
  [
    'int used as a lock',
    P('  r0 = READ_ONCE(*l);', 'exists (x=1)', 'spinlock_t *l'),
    4,
    19,
    /'l' is a spinlock, not a memory location/,
  ],
  ['multiplication', P('  r0 = 2 * 3;'), 4, 10, /operator '\*' is not supported/],
  ['for loop', P('  for (;;) ;'), 4, 3, /'for' is not part of the litmus C subset/],
  ['unterminated comment', 'C t\n(* Result: Never\n{}', 2, 1, /unterminated \(\* comment/],
  ['no header', 'P0(int *x) {}', 1, 1, /starts with 'C <name>'/],
  ['no threads', 'C t\n{}\nexists (x=1)', 3, 1, /expected a thread/],
  ['thread gap', 'C t\n{}\nP0(int *x) {}\nP2(int *x) {}\n', 4, 1, /expected P1/],
  [
    'register of a missing thread',
    P('  WRITE_ONCE(*x, 1);', 'exists (3:r0=1)'),
    6,
    9,
    /there is no thread P3/,
  ],
  [
    'bad condition operator',
    P('  WRITE_ONCE(*x, 1);', 'exists (x<1)'),
    6,
    10,
    /expected '=' or '!=' after x/,
  ],
  [
    'garbage after the condition',
    P('  WRITE_ONCE(*x, 1);', 'exists (x=1) junk'),
    6,
    14,
    /unexpected 'junk'/,
  ],
  ['a character outside the grammar', P('  r0 = 1 $ 2;'), 4, 10, /unexpected character '\$'/],
];

describe('errors at line:col', () => {
  it.each(cases)('%s', (_name, text, line, col, message) => {
    const r = parseScenario(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line, col });
    expect(r.errors[0]?.message).toMatch(message);
    expect(r.errors[0]?.message).not.toContain('\n');
  });
});

describe('bounds', () => {
  it('refuses text over the size limit, naming it', () => {
    const r = parseScenario(`C big\n${' '.repeat(MAX_TEXT)}`);
    expect(r.ok || r.errors[0]?.message).toMatch(/longer than the limit of 200000/);
  });
  it('refuses deep nesting of blocks, parentheses and negations', () => {
    for (const text of [
      P(`${'{'.repeat(200)}${'}'.repeat(200)}`),
      P(`  r0 = ${'('.repeat(200)}1${')'.repeat(200)};`),
      P('', `exists (${'~'.repeat(500)}x=1)`),
    ]) {
      const r = parseScenario(text);
      expect(r.ok || r.errors[0]?.message).toMatch(/nesting deeper than 64 levels/);
    }
  });
  it('refuses a chain of thousands of operators', () => {
    const r = parseScenario(P(`  r0 = ${Array(5000).fill('1').join(' + ')};`));
    expect(r.ok || r.errors[0]?.message).toMatch(/more than 1000 operators/);
  });
  it('refuses 64 threads with the engine limit', () => {
    const threads = Array.from({ length: 64 }, (_, i) => `P${i}(int *x) { WRITE_ONCE(*x, ${i}); }`);
    const r = parseScenario(`C many\n{}\n${threads.join('\n')}\nexists (x=0)\n`);
    expect(r.ok || r.errors[0]).toMatchObject({
      line: 19,
      message: expect.stringMatching(/64 threads: .* at most 16/),
    });
  });
});

describe('nearest primitive', () => {
  it('edit distance is the Levenshtein distance', () => {
    expect([
      editDistance('', 'ab'),
      editDistance('kitten', 'sitting'),
      editDistance('ab', 'ab'),
    ]).toEqual([2, 3, 0]);
  });
  it('a name far from every primitive gets no suggestion', () => {
    expect(nearest('frobnicate_the_widgets_now')).toBeUndefined();
    expect(nearest('spin_lokc')).toBe('spin_lock');
  });
});
