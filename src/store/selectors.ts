import type { AppState } from './types';

/** Named selectors, as xyflow does; views subscribe to the slices they need. */
export const selectTrace = (s: AppState) => s.trace;
export const selectCursor = (s: AppState) => s.cursor;
export const selectStatus = (s: AppState) => s.status;
export const selectTalk = (s: AppState) => s.talk;
export const selectMessage = (s: AppState) => s.message;
export const selectPlaying = (s: AppState) => s.playing;
export const selectSpeed = (s: AppState) => s.speed;
export const selectScenarios = (s: AppState) => s.scenarios;
export const selectScenarioId = (s: AppState) => s.scenario;
export const selectVariantId = (s: AppState) => s.variant;
export const selectSchedule = (s: AppState) => s.schedule;
export const selectParams = (s: AppState) => s.params;
export const selectKernel = (s: AppState) => s.kernel;
export const selectComparison = (s: AppState) => s.comparison;
