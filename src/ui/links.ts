/** Links into a kernel cross-referencer at the tag of the kernel version shown (v6.8, v6.12, v7.2). */
const base = (kernel: string) => `https://elixir.bootlin.com/linux/v${kernel}`;

export function sourceLink(file: string, kernel = '6.12'): string {
  return `${base(kernel)}/source/${file}`;
}

/** The identifier's definition; `FNAME(page_fault)` and pseudo-names link to their file instead. */
export function functionLink(fn: string, file: string, kernel = '6.12'): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(fn)
    ? `${base(kernel)}/A/ident/${fn}`
    : sourceLink(file, kernel);
}

/** The locking document of that version. */
export function lockingDocLink(kernel = '6.12'): string {
  return sourceLink('Documentation/virt/kvm/locking.rst', kernel);
}
