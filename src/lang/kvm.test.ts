/** The KVM extensions: the selected kernel's real paths beside the user's own code. */
import { describe, expect, it } from 'vitest';
import { exploreLitmus } from './index';
import { compiled } from './testing';

const test = (p1: string, kernel?: '6.8' | '6.12' | '7.2') => {
  const { test: t, instance } = compiled(
    `C kvm\n{ @kvm(1, 1); }\nP0() {\n  @thread("vCPU0", "guest write", 0);\n  kvm_page_fault(0, 1, 0);\n}\nP1() {\n${p1}\n}\nexists (true)\n`,
    kernel ? { kernel } : {},
  );
  return { instance, result: exploreLitmus(t, instance).result };
};

describe('KVM machine and kernel paths', () => {
  it("6.12's fast page fault against 6.12's dirty-log harvest loses nothing", () => {
    const { result, instance } = test('  kvm_get_dirty_log_protect();');
    expect(instance.threads[0]?.program.some((op) => op.fn === 'fast_page_fault')).toBe(true);
    expect(result.violations).toEqual([]);
  });

  it('a harvest written by hand that skips write-protection loses a dirty page', () => {
    const { result } = test('  int r0;\n  r0 = xchg(dirty_bitmap[0], 0);');
    expect(result.violations.map((v) => v.kind)).toContain('lost-dirty-log');
  });

  it('machine steps: guest access, GUP, put_page, flush, mark dirty compile to engine ops', () => {
    const { instance } = test(
      '  int p;\n  p = gfn_to_pfn_atomic(0);\n  mark_page_dirty_in_slot(0);\n  kvm_flush_remote_tlbs();\n  put_page(p);',
    );
    expect(instance.threads[1]?.program.map((op) => op.k)).toEqual([
      'gup',
      'mark_dirty',
      'flush_tlbs',
      'put_page',
    ]);
  });
});
