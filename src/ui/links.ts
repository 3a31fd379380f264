/** Links into a kernel cross-referencer at the tag the model follows (v6.12). */
const BASE = 'https://elixir.bootlin.com/linux/v6.12';

export function sourceLink(file: string): string {
  return `${BASE}/source/${file}`;
}

/** The identifier's definition; `FNAME(page_fault)` and pseudo-names link to their file instead. */
export function functionLink(fn: string, file: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(fn) ? `${BASE}/A/ident/${fn}` : sourceLink(file);
}
