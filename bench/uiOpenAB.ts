/**
 * A/B of opening a shared link: two built apps served side by side from one
 * port (BENCH_PORT), opened alternately so that the machine's load falls on
 * both alike.   npx tsx bench/uiOpenAB.ts DIR_A DIR_B [rounds]
 */
import { launchChromium } from './chromium';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { openLinkFigures, type OpenFigures } from './uiOpen';

const [dirA, dirB, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: tsx bench/uiOpenAB.ts DIR_A DIR_B [rounds]');
  process.exit(2);
}
const PORT = Number(process.env.BENCH_PORT ?? 4179);
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const roots: Record<string, string> = { a: dirA, b: dirB };
const server = createServer((req, res) => {
  const [, which = '', ...rest] = (req.url ?? '/').split('?')[0]!.split('/');
  const root = roots[which];
  const file = normalize(rest.join('/') || 'index.html');
  if (!root || file.startsWith('..')) return void res.writeHead(404).end();
  readFile(join(root, file)).then(
    (body) =>
      res
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(body),
    () => res.writeHead(404).end(),
  );
});
await new Promise<void>((r) => server.listen(PORT, r));
const browser = await launchChromium();
const all: Record<string, OpenFigures[]> = { a: [], b: [] };
for (let i = 0; i < Number(roundsArg ?? 4); i++)
  for (const w of i % 2 ? ['b', 'a'] : ['a', 'b']) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    all[w]!.push(await openLinkFigures(page, `http://localhost:${PORT}/${w}/`, 5));
    await page.close();
  }
await browser.close();
server.close();
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
for (const w of ['a', 'b']) {
  const f = all[w]!;
  const ph = (k: keyof OpenFigures['phases']) => med(f.map((x) => x.phases[k]));
  console.log(
    `${w} (${roots[w]}): open median ${med(f.flatMap((x) => x.runs))} ms over ${f.length * 5} runs; ` +
      `phases (ms from navigation): worker started ${ph('workerStarted')}, first reply ${ph('firstReply')}, ` +
      `trace ${ph('traceReply')}, step mark ${ph('stepMark')}`,
  );
}
