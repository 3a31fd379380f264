/**
 * lockstep extensions for the KVM machine (herd7 rejects them): guest
 * accesses, GUP and put_page, host unmap/migrate, dirty logging, TLB flushes,
 * and calls into the kernel paths the built-in scenarios are made of, so a
 * test can run the selected kernel's real fast page fault or invalidation on
 * some threads and the user's own code on another. Arguments are constants
 * or registers; slots, gfns and pfns index the machine declared with
 * `@kvm(...)` or `@machine(...)`.
 */
import type { Expr as EExpr, KernelVersion } from '../engine';
import { guestAccess } from '../scenarios/kernel/fault';
import { harvestDirtyLog, invalidateGfn } from '../scenarios/kernel/host';
import { clearFlushYoung } from '../scenarios/kernel/aging';
import { tdpGuestAccess, zapCollapsible } from '../scenarios/kernel/tdp';
import { clearTrackBits, zapOf } from '../scenarios/kernel/zap';
import { LitmusError, type Expr } from './ast';
import type { ThreadCompiler } from './threadCompiler';

type Call = Expr & { k: 'call' };
type KvmHandler = (c: ThreadCompiler, a: EExpr[], dst: string | undefined, call: Call) => EExpr;

const constant = (v: EExpr | undefined, what: string, call: Call): number => {
  if (typeof v !== 'number')
    throw new LitmusError(`${call.fn}: the ${what} must be a constant`, call.pos);
  return v;
};
const kernelOf = (c: ThreadCompiler): KernelVersion => c.opts.kernel ?? '6.12';
const slotsOf = (c: ThreadCompiler): number[] => Array.from({ length: c.opts.slots }, (_, i) => i);
const into = (c: ThreadCompiler, dst: string | undefined) => dst ?? c.temp();

export const KVM_CALLS = new Map<string, { arity: number; run: KvmHandler }>([
  // Machine steps.
  [
    'guest_access',
    {
      arity: 2,
      run: (c, [slot, w], dst, call) => {
        const d = into(c, dst);
        c.emit({
          k: 'access',
          slot: slot ?? 0,
          write: constant(w, 'write flag', call) !== 0,
          dst: d,
        });
        return d;
      },
    },
  ],
  ['kvm_flush_remote_tlbs', { arity: 0, run: (c) => (c.emit({ k: 'flush_tlbs' }), 0) }],
  [
    'mark_page_dirty_in_slot',
    { arity: 1, run: (c, [g]) => (c.emit({ k: 'mark_dirty', gfn: g ?? 0 }), 0) },
  ],
  [
    'gfn_to_pfn',
    {
      arity: 1,
      run: (c, [g], dst) => {
        const d = into(c, dst);
        c.emit({ k: 'gup', gfn: g ?? 0, dst: d, atomic: false });
        return d;
      },
    },
  ],
  [
    'gfn_to_pfn_atomic',
    {
      arity: 1,
      run: (c, [g], dst) => {
        const d = into(c, dst);
        c.emit({ k: 'gup', gfn: g ?? 0, dst: d, atomic: true });
        return d;
      },
    },
  ],
  ['put_page', { arity: 1, run: (c, [p]) => (c.emit({ k: 'put_page', pfn: p ?? 0 }), 0) }],
  ['host_unmap_free', { arity: 1, run: (c, [g]) => (c.emit({ k: 'unmap_free', gfn: g ?? 0 }), 0) }],
  ['host_migrate', { arity: 1, run: (c, [g]) => (c.emit({ k: 'migrate', gfn: g ?? 0 }), 0) }],
  // Kernel paths of the selected kernel, as the built-ins run them.
  [
    'kvm_page_fault',
    {
      arity: 3,
      run: (c, [slot, w, gfn], _d, call) => {
        guestAccess(c.b, {
          slot: constant(slot, 'slot', call),
          write: constant(w, 'write flag', call) !== 0,
          gfn: constant(gfn, 'gfn', call),
          fast: 'direct',
          kernel: kernelOf(c),
          ...(c.vcpu !== undefined && { vcpu: c.vcpu }),
        });
        return 0;
      },
    },
  ],
  [
    'kvm_mmu_notifier_invalidate',
    {
      arity: 2,
      run: (c, [gfn, free], _d, call) => {
        invalidateGfn(c.b, {
          gfn: constant(gfn, 'gfn', call),
          slots: slotsOf(c),
          zap: zapOf(kernelOf(c)),
          free: constant(free, 'free flag', call) !== 0,
        });
        return 0;
      },
    },
  ],
  [
    'mmu_spte_clear_track_bits',
    {
      arity: 1,
      run: (c, [slot]) => (clearTrackBits(c.b, slot ?? 0, zapOf(kernelOf(c))), 0),
    },
  ],
  [
    'kvm_get_dirty_log_protect',
    { arity: 0, run: (c) => (harvestDirtyLog(c.b, slotsOf(c), kernelOf(c)), 0) },
  ],
  [
    'kvm_age_gfn',
    {
      arity: 1,
      run: (c, [slot], _d, call) => (
        clearFlushYoung(c.b, constant(slot, 'slot', call), kernelOf(c)),
        0
      ),
    },
  ],
  [
    'kvm_tdp_mmu_page_fault',
    {
      arity: 4,
      run: (c, [slot, gfn, w, pfn], _d, call) => {
        tdpGuestAccess(c.b, {
          slot: constant(slot, 'slot', call),
          gfn: constant(gfn, 'gfn', call),
          write: constant(w, 'write flag', call) !== 0,
          pfn: constant(pfn, 'pfn', call),
          kernel: kernelOf(c),
          tag: c.b.uniq('pf'),
        });
        return 0;
      },
    },
  ],
  [
    'kvm_mmu_zap_collapsible_sptes',
    {
      arity: 1,
      run: (c, [slot], _d, call) => {
        zapCollapsible(c.b, {
          slot: constant(slot, 'slot', call),
          kernel: kernelOf(c),
          plainStore: false,
        });
        return 0;
      },
    },
  ],
]);
