/**
 * The fields of `@kvm { ... }` to the engine's MachineDef. Names may be used
 * before their `gfns` line, so fields are resolved here, after parsing, and
 * every bound is checked here so a bad declaration is a located message
 * rather than an engine error at run time.
 */
import { MAX_PFN, PFN_SHIFT, type LockDef, type MachineDef, type PageInit } from '../engine';
import { Layout } from '../engine/layout';
import { LitmusError, type MachineField, type MaskTerm, type Named, type Pos } from './ast';
import { SPTE_BITS, SPTE_BIT_ALIASES, SPTE_WORDS } from './machineFields';
import { closest } from './suggest';

/** Bounds of a declared machine: far above any scenario, well below a slow exploration. */
export const MACHINE_LIMITS = {
  vcpus: 16,
  gfns: 32,
  pfns: 256,
  sptes: 64,
  gptes: 64,
  dirtyRing: 1024,
} as const;

type Of<K extends MachineField['k']> = Extract<MachineField, { k: K }>;

const fail = (message: string, pos: Pos): never => {
  throw new LitmusError(message, pos);
};

/** The machine the fields declare. */
export function compileMachine(fields: MachineField[]): MachineDef {
  const all = <K extends MachineField['k']>(k: K): Of<K>[] =>
    fields.filter((f): f is Of<K> => f.k === k);
  // Scalars once each; every list checked in one pass (Maps), since a text may hold 200000 characters.
  unique(
    'field',
    fields.flatMap((f): Named[] =>
      f.k === 'num' || f.k === 'bool'
        ? [{ name: f.field, pos: f.pos }]
        : f.k === 'gpt' || f.k === 'dirty_bitmap'
          ? [{ name: f.k, pos: f.pos }]
          : [],
    ),
  );
  const gfnIndex = unique(
    'gfn',
    all('gfns').flatMap((f) => f.names),
    MACHINE_LIMITS.gfns,
  );
  const gfnNames = [...gfnIndex.keys()];
  const gfn = (n: Named): number => {
    const i = gfnIndex.get(n.name);
    if (i !== undefined) return i;
    const near = closest(n.name, gfnNames);
    return fail(
      gfnNames.length === 0
        ? `unknown gfn '${n.name}': declare it, e.g. 'gfns ${n.name};'`
        : `unknown gfn '${n.name}' (gfns: ${gfnNames.join(', ')})${near ? `; did you mean '${near}'?` : ''}`,
      n.pos,
    );
  };
  const num = (field: string) =>
    fields.find((f) => f.k === 'num' && f.field === field) as Of<'num'> | undefined;
  const flag = (field: string) =>
    fields.find((f) => f.k === 'bool' && f.field === field) as Of<'bool'> | undefined;
  const bounded = (f: Of<'num'> | undefined, lo: number, hi: number) => {
    if (f && (!Number.isInteger(f.v) || f.v < lo || f.v > hi))
      fail(`${f.field} ${f.v} is out of range ${lo}..${hi}`, f.pos);
    return f?.v;
  };

  const sptes = all('spte');
  unique(
    'SPTE',
    sptes.map((f) => f.name),
    MACHINE_LIMITS.sptes,
  );
  const slots = sptes.map((f) => ({
    name: f.name.name,
    spte: spteValue(f.value),
    gfn: gfn(f.gfn ?? f.name),
  }));

  const pageFields = all('page');
  unique(
    'page',
    pageFields.map((f) => ({ name: `pfn${f.pfn}`, pos: f.pos })),
  );
  const pages: PageInit[] = pageFields.map((f) => {
    if (f.pfn < 1) fail('pages are pfn1, pfn2, ...: pfn0 means "no page"', f.pos);
    return {
      pfn: f.pfn,
      gfn: f.gfn === null ? null : gfn(f.gfn),
      ...(f.dirty !== undefined && { dirty: f.dirty }),
      ...(f.accessed !== undefined && { accessed: f.accessed }),
    };
  });
  const pairs = all('host_map').flatMap((f) => f.pairs);
  unique(
    'host_map entry for',
    pairs.map((p) => p.gfn),
  );
  const hostMap: Record<number, number> = {};
  for (const p of pairs) hostMap[gfn(p.gfn)] = p.pfn;

  // Every pfn named is checked where it is written: pages, host map, SPTEs.
  const refs = [
    ...pageFields.map((f) => ({ pfn: f.pfn, pos: f.pos, what: 'page' })),
    ...pairs.map((p) => ({ pfn: p.pfn, pos: p.pos, what: 'host_map names' })),
    ...sptes.map((f, i) => ({
      pfn: (slots[i]?.spte ?? 0) >>> PFN_SHIFT,
      pos: f.pos,
      what: 'the SPTE points at',
    })),
  ];
  const pfns = bounded(num('pfns'), 0, MACHINE_LIMITS.pfns) ?? derivedPfns(pages, hostMap, slots);
  for (const r of refs) {
    if (r.pfn > MACHINE_LIMITS.pfns)
      fail(`${r.what} pfn${r.pfn}: at most ${MACHINE_LIMITS.pfns} page frames`, r.pos);
    if (r.pfn > pfns) fail(`${r.what} pfn${r.pfn}, but pfns = ${pfns}`, r.pos);
  }

  const gpteFields = all('gpte');
  const tooMany = gpteFields[MACHINE_LIMITS.gptes];
  if (tooMany) fail(`more than ${MACHINE_LIMITS.gptes} guest PTEs`, tooMany.pos);
  const gptes: number[] = [];
  for (const f of [...gpteFields].sort((a, b) => a.index - b.index)) {
    if (f.index !== gptes.length)
      fail(
        f.index < gptes.length
          ? `gpte[${f.index}] is declared twice`
          : `gpte[${f.index}] is declared but gpte[${gptes.length}] is missing (guest PTEs are gpte[0], gpte[1], ...)`,
        f.pos,
      );
    gptes.push(gfn(f.gfn));
  }

  const ringField = num('dirty_ring');
  const ring = bounded(ringField, 1, MACHINE_LIMITS.dirtyRing);
  if (ringField && ring !== undefined && ring & (ring - 1))
    fail(`dirty_ring ${ring} is not a power of two`, ringField.pos);
  const bitmap = all('dirty_bitmap')[0];
  const gpt = all('gpt')[0];
  const tlb = flag('tlb');
  const pml = flag('pml');
  const vars = all('var');
  const cells = all('cell');
  unique('var', vars);
  unique('cell', cells);
  const srcu = [...unique('srcu domain', all('srcu')).keys()];
  const lockFields = all('lock');
  unique('lock', lockFields);

  const machine: MachineDef = {
    gfnNames,
    pfns,
    slots,
    indirect: flag('indirect')?.v ?? false,
    gptes,
    ...(gpt && { gptGfn: gfn(gpt.gfn) }),
    vcpus: bounded(num('vcpus'), 0, MACHINE_LIMITS.vcpus) ?? 1,
    ...(tlb && { tlb: tlb.v }),
    pages,
    hostMap,
    dirtyLogging: flag('dirty_logging')?.v ?? false,
    ...(bitmap && { dirtyBitmap: bitmapValue(bitmap.terms, gfn) }),
    ...(ring !== undefined && { dirtyRing: { size: ring } }),
    ...(pml && { pml: pml.v }),
    locks: lockFields.map((f): LockDef => ({ name: f.name, type: f.type })),
    srcu,
    ...(vars.length > 0 && { vars: Object.fromEntries(vars.map((v) => [v.name, v.v])) }),
    ...(cells.length > 0 && { cells: cells.map((v) => ({ name: v.name, init: v.v })) }),
  };
  // A var is a memory location beside the machine's own: it must not take one of their names.
  const { vars: _vars, ...rest } = machine;
  const layout = new Layout(rest);
  for (const v of vars)
    if (layout.has(v.name)) fail(`var '${v.name}' is the name of a machine location`, v.pos);
  return machine;
}

/**
 * Names in declaration order, each once (the second names the first's
 * line:col), and at most `limit` of them: name → index.
 */
function unique(what: string, items: readonly Named[], limit = Infinity): Map<string, number> {
  const first = new Map<string, Pos>();
  const index = new Map<string, number>();
  for (const it of items) {
    const was = first.get(it.name);
    if (was)
      fail(`${what} '${it.name}' is declared twice (first at ${was.line}:${was.col})`, it.pos);
    if (index.size === limit) fail(`more than ${limit} ${what}s`, it.pos);
    first.set(it.name, it.pos);
    index.set(it.name, index.size);
  }
  return index;
}

/**
 * The page count when `pfns` is not written: the highest pfn any page, host
 * mapping or SPTE names. The printer writes `pfns` only when it differs.
 */
export function derivedPfns(
  pages: readonly PageInit[],
  hostMap: Readonly<Record<number, number>>,
  slots: readonly { spte: number }[],
): number {
  // A loop, not Math.max(...): a long declaration would overflow the argument list.
  let max = 0;
  for (const p of pages) max = Math.max(max, p.pfn);
  for (const p of Object.values(hostMap)) max = Math.max(max, p);
  for (const s of slots) max = Math.max(max, s.spte >>> PFN_SHIFT);
  return max;
}

const SPTE_BIT_NAMES = [...SPTE_BITS.map(([n]) => n), ...Object.keys(SPTE_BIT_ALIASES), 'pfn1'];

/** `pfn1 | Present | R | 0x2000`, or NONPRESENT (0), or FROZEN_SPTE. */
function spteValue(terms: MaskTerm[]): number {
  let v = 0;
  for (const t of terms) {
    if ('num' in t) {
      if (t.num > 0x7fffffff) fail(`SPTE bits ${t.num} do not fit in 31 bits`, t.pos);
      v |= t.num;
      continue;
    }
    const pfn = /^pfn(\d+)$/.exec(t.name);
    // hasOwn: `toString` and friends are not SPTE bits.
    const bit =
      SPTE_BITS.find(([n]) => n === t.name)?.[1] ??
      (Object.hasOwn(SPTE_BIT_ALIASES, t.name) ? SPTE_BIT_ALIASES[t.name] : undefined) ??
      (t.name === SPTE_WORDS.NONPRESENT ? 0 : undefined) ??
      (t.name === SPTE_WORDS.FROZEN ? SPTE_BIT_ALIASES.FROZEN_MARK : undefined);
    if (pfn) {
      const p = Number(pfn[1]);
      if (p > MAX_PFN) fail(`pfn${p} is beyond the SPTE's pfn field (at most ${MAX_PFN})`, t.pos);
      v |= p << PFN_SHIFT;
    } else if (bit !== undefined) v |= bit;
    else {
      const near = closest(t.name, SPTE_BIT_NAMES);
      fail(
        `unknown SPTE bit '${t.name}' (bits: ${SPTE_BITS.map(([n]) => n).join(' ')}; pfnN; NONPRESENT)` +
          (near ? `; did you mean '${near}'?` : ''),
        t.pos,
      );
    }
  }
  return v;
}

/** `A | B` (gfn names) or a number; 0 is an empty bitmap. */
function bitmapValue(terms: MaskTerm[], gfn: (n: Named) => number): number {
  let v = 0;
  for (const t of terms) v |= 'num' in t ? t.num : 1 << gfn(t);
  return v | 0;
}
