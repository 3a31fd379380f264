import { SPTE, sptePfn } from '../engine/spte';

const FIELDS: [keyof typeof SPTE, string, string][] = [
  ['R', 'R', 'readable'],
  ['W', 'W', 'writable (the fast path may set it without mmu_lock)'],
  ['X', 'X', 'executable'],
  ['A', 'A', 'Accessed (set by the page walker)'],
  ['D', 'D', 'Dirty (set by the page walker on a write)'],
  ['HOST_WRITABLE', 'HostW', 'Host-writable: the host mapping and memslot allow writes'],
  ['MMU_WRITABLE', 'MmuW', 'MMU-writable: KVM is not write-protecting this gfn'],
];

/** An SPTE as labelled bit fields: each bit a box, set or clear, with the pfn. */
export function SpteBits({ value }: { value: number }) {
  return (
    <span className="spte-bits">
      {FIELDS.map(([bit, label, title]) => {
        const on = (value & SPTE[bit]) !== 0;
        return (
          <span
            key={bit}
            className={`bit ${on ? 'on' : 'off'}`}
            title={title}
            data-bit={label}
            data-on={on}
          >
            {label}={on ? 1 : 0}
          </span>
        );
      })}
      <span className="bit pfn">pfn{sptePfn(value)}</span>
    </span>
  );
}
