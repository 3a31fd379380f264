import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codesIn, documentRows, explainCode, glossPieces, rowReferences } from './glossary';

describe('glossary', () => {
  it.each([
    ['FP2i', /step 2i of fast_page_fault/],
    ['CT3', /step 3 of mmu_spte_clear_track_bits/],
    ['ST7', /step 7 of the TDP-MMU slow path/],
    ['SU1', /step 1 of the SPTE update/],
    ['H4', /aging vs the fast path/],
    ['H2a', /TDP MMU readers racing/],
    ['D2', /fast path sets W/],
  ])('explains %s', (code, meaning) => {
    expect(explainCode(code)).toMatch(meaning);
  });

  it.each(['CPU0', 'vCPU1', 'gfn2', 'X9', 'H', 'DD2'])('%s is not a code', (word) => {
    expect(explainCode(word)).toBeUndefined();
    expect(glossPieces(`a ${word} b`).every((p) => p.code === undefined)).toBe(true);
  });

  it('finds the codes in a note and keeps the text around them', () => {
    const pieces = glossPieces('SU1: re-read (H4, not D2-x or vCPU1)');
    expect(pieces.filter((p) => p.code !== undefined).map((p) => p.code)).toEqual(['SU1', 'H4']);
    expect(codesIn(['H4 then SU1', 'again H4']).map((c) => c.code)).toEqual(['H4', 'SU1']);
  });

  it('pieces always join back to the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(
          glossPieces(text)
            .map((p) => p.text)
            .join(''),
        ).toBe(text);
      }),
    );
  });

  it.each([
    ['1. CPU 0: the guest writes', "Row 1 of the document's table", 'CPU 0: the guest writes'],
    ['7, 8. CPU 0 resumes', "Rows 7, 8 of the document's table", 'CPU 0 resumes'],
    ['3-4. Reclaim writes', "Rows 3–4 of the document's table", 'Reclaim writes'],
    ['CPU 0 retries', null, 'CPU 0 retries'],
  ])('%s names the document rows', (text, rows, rest) => {
    expect(documentRows(text)).toEqual({ rows, rest });
  });

  it("says a row's own step references are rows", () => {
    expect(rowReferences('the gfn it computed at step 1, and')).toBe(
      'the gfn it computed at row 1, and',
    );
    expect(rowReferences('decides the flush on the step-1 value')).toBe(
      'decides the flush on the value from row 1',
    );
  });
});
