import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { perfettoJson } from './index';
import { ascii, traceToPerfetto, type TraceEvent } from './perfetto';
import { canonical, everyVariant } from './testTraces';
import { lockSpans } from '../timeline/spans';

const PRINTABLE = /^[\x20-\x7e]*$/;

/** Every string anywhere in the value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

/**
 * The structure Perfetto's JSON importer relies on (docs/wave2-notes.md §3),
 * checked for one trace; returns the problems found.
 */
function problems(events: TraceEvent[]): string[] {
  const out: string[] = [];
  const named = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.tid),
  );
  const tracks = new Map<number, TraceEvent[]>();
  for (const e of events) {
    if (e.pid !== 1) out.push(`pid ${e.pid}`);
    if (e.ph === 'M') continue;
    if (e.tid === undefined || !named.has(e.tid))
      out.push(`${e.name}: track ${e.tid} has no thread_name`);
    if (!Number.isInteger(e.ts) || (e.ts ?? -1) < 0) out.push(`${e.name}: ts ${e.ts}`);
    if (e.ph === 'X') {
      if (!Number.isInteger(e.dur) || (e.dur ?? 0) < 1) out.push(`${e.name}: dur ${e.dur}`);
      tracks.set(e.tid ?? 0, [...(tracks.get(e.tid ?? 0) ?? []), e]);
    } else if (e.ph === 'i' && e.s !== 't') out.push(`${e.name}: instant scope ${e.s}`);
  }
  // Slices on one track nest or are disjoint (the importer drops the rest to an overflow track).
  for (const [tid, xs] of tracks) {
    const stack: number[] = [];
    for (const x of xs) {
      const [a, b] = [x.ts ?? 0, (x.ts ?? 0) + (x.dur ?? 0)];
      while (stack.length && (stack[stack.length - 1] ?? 0) <= a) stack.pop();
      if (stack.length && (stack[stack.length - 1] ?? 0) < b)
        out.push(`track ${tid}: ${x.name} overlaps`);
      stack.push(b);
    }
  }
  // Flows: per bind_id one start (out only), one end (in only), steps between, in time order.
  const flows = new Map<number, TraceEvent[]>();
  for (const e of events)
    if (e.bind_id !== undefined) flows.set(e.bind_id, [...(flows.get(e.bind_id) ?? []), e]);
  for (const [id, fs] of flows) {
    const roles = fs.map((f) => `${f.flow_out ? 'o' : ''}${f.flow_in ? 'i' : ''}`).join(',');
    if (!/^o(,oi)*,i$/.test(roles)) out.push(`flow ${id}: roles ${roles}`);
    if (fs.some((f, i) => i > 0 && (f.ts ?? 0) <= (fs[i - 1]?.ts ?? 0)))
      out.push(`flow ${id} goes back in time`);
    if (fs.some((f) => f.ph !== 'X')) out.push(`flow ${id} binds a non-slice`);
  }
  return out;
}

describe('perfetto export', () => {
  it('every built-in variant has the structure the importer needs, in ASCII, without displayTimeUnit', () => {
    for (const { id, trace } of everyVariant()) {
      const json = perfettoJson(trace);
      const parsed = JSON.parse(json) as Record<string, unknown> & { traceEvents: TraceEvent[] };
      expect(Object.keys(parsed), id).toEqual(['traceEvents']);
      expect(json, id).not.toContain('displayTimeUnit');
      expect(
        strings(parsed).filter((s) => !PRINTABLE.test(s)),
        id,
      ).toEqual([]);
      expect(problems(parsed.traceEvents), id).toEqual([]);
      // One op slice per step, one microsecond each.
      const ops = parsed.traceEvents.filter((e) => e.ph === 'X' && e.args?.step !== undefined);
      expect(
        ops.map((e) => e.ts),
        id,
      ).toEqual(trace.steps.map((s) => s.step));
    }
  });

  it('ABA: a track per thread, mmu_lock spans, the violation instant and its story as one flow', () => {
    const trace = canonical('aba');
    const ev = traceToPerfetto(trace).traceEvents;
    const threads = ev
      .filter((e) => e.ph === 'M' && e.name === 'thread_name')
      .map((e) => e.args?.name);
    expect(threads).toEqual(
      expect.arrayContaining(['vCPU0', 'kswapd', 'vCPU1', 'QEMU', 'kswapd holds mmu_lock']),
    );
    const held = ev.filter((e) => e.cat === 'lock-held');
    // The timeline's lock spans, each on the track of its thread and lock (mmu_lock is lock row 0).
    expect(held.map((e) => [e.tid, e.ts, e.dur])).toEqual(
      lockSpans(trace).map((l) => [1000 + 100 * l.thread, l.start, l.end - l.start]),
    );
    expect(held.length).toBeGreaterThan(2);
    expect(held.every((l) => l.name === 'mmu_lock (write)')).toBe(true);
    const v = ev.find((e) => e.cat === 'violation');
    expect(v).toMatchObject({ ph: 'i', ts: 67, tid: 1, name: 'VIOLATION lost-dirty-log gfn2' });
    const flow = ev.filter((e) => e.bind_id === 1).map((e) => e.ts);
    expect(flow).toEqual([3, 15, 42, 58, 63, 67]);
    expect(ev.filter((e) => e.cat === 'cause').map((e) => e.ts)).toEqual([3, 15, 42, 58, 63]);
  });

  it('ABA: waits are slices of their own on the waiting thread', () => {
    const ev = traceToPerfetto(canonical('aba')).traceEvents;
    const waits = ev.filter((e) => e.cat === 'wait');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((w) => w.tid === 4 && String(w.name).startsWith('waits for mmu_lock'))).toBe(
      true,
    );
  });

  it('ascii: always printable ASCII, and the identity on printable ASCII without double spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(ascii(s)).toMatch(PRINTABLE);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/), (s) => {
        expect(ascii(s)).toBe(s);
      }),
      { numRuns: 300 },
    );
    expect(ascii('gva0 → pfn1 – ok…')).toBe('gva0 -> pfn1 - ok...');
  });
});
