/** A scenario or program is malformed (unknown label, bad index, unlock of a free lock). */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** A schedule asks for something impossible (a thread that cannot run, a bad token). */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** A run exceeded its step budget: most likely a program that loops without progress. */
export class RunawayError extends Error {
  override name = 'RunawayError';
}
