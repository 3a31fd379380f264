/**
 * `npm run build:single`: the whole app as one HTML file, dist-single/lockstep.html,
 * that runs from file:// with no server and no network (a talk venue without
 * Wi-Fi). Three things stop a normal build from doing that, and a small plugin
 * here handles each:
 * - module scripts load from file:// only when inline, so the entry chunk is
 *   put into the page (one chunk: dynamic imports are inlined);
 * - workers cannot start from file:// URLs, so each `new Worker(new URL(...))`
 *   is rewritten to Vite's `?worker&inline` form, which starts it from a blob,
 *   as a classic (IIFE) worker;
 * - the favicon becomes a data: URL.
 * The app's source is unchanged; this config only transforms what it builds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const WORKER =
  /new Worker\(\s*new URL\(\s*(['"])(\.\/[\w.-]+\.worker\.ts)\1\s*,\s*import\.meta\.url\s*\)\s*,\s*\{[^}]*\}\s*\)/g;

/** Before Vite's worker plugin sees the source: workers to the inline form. */
function inlineWorkers(): Plugin {
  return {
    name: 'lockstep-inline-workers',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.tsx?$/.test(id) || !WORKER.test(code)) return null;
      WORKER.lastIndex = 0;
      const imports: string[] = [];
      const out = code.replace(WORKER, (_m, _q: string, path: string) => {
        const name = `__InlineWorker${imports.length}`;
        imports.push(`import ${name} from '${path}?worker&inline';`);
        return `new ${name}()`;
      });
      return { code: `${imports.join('\n')}\n${out}`, map: null };
    },
  };
}

/** After Vite has written the page: scripts and styles into it. */
function inlineIntoPage(): Plugin {
  return {
    name: 'lockstep-inline-page',
    enforce: 'post',
    transformIndexHtml(html) {
      const icon = readFileSync(
        fileURLToPath(new URL('./public/favicon.svg', import.meta.url)),
        'utf8',
      );
      return html.replace(
        'href="/favicon.svg"',
        `href="data:image/svg+xml,${encodeURIComponent(icon)}"`,
      );
    },
    generateBundle(_options, bundle) {
      const page = Object.values(bundle).find((f) => f.fileName.endsWith('.html'));
      if (!page || page.type !== 'asset') return;
      let html = String(page.source);
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type === 'chunk' && file.isEntry) {
          // `</script` inside the code would end the inline element early.
          const js = file.code.replace(/<\/script/gi, '<\\/script');
          html = html.replace(
            new RegExp(
              `<script type="module" crossorigin src="[^"]*${escape(file.fileName)}"></script>`,
            ),
            () => `<script type="module">${js}</script>`,
          );
          delete bundle[name];
        } else if (file.type === 'asset' && file.fileName.endsWith('.css')) {
          html = html.replace(
            new RegExp(`<link rel="stylesheet" crossorigin href="[^"]*${escape(file.fileName)}">`),
            () => `<style>${String(file.source)}</style>`,
          );
          delete bundle[name];
        }
      }
      page.source = html;
      page.fileName = 'lockstep.html';
    },
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The same app settings as vite.config.ts (not imported: Node's native config
// loader wants a file extension that the TypeScript settings do not allow).
export default defineConfig({
  plugins: [react(), inlineWorkers(), inlineIntoPage()],
  base: './',
  // Chromium refuses module workers from blob: URLs in a file:// page (an
  // opaque origin), but starts classic ones: so the workers are IIFE here.
  worker: { format: 'iife' },
  publicDir: false,
  build: {
    outDir: 'dist-single',
    emptyOutDir: true,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    modulePreload: false,
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
