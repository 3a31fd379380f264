/**
 * A MachineDef as `@kvm { ... }`, one field per line, that machineCompile.ts
 * reads back to the identical MachineDef: optional fields are written only
 * when present (so `dirty: false` and an absent `dirty` stay apart), and
 * names that are not plain identifiers are quoted.
 */
import { FROZEN_SPTE, PFN_SHIFT, type MachineDef } from '../engine';
import { derivedPfns } from './machineCompile';
import { PAGE_WORDS, SPTE_BITS, SPTE_WORDS } from './machineFields';

const IDENT = /^[A-Za-z_]\w*$/;
/** Words the page and SPTE syntax give a meaning, so a gfn with that name is quoted. */
const RESERVED = new Set<string>([...PAGE_WORDS, 'true', 'false']);
const PATH = /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)*$/;

const q = (s: string): string => JSON.stringify(s);
/** A gfn, SPTE, var or cell name. */
const nm = (s: string): string => (IDENT.test(s) && !RESERVED.has(s) ? s : q(s));
/** A lock or SRCU name: `kvm->slots_lock` reads as the kernel writes it. */
const pathName = (s: string): string => (PATH.test(s) ? s : q(s));
const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** e.g. `pfn1 | Present | R | X | A | HostW | MmuW`, `NONPRESENT`, `FROZEN_SPTE`. */
export function printSpte(v: number): string {
  if (v === 0) return SPTE_WORDS.NONPRESENT;
  if (v === FROZEN_SPTE) return SPTE_WORDS.FROZEN;
  const pfn = v >>> PFN_SHIFT;
  const terms = pfn ? [`pfn${pfn}`] : [];
  let rest = v & ((1 << PFN_SHIFT) - 1);
  for (const [name, bit] of SPTE_BITS)
    if (rest & bit) {
      terms.push(name);
      rest &= ~bit;
    }
  if (rest) terms.push(hex(rest));
  return terms.join(' | ');
}

/** The bitmap as gfn names (bits beyond the gfns as a number), or 0. */
function printBitmap(v: number, gfns: readonly string[]): string {
  const terms: string[] = [];
  let rest = v;
  gfns.forEach((g, i) => {
    if (i < 32 && rest & (1 << i)) {
      terms.push(nm(g));
      rest &= ~(1 << i);
    }
  });
  if (rest) terms.push(hex(rest));
  return terms.length ? terms.join(' | ') : '0';
}

/** The lines of `@kvm { ... }`, without indentation. */
export function printMachineFields(m: MachineDef): string[] {
  const g = (i: number): string => nm(m.gfnNames[i] ?? `gfn${i}`);
  const out: string[] = [`vcpus = ${m.vcpus};`];
  if (m.tlb !== undefined) out.push(m.tlb ? 'tlb;' : 'tlb = false;');
  if (m.gfnNames.length) out.push(`gfns ${m.gfnNames.map(nm).join(', ')};`);
  if (m.pfns !== derivedPfns(m.pages, m.hostMap, m.slots)) out.push(`pfns = ${m.pfns};`);
  if (m.indirect) out.push('indirect;');
  if (m.gptGfn !== undefined) out.push(`gpt = ${g(m.gptGfn)};`);
  m.gptes.forEach((x, i) => out.push(`gpte[${i}] = ${g(x)};`));
  for (const s of m.slots) {
    // A direct SPTE named after its gfn needs no `-> gfn`.
    const to = s.name === m.gfnNames[s.gfn] ? '' : ` -> ${g(s.gfn)}`;
    out.push(`spte ${nm(s.name)} = ${printSpte(s.spte)}${to};`);
  }
  for (const p of m.pages) {
    const words = [
      p.gfn === null ? 'free' : g(p.gfn),
      ...(p.dirty === undefined ? [] : [p.dirty ? 'dirty' : 'clean']),
      ...(p.accessed === undefined ? [] : [p.accessed ? 'accessed' : 'unaccessed']),
    ];
    out.push(`page pfn${p.pfn} = ${words.join(' ')};`);
  }
  const map = Object.entries(m.hostMap).map(([k, p]) => `${g(Number(k))} -> pfn${p}`);
  if (map.length) out.push(`host_map ${map.join(', ')};`);
  if (m.dirtyLogging) out.push('dirty_logging;');
  if (m.dirtyBitmap !== undefined)
    out.push(`dirty_bitmap = ${printBitmap(m.dirtyBitmap, m.gfnNames)};`);
  if (m.dirtyRing) out.push(`dirty_ring = ${m.dirtyRing.size};`);
  if (m.pml !== undefined) out.push(m.pml ? 'pml;' : 'pml = false;');
  for (const l of m.locks) out.push(`${l.type} ${pathName(l.name)};`);
  for (const d of m.srcu) out.push(`srcu ${pathName(d)};`);
  for (const [k, v] of Object.entries(m.vars ?? {})) out.push(`var ${nm(k)} = ${v};`);
  for (const c of m.cells ?? []) out.push(`cell ${nm(c.name)} = ${c.init};`);
  return out;
}
