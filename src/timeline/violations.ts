/**
 * The story of each violation, for the timeline: where it is, what to call
 * it, and arrows from the steps that caused it. Pure, like spans.ts.
 */
import type { TraceData, TrailRole, Violation } from '../engine';

export interface CauseArrow {
  from: number;
  to: number;
  style: 'cause' | 'racing';
  role?: TrailRole;
}

export interface ViolationMark {
  kind: string;
  step: number;
  thread: number;
  /** e.g. `lost-dirty-log gfn2`, `stale-tlb-write G`: the gfn as the state panel names it. */
  title: string;
  message: string;
  arrows: CauseArrow[];
  /** Each cause's part in the story, including a cause at the violation's own step. */
  notes: { step: number; text: string }[];
}

const SHORT_ROLE: Record<TrailRole, string> = {
  'stale read': 'stale read',
  'cmpxchg succeeds on a stale value': 'cmpxchg on a stale value',
  'plain store over a newer value': 'store over a newer value',
  'racing write': 'racing write',
  'lock taken': 'lock taken',
  'writable TLB entry cached': 'writable TLB entry cached',
  'MMU-writable cleared': 'MMU-writable cleared',
  violation: 'violation',
};

export function shortRole(role: TrailRole): string {
  return SHORT_ROLE[role] ?? role;
}

/** The flag's text: the kind and what it concerns, named as the state panel names it. */
export function violationTitle(v: Violation, gfnNames: readonly string[] = []): string {
  if (v.gfn !== undefined) return `${v.kind} ${gfnNames[v.gfn] ?? `gfn${v.gfn}`}`;
  if (v.pfn !== undefined) return `${v.kind} pfn${v.pfn}`;
  if (v.cycle?.length) return `${v.kind} ${v.cycle.join(' → ')}`;
  return v.kind;
}

/**
 * A marker per violation with arrows from its causes (and, lighter, from the
 * racing writes) to its step. A cause that is the violation's own step needs
 * no arrow; the marker is already there.
 */
export function violationMarks(trace: TraceData): ViolationMark[] {
  return trace.violations.map((v) => {
    const roles = new Map(v.trail.map((t) => [t.step, t.role]));
    const arrow = (from: number, style: CauseArrow['style']): CauseArrow => {
      const role = roles.get(from);
      return role === undefined ? { from, to: v.step, style } : { from, to: v.step, style, role };
    };
    const causes = v.causes.filter((c) => c !== v.step);
    const racing = v.racing.filter((r) => r !== v.step && !v.causes.includes(r));
    return {
      kind: v.kind,
      step: v.step,
      thread: trace.steps[v.step]?.thread ?? 0,
      title: violationTitle(v, trace.machine.gfnNames),
      message: v.message,
      arrows: [...causes.map((c) => arrow(c, 'cause')), ...racing.map((r) => arrow(r, 'racing'))],
      notes: v.causes.flatMap((c) => {
        const role = roles.get(c);
        return role === undefined || role === 'violation'
          ? []
          : [{ step: c, text: shortRole(role) }];
      }),
    };
  });
}
