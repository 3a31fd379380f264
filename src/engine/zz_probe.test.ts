import { it } from 'vitest';
import { scenario, thread, steps } from './testing';
import { enumerateExecutions, exploreStateGraph } from './explore';
import { runSchedule } from './run';

it('probe', () => {
  const spin = scenario([
    thread('A', (b) => { b.label('L'); b.load('r', ['x'], ''); b.br(['==', 'r', 0], 'L', ''); }),
  ]);
  try { exploreStateGraph(spin); } catch (e) { console.log('sg', String(e)); }
  try { enumerateExecutions(spin); } catch (e) { console.log('en', String(e)); }
  const local = scenario([
    thread('A', (b) => { b.label('L'); b.br(['==', 'r', 0], 'L', ''); }),
  ]);
  try { exploreStateGraph(local); } catch (e) { console.log('sg local', String(e)); }
  try { enumerateExecutions(local); } catch (e) { console.log('en local', String(e)); }
  const two = scenario([
    thread('A', (b) => { b.store(['x'], 1, ''); b.store(['y'], 1, ''); }),
    thread('B', (b) => { b.store(['x'], 2, ''); }),
  ]);
  const full = enumerateExecutions(two);
  console.log(full.executions, full.complete, enumerateExecutions(two, { budget: full.executions }).complete);
  const sg = exploreStateGraph(two);
  console.log(sg.states, sg.executions, exploreStateGraph(two, { budget: sg.states }).complete);
  // srcu two domains
  const two2 = scenario([
    thread('A', (b) => { b.srcuReadLock('srcu', undefined, ''); b.srcuReadLock('irq', undefined, ''); b.srcuReadUnlock('irq', ''); b.srcuReadUnlock('srcu', ''); }),
    thread('B', (b) => { b.synchronizeSrcu('srcu', ''); }),
  ], { machine: { srcu: ['srcu', 'irq'] } });
  const r = steps(two2, [0, 0, 1, 0]);
  console.log('B blocked?', r.m.blocked(r.last, 1));
  // rwlock cycle
  const cyc = scenario([
    thread('T0', (b) => { b.lock('m', 'excl', ''); b.lock('rw', 'write', ''); }),
    thread('T1', (b) => { b.lock('rw', 'read', ''); b.await(['ld', ['y']], 'never', ''); }),
    thread('T2', (b) => { b.lock('rw', 'read', ''); b.lock('m', 'excl', ''); }),
  ]);
  const rr = runSchedule(cyc, [0, 1, 2], { complete: true });
  console.log(rr.violations.map((v) => [v.kind, v.cycle, v.message]));
});
