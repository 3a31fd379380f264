import { describe, expect, it } from 'vitest';
import { lockdepReports } from './lockdep';
import { traceToText } from './text';
import { canonical } from './testTraces';

describe('lockdep-style report', () => {
  it('hotplug-order: the circular dependency as lockdep prints it, CPU0 the thread closing the cycle', () => {
    const trace = canonical('hotplug-order');
    const reports = lockdepReports(trace);
    // Two lock-order findings, but only the second is a cycle between two threads.
    expect(trace.violations.filter((v) => v.kind === 'lock-order')).toHaveLength(2);
    expect(reports).toHaveLength(1);
    const lines = (reports[0] ?? '').split('\n');
    expect(lines).toContain('WARNING: possible circular locking dependency detected');
    const at = (s: string) => lines.indexOf(s);
    expect(at('Q/1 is trying to acquire lock:')).toBeGreaterThan(0);
    expect(lines[at('Q/1 is trying to acquire lock:') + 1]).toMatch(
      /^ \(kvm_lock\), at: __kvmclock_cpufreq_notifier/,
    );
    expect(lines[at('but task is already holding lock:') + 1]).toMatch(/^ \(cpus_read_lock\)/);
    const table = lines.slice(at(' Possible unsafe locking scenario:'));
    expect(table.slice(2, 8)).toEqual([
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  lock(cpus_read_lock);',
      '                               lock(kvm_lock);',
      '                               lock(cpus_read_lock);',
      '  lock(kvm_lock);',
    ]);
    expect(table).toContain(' *** DEADLOCK ***');
    expect(table).toContain('CPU0 is Q, CPU1 is P.');
  });

  it('is appended to the text export, and absent for a run with no lock-order finding', () => {
    expect(traceToText(canonical('hotplug-order'))).toContain(
      'possible circular locking dependency detected',
    );
    expect(lockdepReports(canonical('aba'))).toEqual([]);
    expect(traceToText(canonical('aba'))).not.toContain('lockdep');
  });
});
