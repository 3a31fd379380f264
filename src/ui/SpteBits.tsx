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

/** With EPT A/D bits off there is no A or D; the access-tracking save area is shown instead. */
const AD_OFF_FIELDS: [keyof typeof SPTE, string, string][] = [
  ...FIELDS.slice(0, 3),
  ['SAVED_R', 'savedR', 'R saved by mark_spte_for_access_track (restored by the fast path)'],
  ['SAVED_X', 'savedX', 'X saved by mark_spte_for_access_track'],
  ...FIELDS.slice(5),
];

/** An SPTE as labelled bit fields: each bit a box, set or clear, with the pfn. */
export function SpteBits({ value }: { value: number }) {
  const adOff = (value & SPTE.AD_DISABLED) !== 0;
  return (
    <span className="spte-bits">
      {adOff && (
        <span className="bit on" title="A/D type disabled: access tracking instead of A/D bits">
          A/D off
        </span>
      )}
      {(adOff ? AD_OFF_FIELDS : FIELDS).map(([bit, label, title]) => {
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
