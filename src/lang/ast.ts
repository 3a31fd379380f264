/** The syntax tree of a litmus test. Every node carries the line:col it starts at. */

export interface Pos {
  line: number;
  col: number;
}

/** A located error: the parser and compiler throw it, the API turns it into data. */
export class LitmusError extends Error {
  override name = 'LitmusError';
  constructor(
    message: string,
    readonly pos: Pos,
    readonly endPos?: Pos,
  ) {
    super(message);
  }
}

export type Expr =
  | { k: 'num'; v: number; pos: Pos }
  | { k: 'name'; name: string; pos: Pos }
  | { k: 'call'; fn: string; args: Expr[]; pos: Pos }
  | { k: 'bin'; op: string; l: Expr; r: Expr; pos: Pos }
  | { k: 'un'; op: '-' | '!' | '~'; e: Expr; pos: Pos }
  | { k: 'deref'; e: Expr; pos: Pos }
  | { k: 'addr'; e: Expr; pos: Pos }
  /** Raw-op forms (lockstep extension): a string argument and `array[index]`. */
  | { k: 'str'; v: string; pos: Pos }
  | { k: 'index'; name: string; idx: Expr; pos: Pos };

/** `@name(args)`: metadata the printer writes so a text parses back to the same instance. */
export interface Annotation {
  name: string;
  args: Expr[];
  pos: Pos;
  /** `@kvm { field; ... }`: the machine declared field by field (extension). */
  block?: MachineField[];
}

/** A name in a machine declaration: an identifier or a quoted string. */
export interface Named {
  name: string;
  pos: Pos;
}

/** One operand of an `|` mask: a name (a gfn, `pfn3`, an SPTE bit) or a number. */
export type MaskTerm = { name: string; pos: Pos } | { num: number; pos: Pos };

/** One field of `@kvm { ... }`, as written; machineCompile.ts resolves the names. */
export type MachineField =
  | { k: 'num'; field: 'vcpus' | 'pfns' | 'dirty_ring'; v: number; pos: Pos }
  | { k: 'bool'; field: 'dirty_logging' | 'indirect' | 'tlb' | 'pml'; v: boolean; pos: Pos }
  | { k: 'gfns'; names: Named[]; pos: Pos }
  | { k: 'dirty_bitmap'; terms: MaskTerm[]; pos: Pos }
  | { k: 'gpt'; gfn: Named; pos: Pos }
  | { k: 'gpte'; index: number; gfn: Named; pos: Pos }
  | { k: 'spte'; name: Named; value: MaskTerm[]; gfn?: Named; pos: Pos }
  | { k: 'page'; pfn: number; gfn: Named | null; dirty?: boolean; accessed?: boolean; pos: Pos }
  | { k: 'host_map'; pairs: { gfn: Named; pfn: number; pos: Pos }[]; pos: Pos }
  | { k: 'lock'; type: 'mutex' | 'spinlock' | 'rwlock' | 'rwsem'; name: string; pos: Pos }
  | { k: 'srcu'; name: string; pos: Pos }
  | { k: 'var'; name: string; v: number; pos: Pos }
  | { k: 'cell'; name: string; v: number; pos: Pos };

export type Stmt =
  | { k: 'decl'; name: string; init?: Expr; pos: Pos; text: string }
  | { k: 'assign'; lhs: Expr; rhs: Expr; pos: Pos; text: string }
  | { k: 'expr'; e: Expr; pos: Pos; text: string }
  | { k: 'if'; cond: Expr; then: Stmt[]; else?: Stmt[]; pos: Pos; text: string }
  | { k: 'while'; cond: Expr; body: Stmt[]; pos: Pos; text: string }
  /** One engine op written directly: `__load(r, spte[0]) @text("...");` (extension). */
  | { k: 'raw'; op: string; args: Expr[]; notes: Annotation[]; pos: Pos; text: string };

export interface Param {
  type: string;
  name: string;
  pos: Pos;
}

export interface ThreadAst {
  index: number;
  params: Param[];
  body: Stmt[];
  /** `@thread(name, role[, vcpu])` at the top of the body. */
  meta: Annotation[];
  pos: Pos;
}

/** One item of the init block. `value` a name means that variable's address. */
export interface InitItem {
  /** `undefined` for a global; a thread number for `0:r1=2`. */
  thread?: number;
  name: string;
  type?: string;
  value: number | { addr: string };
  pos: Pos;
}

/** A location or register a condition names: `x`, `[x]`, `0:r0`. */
export interface LocRef {
  thread?: number;
  name: string;
  pos: Pos;
}

export type Prop =
  | { k: 'true' | 'false'; pos: Pos }
  | {
      k: 'atom';
      loc: LocRef;
      op: '=' | '!=';
      value: number | { addr: string } | { loc: LocRef };
      pos: Pos;
    }
  | { k: 'not'; p: Prop; pos: Pos }
  | { k: 'and' | 'or' | 'implies'; l: Prop; r: Prop; pos: Pos };

export type Quantifier = 'exists' | 'not exists' | 'forall';

export interface LitmusAst {
  name: string;
  /** Annotations of the init block: `@scenario`, `@machine`, `@checks`, `@canonical`, `@chapter`. */
  meta: Annotation[];
  doc?: string;
  init: InitItem[];
  threads: ThreadAst[];
  locations: LocRef[];
  filter?: Prop;
  condition?: { q: Quantifier; p: Prop; pos: Pos; text: string };
  /** The `Result:` word of a comment (Never, Sometimes, Always, DEADLOCK, Maybe). */
  expected?: { word: string; pos: Pos };
}
