/**
 * The worker entry: the engine behind comlink, nothing else. No logic here
 * that the CLI would not also need; the CLI calls report.ts directly.
 */
import { expose } from 'comlink';
import { exploreReport, listScenarios, runReport, traceReport } from '../scenarios/report';
import { compareTraces } from '../scenarios/compareReport';
import type { EngineApi } from './protocol';

const api: EngineApi = { listScenarios, runReport, exploreReport, traceReport, compareTraces };

// comlink turns a thrown Error into a rejected promise on the page, keeping
// its name and message (so UsageError stays recognisable).
expose(api);
