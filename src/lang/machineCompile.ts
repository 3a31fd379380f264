/**
 * The fields of `@kvm { ... }` to the engine's MachineDef. Names may be used
 * before their `gfns` line, so fields are resolved here, after parsing, and
 * every bound is checked here so a bad declaration is a located message
 * rather than an engine error at run time.
 */
import { MAX_PFN, PFN_SHIFT, type LockDef, type MachineDef, type PageInit } from '../engine';
import { LitmusError, type MachineField, type MaskTerm, type Named, type Pos } from './ast';
import { SPTE_BITS, SPTE_BIT_ALIASES, SPTE_WORDS } from './machineFields';
import { closest } from './machineParser';

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

/** The machine the fields declare; `at` is the annotation's position (for whole-block errors). */
export function compileMachine(fields: MachineField[], at: Pos): MachineDef {
  const seen = new Map<string, Pos>();
  const once = (key: string, pos: Pos) => {
    const first = seen.get(key);
    if (first) fail(`${key} is declared twice (first at ${first.line}:${first.col})`, pos);
    seen.set(key, pos);
  };
  const all = <K extends MachineField['k']>(k: K): Of<K>[] =>
    fields.filter((f): f is Of<K> => f.k === k);
  for (const f of fields)
    if (f.k === 'num' || f.k === 'bool' || f.k === 'gpt' || f.k === 'dirty_bitmap')
      once(f.k === 'num' || f.k === 'bool' ? f.field : f.k, f.pos);

  const gfnNames: string[] = [];
  for (const n of all('gfns').flatMap((f) => f.names)) {
    if (gfnNames.includes(n.name)) fail(`gfn '${n.name}' is declared twice`, n.pos);
    gfnNames.push(n.name);
  }
  if (gfnNames.length > MACHINE_LIMITS.gfns)
    fail(`${gfnNames.length} gfns: at most ${MACHINE_LIMITS.gfns}`, all('gfns')[0]?.pos ?? at);
  const gfn = (n: Named): number => {
    const i = gfnNames.indexOf(n.name);
    if (i >= 0) return i;
    const near = closest(n.name, gfnNames);
    return fail(
      gfnNames.length === 0
        ? `unknown gfn '${n.name}': declare the gfns first, e.g. 'gfns ${n.name};'`
        : `unknown gfn '${n.name}' (gfns: ${gfnNames.join(', ')})${near ? `; did you mean '${near}'?` : ''}`,
      n.pos,
    );
  };
  const num = (field: string) =>
    fields.find((f) => f.k === 'num' && f.field === field) as Of<'num'> | undefined;
  const flag = (field: string) =>
    fields.find((f) => f.k === 'bool' && f.field === field) as Of<'bool'> | undefined;
  const bounded = (f: Of<'num'> | undefined, lo: number, hi: number, what: string) => {
    if (f && (!Number.isInteger(f.v) || f.v < lo || f.v > hi))
      fail(`${what} ${f.v} is out of range ${lo}..${hi}`, f.pos);
    return f?.v;
  };

  const slots = all('spte').map((f) => ({
    name: f.name.name,
    spte: spteValue(f.value),
    gfn: gfn(f.gfn ?? f.name),
  }));
  all('spte').forEach((f, i) => {
    if (slots.findIndex((s) => s.name === f.name.name) !== i)
      fail(`SPTE '${f.name.name}' is declared twice`, f.name.pos);
  });
  if (slots.length > MACHINE_LIMITS.sptes)
    fail(`${slots.length} SPTEs: at most ${MACHINE_LIMITS.sptes}`, all('spte')[0]?.pos ?? at);

  const pages: PageInit[] = [];
  for (const f of all('page')) {
    if (f.pfn < 1) fail('pages are pfn1, pfn2, ...: pfn0 means "no page"', f.pos);
    if (pages.some((p) => p.pfn === f.pfn)) fail(`page pfn${f.pfn} is declared twice`, f.pos);
    pages.push({
      pfn: f.pfn,
      gfn: f.gfn === null ? null : gfn(f.gfn),
      ...(f.dirty !== undefined && { dirty: f.dirty }),
      ...(f.accessed !== undefined && { accessed: f.accessed }),
    });
  }
  const hostMap: Record<number, number> = {};
  for (const p of all('host_map').flatMap((f) => f.pairs)) {
    const g = gfn(p.gfn);
    if (hostMap[g] !== undefined) fail(`host_map maps '${p.gfn.name}' twice`, p.pos);
    hostMap[g] = p.pfn;
  }

  const pfnsField = num('pfns');
  const pfns =
    bounded(pfnsField, 0, MACHINE_LIMITS.pfns, 'pfns') ?? derivedPfns(pages, hostMap, slots);
  if (pfns > MACHINE_LIMITS.pfns) fail(`pfn${pfns}: at most ${MACHINE_LIMITS.pfns} pages`, at);
  const beyond = (p: number, pos: Pos, what: string) => {
    if (p > pfns) fail(`${what} pfn${p}, but pfns = ${pfns}`, pos);
  };
  all('page').forEach((f) => beyond(f.pfn, f.pos, 'page'));
  all('host_map').forEach((f) => f.pairs.forEach((p) => beyond(p.pfn, p.pos, 'host_map names')));
  all('spte').forEach((f, i) =>
    beyond((slots[i]?.spte ?? 0) >>> PFN_SHIFT, f.pos, 'the SPTE points at'),
  );

  const gptes: number[] = [];
  for (const f of [...all('gpte')].sort((a, b) => a.index - b.index)) {
    if (f.index !== gptes.length)
      fail(
        f.index < gptes.length
          ? `gpte[${f.index}] is declared twice`
          : `gpte[${f.index}] is declared but gpte[${gptes.length}] is missing (guest PTEs are gpte[0], gpte[1], ...)`,
        f.pos,
      );
    gptes.push(gfn(f.gfn));
  }
  if (gptes.length > MACHINE_LIMITS.gptes)
    fail(`${gptes.length} guest PTEs: at most ${MACHINE_LIMITS.gptes}`, at);

  const ring = bounded(num('dirty_ring'), 1, MACHINE_LIMITS.dirtyRing, 'dirty_ring');
  if (ring !== undefined && ring & (ring - 1))
    fail(`dirty_ring ${ring} is not a power of two`, num('dirty_ring')?.pos ?? at);
  const bitmap = all('dirty_bitmap')[0];
  const gpt = all('gpt')[0];
  const tlb = flag('tlb');
  const pml = flag('pml');
  const vars = all('var');
  const cells = all('cell');
  const named = (k: 'var' | 'cell' | 'srcu', key: string, pos: Pos, i: number, list: string[]) => {
    if (list.indexOf(key) !== i) fail(`${k} '${key}' is declared twice`, pos);
  };
  vars.forEach((v, i) =>
    named(
      'var',
      v.name,
      v.pos,
      i,
      vars.map((x) => x.name),
    ),
  );
  cells.forEach((v, i) =>
    named(
      'cell',
      v.name,
      v.pos,
      i,
      cells.map((x) => x.name),
    ),
  );
  const srcu = all('srcu').map((f) => f.name);
  all('srcu').forEach((f, i) => named('srcu', f.name, f.pos, i, srcu));
  const locks: LockDef[] = all('lock').map((f) => ({ name: f.name, type: f.type }));
  all('lock').forEach((f, i) => {
    if (locks.findIndex((l) => l.name === f.name) !== i)
      fail(`lock '${f.name}' is declared twice`, f.pos);
  });

  return {
    gfnNames,
    pfns,
    slots,
    indirect: flag('indirect')?.v ?? false,
    gptes,
    ...(gpt && { gptGfn: gfn(gpt.gfn) }),
    vcpus: bounded(num('vcpus'), 0, MACHINE_LIMITS.vcpus, 'vcpus') ?? 1,
    ...(tlb && { tlb: tlb.v }),
    pages,
    hostMap,
    dirtyLogging: flag('dirty_logging')?.v ?? false,
    ...(bitmap && { dirtyBitmap: bitmapValue(bitmap.terms, gfn) }),
    ...(ring !== undefined && { dirtyRing: { size: ring } }),
    ...(pml && { pml: pml.v }),
    locks,
    srcu,
    ...(vars.length > 0 && { vars: Object.fromEntries(vars.map((v) => [v.name, v.v])) }),
    ...(cells.length > 0 && { cells: cells.map((v) => ({ name: v.name, init: v.v })) }),
  };
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
  return Math.max(
    0,
    ...pages.map((p) => p.pfn),
    ...Object.values(hostMap),
    ...slots.map((s) => s.spte >>> PFN_SHIFT),
  );
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
    const bit =
      SPTE_BITS.find(([n]) => n === t.name)?.[1] ??
      SPTE_BIT_ALIASES[t.name] ??
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
