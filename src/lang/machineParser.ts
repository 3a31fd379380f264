/**
 * `@kvm { vcpus = 2; gfns T, gfn1; spte gva0 = pfn1 | Present | R -> gfn1; ... }`:
 * the KVM machine declared one field per statement (a lockstep extension).
 * This file only reads the fields; machineCompile.ts resolves their names
 * (which may be used before they are declared) and checks the bounds.
 */
import type { MachineField, MaskTerm, Named } from './ast';
import { describe, type Cursor } from './cursor';
import { MACHINE_FIELDS, type MachineFieldWord } from './machineFields';
import { closest } from './suggest';

/** The fields up to and including the closing brace (the opening one is read). */
export function parseMachineBlock(c: Cursor): MachineField[] {
  const out: MachineField[] = [];
  while (!c.eat('}')) {
    if (c.eat(';')) continue;
    out.push(parseField(c));
    if (!c.at('}')) c.expect(';', "';' or '}' after a machine field");
  }
  return out;
}

function parseField(c: Cursor): MachineField {
  const t = c.peek;
  if (t.kind !== 'ident' || !(MACHINE_FIELDS as readonly string[]).includes(t.text)) {
    const near = t.kind === 'ident' ? nearestField(t.text) : undefined;
    c.fail(
      `expected a machine field (${MACHINE_FIELDS.join(', ')}), found ${describe(t)}` +
        (near ? `; did you mean '${near}'?` : ''),
    );
  }
  c.next();
  const pos = t.pos;
  const field = t.text as MachineFieldWord;
  switch (field) {
    case 'vcpus':
    case 'pfns':
    case 'dirty_ring':
      c.eat('=');
      return { k: 'num', field, v: number(c), pos };
    case 'dirty_logging':
    case 'indirect':
    case 'tlb':
    case 'pml':
      return { k: 'bool', field, v: c.eat('=') ? bool(c) : true, pos };
    case 'gfns':
      return { k: 'gfns', names: list(c, () => name(c, 'a gfn name')), pos };
    case 'dirty_bitmap':
      c.eat('=');
      return { k: 'dirty_bitmap', terms: mask(c), pos };
    case 'gpt':
      c.eat('=');
      return { k: 'gpt', gfn: name(c, 'the gfn of the guest page table'), pos };
    case 'gpte': {
      c.expect('[', "'[' after gpte");
      const index = number(c);
      c.expect(']');
      c.expect('=');
      return { k: 'gpte', index, gfn: name(c, 'the gfn the guest PTE maps'), pos };
    }
    case 'spte': {
      const slot = name(c, 'the SPTE name (its gva or gfn)');
      c.expect('=', "'=' and the SPTE's value");
      const value = mask(c);
      const gfn = arrow(c) ? name(c, 'the gfn the SPTE maps') : undefined;
      return { k: 'spte', name: slot, value, pos, ...(gfn && { gfn }) };
    }
    case 'page':
      return parsePage(c, pos);
    case 'host_map':
      return { k: 'host_map', pairs: list(c, () => hostPair(c)), pos };
    case 'mutex':
    case 'spinlock':
    case 'rwlock':
    case 'rwsem':
      return { k: 'lock', type: field, name: path(c, `the ${field}'s name`), pos };
    case 'srcu':
      return { k: 'srcu', name: path(c, 'the SRCU domain, e.g. kvm->srcu'), pos };
    case 'var':
    case 'cell': {
      const n = name(c, `the ${field}'s name`).name;
      c.expect('=', `'=' and the ${field}'s initial value`);
      const v = number(c);
      return field === 'var' ? { k: 'var', name: n, v, pos } : { k: 'cell', name: n, v, pos };
    }
  }
}

/** `page pfn1 = gfn1 [dirty|clean] [accessed|unaccessed]`, or `page pfn2 = free`. */
function parsePage(c: Cursor, pos: MachineField['pos']): MachineField {
  const pfn = pfnRef(c);
  c.expect('=', "'=' and the gfn whose data the page holds, or 'free'");
  // Flags after `free` mean nothing to the engine, but are kept so the text stays exact.
  const gfn = c.eat('free') ? null : name(c, "the gfn whose data the page holds, or 'free'");
  let dirty: boolean | undefined;
  let accessed: boolean | undefined;
  for (;;) {
    const t = c.peek;
    if (t.kind !== 'ident') break;
    if (t.text === 'dirty' || t.text === 'clean') {
      if (dirty !== undefined) c.fail('the page is already said dirty or clean');
      dirty = c.next().text === 'dirty';
    } else if (t.text === 'accessed' || t.text === 'unaccessed') {
      if (accessed !== undefined) c.fail('the page is already said accessed or unaccessed');
      accessed = c.next().text === 'accessed';
    } else c.fail(`expected dirty, clean, accessed, unaccessed or ';', found ${describe(t)}`);
  }
  return {
    k: 'page',
    pfn,
    gfn,
    pos,
    ...(dirty !== undefined && { dirty }),
    ...(accessed !== undefined && { accessed }),
  };
}

function hostPair(c: Cursor): { gfn: Named; pfn: number; pos: Named['pos'] } {
  const gfn = name(c, 'a gfn of the host map');
  if (!arrow(c)) c.fail(`expected '->' and the pfn after ${gfn.name}, found ${describe(c.peek)}`);
  return { gfn, pfn: pfnRef(c), pos: gfn.pos };
}

/** `->`, lexed as '-' then '>'. */
function arrow(c: Cursor): boolean {
  if (!c.at('-') || !c.at('>', 1)) return false;
  c.next();
  c.next();
  return true;
}

function list<T>(c: Cursor, item: () => T): T[] {
  const out = [item()];
  while (c.eat(',')) out.push(item());
  return out;
}

/** `a | b | 0x40`, or a single term; `0` alone is the empty mask. */
function mask(c: Cursor): MaskTerm[] {
  const term = (): MaskTerm => {
    const t = c.peek;
    if (t.kind === 'num') return { num: c.next().value, pos: t.pos };
    return name(c, 'a name or a number');
  };
  const out = [term()];
  while (c.eat('|')) {
    c.op();
    out.push(term());
  }
  return out;
}

/** An identifier or a quoted string (for names that are not identifiers). */
function name(c: Cursor, what: string): Named {
  const t = c.peek;
  if (t.kind !== 'ident' && t.kind !== 'str') c.fail(`expected ${what}, found ${describe(t)}`);
  c.next();
  return { name: t.text, pos: t.pos };
}

/** A lock or SRCU name: `mmu_lock`, `kvm->slots_lock`, `kvm.srcu`, or a quoted string. */
function path(c: Cursor, what: string): string {
  const first = name(c, what);
  if (c.toks[c.i - 1]?.kind === 'str') return first.name;
  let out = first.name;
  for (;;) {
    if (c.at('.') && c.toks[c.i + 1]?.kind === 'ident') {
      c.next();
      out += `.${c.next().text}`;
    } else if (c.at('-') && c.at('>', 1) && c.toks[c.i + 2]?.kind === 'ident') {
      arrow(c);
      out += `->${c.next().text}`;
    } else return out;
  }
}

function pfnRef(c: Cursor): number {
  const t = c.peek;
  const m = t.kind === 'ident' ? /^pfn(\d+)$/.exec(t.text) : null;
  if (!m) c.fail(`expected a page frame 'pfn1', 'pfn2', ..., found ${describe(t)}`);
  c.next();
  return Number(m?.[1]);
}

function number(c: Cursor): number {
  const neg = c.eat('-');
  const t = c.peek;
  if (t.kind !== 'num') c.fail(`expected a number, found ${describe(t)}`);
  c.next();
  return neg ? -t.value | 0 : t.value;
}

function bool(c: Cursor): boolean {
  const t = c.peek;
  if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false')) {
    c.next();
    return t.text === 'true';
  }
  if (t.kind === 'num' && (t.value === 0 || t.value === 1)) return c.next().value === 1;
  return c.fail(`expected true or false, found ${describe(t)}`);
}

const nearestField = (word: string) => closest(word, MACHINE_FIELDS);
