/**
 * The words of `@kvm { ... }`, the machine declared field by field: the
 * field keywords and the SPTE bit names. Shared by the parser, the printer
 * and the editor's highlighter, so the three cannot drift apart.
 */
import { SPTE } from '../engine/spte';

/** Every field keyword, in the order the printer writes them. */
export const MACHINE_FIELDS = [
  'vcpus',
  'tlb',
  'gfns',
  'pfns',
  'indirect',
  'gpt',
  'gpte',
  'spte',
  'page',
  'host_map',
  'dirty_logging',
  'dirty_bitmap',
  'dirty_ring',
  'pml',
  'mutex',
  'spinlock',
  'rwlock',
  'rwsem',
  'srcu',
  'var',
  'cell',
] as const;

export type MachineFieldWord = (typeof MACHINE_FIELDS)[number];

/**
 * SPTE bits by the names the state panel shows (R W X A D HostW MmuW savedR
 * savedX), plus the bits it shows as a whole (Present, Large, AD_off,
 * FrozenMark), in the order the printer writes them.
 */
export const SPTE_BITS: readonly (readonly [string, number])[] = [
  ['Present', SPTE.MMU_PRESENT],
  ['R', SPTE.R],
  ['W', SPTE.W],
  ['X', SPTE.X],
  ['A', SPTE.A],
  ['D', SPTE.D],
  ['HostW', SPTE.HOST_WRITABLE],
  ['MmuW', SPTE.MMU_WRITABLE],
  ['Large', SPTE.LARGE],
  ['AD_off', SPTE.AD_DISABLED],
  ['savedR', SPTE.SAVED_R],
  ['savedX', SPTE.SAVED_X],
  ['FrozenMark', SPTE.FROZEN_MARK],
];

/** The engine's own constant names are accepted too (the printer never writes them). */
export const SPTE_BIT_ALIASES: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Object.entries(SPTE)),
  MMU_W: SPTE.MMU_WRITABLE,
  HOST_W: SPTE.HOST_WRITABLE,
};

/** Words for a whole SPTE value. */
export const SPTE_WORDS = { NONPRESENT: 'NONPRESENT', FROZEN: 'FROZEN_SPTE' } as const;

/** Page states after `page pfnN = gfn`. */
export const PAGE_WORDS = ['free', 'dirty', 'clean', 'accessed', 'unaccessed'] as const;

/**
 * The words the editor's highlighter colours as keywords: the field names
 * only, since the bit names (A, D, W) and page words are common variable names.
 */
export const MACHINE_KEYWORDS: readonly string[] = ['kvm', ...MACHINE_FIELDS];
