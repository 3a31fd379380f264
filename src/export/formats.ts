/** The names `run --format` accepts; a module of its own so that cli/args.ts stays free of drawing code. */
export const EXPORT_FORMATS = ['svg', 'rst', 'text', 'perfetto'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}
