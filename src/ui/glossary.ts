/**
 * The short codes some scenario texts use (FP2i, CT3, H4, D2, …) come from
 * the model reference (`../shared/reference/kvm-mmu-model.md`): op ids of its
 * step tables and names of its further scenarios. A reader of the app has not
 * read it, so every code in user text is explained where it appears (a
 * tooltip) and in a glossary. The scenario texts stay as written; this is
 * the UI's job.
 */

/** Families of op ids: `FP2i` is step 2i of fast_page_fault's table. */
const FAMILIES: Record<string, string> = {
  FP: 'fast_page_fault (6.12)',
  SS: 'the shadow-MMU slow path (direct_page_fault)',
  ST: 'the TDP-MMU slow path (kvm_tdp_mmu_map)',
  SU: 'the SPTE update under mmu_lock (mmu_spte_update)',
  CT: 'mmu_spte_clear_track_bits (zapping a leaf SPTE)',
  AG: 'aging / access tracking (clear_flush_young)',
  WP: 'write-protection (spte_write_protect)',
  IN: 'the MMU-notifier invalidation',
  MD: 'mark_page_dirty',
  TF: 'the TLB flush',
  MS: 'the memslot update',
  HW: "a guest memory access (the hardware's page walk)",
  PF: 'page-fault entry',
};

/** Named scenarios of the model reference (its sections 4 and 8). */
const NAMED: Record<string, string> = {
  D1: 'TLB-flush scenario D1: the harvest clears W and flushes after unlocking; why the flush test is on MMU-writable, not W',
  D2: 'TLB-flush scenario D2: the fast path sets W between a read and the update that decides the flush',
  H1: 'further scenario H1: MMU-notifier invalidation vs a slow-path fault (mmu_invalidate_seq retry)',
  H2: 'further scenario H2: TDP MMU readers racing each other, the fast path and a writer',
  H3: 'further scenario H3: the TDP MMU zaps atomically under the read lock (FROZEN_SPTE)',
  H4: 'further scenario H4: aging vs the fast path, a window found by reading the 6.8/6.12 code',
  H5: 'further scenario H5: dirty-log harvest vs a stale writable TLB entry',
  H6: 'further scenario H6: memslot update vs MMU notifier',
  H7: 'further scenario H7: shadow-MMU lockless walk vs shadow-page free',
  H8: 'further scenario H8: the TDP MMU dropping A/D/W under the write lock (historical)',
  H9: 'further scenario H9: the access-tracking life cycle (EPT without A/D bits)',
};

const CODE = /\b(?:(FP|SS|ST|SU|CT|AG|WP|IN|MD|TF|MS|HW|PF)(\d+[a-z]?)|[DH]\d[a-z]?)(?![\w-])/g;

/** What a code means, or undefined when the token is not one of the reference's codes. */
export function explainCode(code: string): string | undefined {
  // H2a is a case of H2.
  const named = NAMED[code] ?? NAMED[code.slice(0, 2)];
  if (/^[DH]\d[a-z]?$/.test(code) && named) return `${code}: model reference, ${named}`;
  const m = /^([A-Z]{2})(\d+[a-z]?)$/.exec(code);
  const family = m?.[1] && FAMILIES[m[1]];
  return family ? `${code}: model reference, step ${m[2]} of ${family}` : undefined;
}

export type Piece =
  { text: string; code?: undefined } | { text: string; code: string; meaning: string };

/** `text` cut into plain text and explained codes, in order; joined, the pieces are `text`. */
export function glossPieces(text: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(CODE)) {
    const meaning = explainCode(m[0]);
    if (!meaning || m.index === undefined) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], code: m[0], meaning });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** The distinct codes in some texts, each with its meaning, in order of first use. */
export function codesIn(texts: readonly string[]): { code: string; meaning: string }[] {
  const seen = new Map<string, string>();
  for (const t of texts)
    for (const p of glossPieces(t)) if (p.code !== undefined) seen.set(p.code, p.meaning);
  return [...seen].map(([code, meaning]) => ({ code, meaning }));
}

/**
 * Narration rows that start with the document's row numbers ("1. CPU 0: …",
 * "7, 8. CPU 0 resumes", "3-4. Reclaim …") name them as rows of the
 * document's table, so they are not read as the app's step numbers.
 */
export function documentRows(text: string): { rows: string | null; rest: string } {
  const m = /^(\d+(?:\s*(?:,|-|–)\s*\d+)*)\.\s+/.exec(text);
  if (!m?.[1]) return { rows: null, rest: text };
  const list = m[1].replace(/\s*-\s*/g, '–').replace(/\s*,\s*/g, ', ');
  const plural = /[,–]/.test(list);
  return {
    rows: `${plural ? 'Rows' : 'Row'} ${list} of the document's table`,
    rest: text.slice(m[0].length),
  };
}

/** In a row's text, "step 1" / "step-1" mean the document's row 1: say so. */
export function rowReferences(text: string): string {
  return text
    .replace(/\b(at|in) step (\d+)\b/g, '$1 row $2')
    .replace(/\bthe step-(\d+) value\b/g, 'the value from row $1');
}
