/** The engine's public surface: everything outside src/engine imports from here. */
export type * from './model';
export type { Access, BlockReason, StepEvent, SyncEvent } from './events';
export { ProgramBuilder } from './builder';
export { Machine, describeBlock } from './machine';
export {
  runSchedule,
  DEFAULT_MAX_STEPS,
  type RunResult,
  type RunOptions,
  type Violation,
} from './run';
export {
  exploreStateGraph,
  enumerateExecutions,
  DEFAULT_BUDGET,
  DEFAULT_MAX_BYTES,
  type StopReason,
  type ExploreOptions,
  type ExploreResult,
  type ExploreProgress,
  type Outcome,
} from './explore';
export { KINDS } from './exploreTypes';
export type { OutcomeTable } from './outcomeTable';
export {
  outcomeMap,
  type OutcomeMap,
  type MapField,
  type MapGroup,
  type MapKind,
} from './outcomeMap';
export { parseSchedule, formatSchedule } from './schedule';
export {
  minimizeCounterexample,
  preemptionsOf,
  removablePreemptions,
  type Minimized,
  type Preemption,
} from './preemptions';
export {
  exploreBounded,
  fewestPreemptions,
  type BoundedResult,
  type BoundedOptions,
  type FewestPreemptions,
} from './bounded';
export { firstViolationStep, ViolationSteps } from './violationStep';
export { resolvePlan, withPlan, type PlanStep, type Chapter } from './plan';
export { summarize, type StateSummary } from './inspect';
export { ScenarioError, ScheduleError, RunawayError } from './errors';
export * from './spte';
export { ringArrays, KVM_DIRTY_GFN_F_DIRTY, KVM_DIRTY_GFN_F_RESET } from './dirtyRing';
export {
  traceRun,
  type TraceData,
  type TraceThread,
  type TraceLocation,
  type ThreadStatus,
  type TracePreemption,
} from './trace';
export type { TrailRole } from './run';
export {
  lockReference,
  lockInfo,
  declaredOrder,
  KERNEL_VERSIONS,
  type LockInfo,
  type KernelVersion,
} from './lockTable';
