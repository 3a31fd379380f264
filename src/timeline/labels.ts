/**
 * Short text for the timeline: an op's pseudo-C shortened to what fits on a
 * mark, and the one-line summaries of why a thread waits. Pure string work;
 * the full text always stays available in the tooltip.
 */
import type { BlockReason, OpKind } from '../engine';

/**
 * Step numbers, defined once for every view (counter, narration, verdict,
 * timeline, URL): the cursor is *after* N ops, and step N is the N-th op,
 * counted from 1. So at cursor N the counter reads "step N", the op just run
 * is step N, and `step=N` in a link shows the state after it. Engine events
 * and violations carry 0-based indices (`trace.steps[i]`); this is where an
 * index becomes the number a user reads.
 */
export const stepNumber = (index: number): number => index + 1;

/** "step N" for the op at `index` of `trace.steps`. */
export const stepName = (index: number): string => `step ${stepNumber(index)}`;

/** Steps [start, end) as the user counts them: "steps 3–7" (or "step 3"). */
export function stepRange(start: number, end: number): string {
  const a = stepNumber(start);
  const b = end;
  return b <= a ? `step ${a}` : `steps ${a}–${b}`;
}

/** How a mark is drawn: the shape and colour family of an op. */
export type MarkCategory = 'control' | 'read' | 'write' | 'atomic' | 'sync' | 'guest' | 'host';

// A Record over OpKind so that a new op kind in the engine fails the typecheck
// here instead of silently falling into a default.
const CATEGORY: Record<OpKind, MarkCategory> = {
  set: 'control',
  br: 'control',
  jmp: 'control',
  ret: 'control',
  nop: 'control',
  await: 'control',
  load: 'read',
  store: 'write',
  cas: 'atomic',
  xchg: 'atomic',
  rmw: 'atomic',
  mark_dirty: 'atomic',
  lock: 'sync',
  unlock: 'sync',
  srcu_read_lock: 'sync',
  srcu_read_unlock: 'sync',
  srcu_sync: 'sync',
  flush_tlbs: 'sync',
  access: 'guest',
  gpt_write: 'guest',
  gup: 'host',
  put_page: 'host',
  unmap_free: 'host',
  migrate: 'host',
  harvest_copy: 'host',
};

export function categoryOf(kind: OpKind): MarkCategory {
  // Traces arrive as JSON, so an unknown kind is possible at run time.
  return (CATEGORY as Partial<Record<string, MarkCategory>>)[kind] ?? 'control';
}

/** `s` cut to `max` characters, ending in an ellipsis when it was cut. */
export function fitText(s: string, max: number): string {
  if (max <= 0) return '';
  if (s.length <= max) return s;
  return max === 1 ? '…' : `${s.slice(0, max - 1).trimEnd()}…`;
}

/** The first `;`-terminated statement, ignoring semicolons inside parentheses. */
function firstStatement(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) {
      const head = s.slice(0, i).trim();
      if (head) return head;
    }
  }
  return s.replace(/;\s*$/, '').trim();
}

/**
 * Replaces the arguments of calls nested `depth` calls deep or deeper with an
 * ellipsis. Only calls: `if (…)` or `!(a && b)` would hide the condition,
 * which is the interesting part, so those are left for truncation.
 */
function collapseArgs(s: string, depth: number): string {
  let out = '';
  // One entry per open parenthesis: whether it opened a call.
  const stack: boolean[] = [];
  let calls = 0;
  let hidden = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '(') {
      const call = /[\w\]>]/.test(s[i - 1] ?? '') && s[i + 1] !== ')';
      stack.push(call);
      if (call) calls++;
      if (hidden > 0) hidden++;
      else if (call && calls >= depth) {
        out += '(…';
        hidden = 1;
      } else out += c;
    } else if (c === ')') {
      if (stack.pop()) calls--;
      if (hidden > 0) {
        hidden--;
        if (hidden === 0) out += c;
      } else out += c;
    } else if (hidden === 0) out += c;
  }
  return out;
}

/**
 * A short label for an op: its first statement without comments, with call
 * arguments collapsed step by step until it fits in `max` characters.
 *
 * @example
 * opLabel('old_spte = mmu_spte_get_lockless(sptep);')  // 'old_spte = mmu_spte_get_lockless(sptep)'
 * opLabel('if (!try_cmpxchg64(sptep, &old_spte, new_spte)) goto retry;', 32)
 * // 'if (!try_cmpxchg64(…)) goto retry'
 */
export function opLabel(text: string, max = 40): string {
  const comment = /\/\*([\s\S]*?)\*\//g;
  let s = text.replace(comment, ' ').replace(/\/\/.*$/, '');
  s = firstStatement(s.replace(/\s+/g, ' ').trim());
  if (!s) {
    // Only a comment: use what it says.
    const inner = [...text.matchAll(comment)].map((m) => m[1]?.trim() ?? '').join(' ');
    s = inner.trim() || text.trim();
  }
  for (let depth = 3; depth >= 1 && s.length > max; depth--) {
    const c = collapseArgs(s, depth);
    if (c.length < s.length) s = c;
  }
  return fitText(s, max);
}

/**
 * The thread that owns vCPU slot `v` (its TLB, its lockless walk). Slots are
 * the machine's numbering and need not match thread names: in `tlb-flush`
 * the thread vCPU1 runs on slot 0. A slot no thread uses says so.
 */
export function vcpuOwner(threads: readonly { name: string; vcpu?: number }[], v: number): string {
  const owners = threads.filter((t) => t.vcpu === v).map((t) => t.name);
  return owners.length > 0 ? owners.join(', ') : `unused vCPU slot ${v}`;
}

/** Why a thread waits, as a short phrase for the span's label. */
export function waitLabel(
  block: BlockReason | undefined,
  names: readonly string[],
  vcpu: (slot: number) => string = (v) => `vCPU slot ${v}`,
): string {
  const who = (ts: readonly number[]) => ts.map((t) => names[t] ?? `thread ${t}`).join(', ');
  switch (block?.kind) {
    case 'lock':
      return `waits for ${block.lock} (${block.mode}), held by ${who(block.holders)}`;
    case 'grace-period':
      return `synchronize_srcu(${block.domain}) waits for ${who(block.readers)}`;
    case 'flush':
      return `TLB flush waits for ${block.walkers.map(vcpu).join(', ')}`;
    case 'await':
      return `waits until ${block.why}`;
    case 'no-free-page':
      return 'waits for a free page';
    default:
      return 'cannot run';
  }
}

/** The engine's reason without the "X cannot run:" prefix the label already implies. */
export function shortReason(reason: string): string {
  return reason.replace(/^.*?cannot run:\s*/, '');
}
