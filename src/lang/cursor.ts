/** The token cursor and the limits the parser enforces as it reads. */
import { LitmusError } from './ast';
import type { Token } from './lexer';

/** Longest accepted text: well above any real litmus test, well below a hang. */
export const MAX_TEXT = 200_000;
/** Deepest nesting of blocks and parentheses. */
export const MAX_DEPTH = 64;
/** Most binary operators in one statement or condition. */
export const MAX_OPERATORS = 1000;

/** Type words a declaration or parameter may start with. */
export const TYPE_WORDS = new Set([
  'int',
  'unsigned',
  'long',
  'short',
  'char',
  'const',
  'volatile',
  'u8',
  'u16',
  'u32',
  'u64',
  'bool',
  'uintptr_t',
  'intptr_t',
  'atomic_t',
  'atomic_long_t',
  'spinlock_t',
  'rwlock_t',
  'struct',
  '_Atomic',
  'void',
]);

export class Cursor {
  i = 0;
  depth = 0;
  constructor(
    readonly toks: Token[],
    readonly src: string,
  ) {}
  get peek(): Token {
    return this.toks[this.i] ?? (this.toks[this.toks.length - 1] as Token);
  }
  at(text: string, ahead = 0): boolean {
    const t = this.toks[this.i + ahead];
    return t !== undefined && t.kind !== 'str' && t.text === text;
  }
  next(): Token {
    const t = this.peek;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  eat(text: string): boolean {
    if (!this.at(text)) return false;
    this.i++;
    return true;
  }
  fail(message: string, t: Token = this.peek): never {
    throw new LitmusError(message, t.pos);
  }
  expect(text: string, what = `'${text}'`): Token {
    if (!this.at(text)) this.fail(`expected ${what}, found ${describe(this.peek)}`);
    return this.next();
  }
  ident(what: string): Token {
    if (this.peek.kind !== 'ident') this.fail(`expected ${what}, found ${describe(this.peek)}`);
    return this.next();
  }
  /** Operators in the current statement or condition: their trees are walked recursively. */
  ops = 0;
  op(): void {
    if (++this.ops > MAX_OPERATORS)
      this.fail(`more than ${MAX_OPERATORS} operators in one statement or condition`);
  }
  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }
  leave(): void {
    this.depth--;
  }
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  return `'${t.text.slice(0, 30)}'`;
}
