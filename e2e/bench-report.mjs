// Report figures for `node bench-browser.mjs <dist> report`: for axum, tokio and the 179k-node
// registry, the report's size, the time to write it with `ptstudio report` (release build) and in
// the app (*Share → HTML report*), and the time from opening the file to its first picture in
// headless Chromium on WebGL2 and WebGPU (from file://, every request outside the file refused);
// and the size of a typical deep-link fragment.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const shared = join(root, '..', 'shared', 'isg-samples', 'v0.1.0-snapshot');
const SAMPLES = [
  { name: 'axum', url: 'samples/axum-0.8.3.json', file: join(shared, 'axum-0.8.3.json'), targetMb: 1.5, targetS: NaN },
  { name: 'tokio', url: 'samples/tokio-1.47.1.json', file: join(shared, 'tokio-1.47.1.json'), targetMb: NaN, targetS: NaN },
  { name: 'registry', url: 'samples/registry-full.json.gz', file: join(shared, 'registry-full.json.gz'), targetMb: 12, targetS: 3 },
];
const RUNS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Time from navigation to the first picture of a report file, in ms. */
async function firstPicture(browser, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.goto(`file://${path}`);
  await page.locator('[data-first-picture-ms]').waitFor({ timeout: 300_000 });
  const ms = Number(await page.getByTestId('report').getAttribute('data-first-picture-ms'));
  await context.close();
  return ms;
}

/** The app's own report of `url`: (ms, MB) from its status line, and the view's fragment length. */
async function writeInApp(browser, base, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/?isg=${url}`);
  await page.locator('[data-testid="graph-canvas"][data-version="1"]').waitFor({ timeout: 600_000 });
  await page.getByTestId('search-input').fill('new');
  await page.getByTestId('search-input').press('Enter');
  const download = page.waitForEvent('download', { timeout: 600_000 });
  await page.getByTestId('share-report').click();
  await download;
  const status = page.getByTestId('report-status');
  await page.waitForFunction(() => document.querySelector('[data-testid="report-status"]')?.textContent?.includes('written'), null, { timeout: 600_000 });
  const m = (await status.innerText()).match(/in (\d+) ms \(([\d.]+) MB\)/);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  await page.close();
  return { ms: Number(m[1]), mb: Number(m[2]), fragment: link.length - link.indexOf('#') - 1 };
}

/** Prints the report figures of the build in `dist` (served at `base`). */
export async function reportFigures(launch, dist, base) {
  const out = mkdtempSync(join(tmpdir(), 'report-bench-'));
  const built = spawnSync('cargo', ['build', '-q', '--release', '-p', 'cli'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('could not build ptstudio');
  const ptstudio = join(root, 'target', 'release', 'ptstudio');
  const viewer = resolve(dist, 'report-viewer.bin');
  const rows = [];
  const gl = await launch('WebGL2');
  const gpu = await launch('WebGPU');
  for (const s of SAMPLES) {
    const path = join(out, `${s.name}.html`);
    const t = performance.now();
    const run = spawnSync(ptstudio, ['report', '--isg', s.file, '--viewer', viewer, '-o', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (run.status !== 0) throw new Error(`ptstudio report ${s.name}: ${run.stderr}`);
    const cliS = (performance.now() - t) / 1000;
    const mb = statSync(path).size / 1e6;
    const pictures = {};
    for (const [label, browser] of [['WebGL2', gl], ['WebGPU', gpu]]) {
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push(await firstPicture(browser, path));
      pictures[label] = times;
    }
    const app = await writeInApp(gl, base, s.url);
    rows.push({ s, mb, cliS, app, pictures });
  }
  await gl.close();
  await gpu.close();
  console.log(`\n== reports (${dist}; first picture: median of ${RUNS} opens from file://, offline) ==`);
  console.log('sample     report MB (target)   ptstudio report s   app writes s (MB)   first picture WebGL2 ms (all)      WebGPU ms (all)           fragment chars');
  for (const { s, mb, cliS, app, pictures } of rows) {
    const target = Number.isNaN(s.targetMb) ? '' : `≤ ${s.targetMb}`;
    const gl2 = pictures.WebGL2;
    const wgpu = pictures.WebGPU;
    const pic = (xs) => `${median(xs).toFixed(0).padStart(6)} (${xs.map((x) => x.toFixed(0)).join(', ')})`;
    console.log(
      `${s.name.padEnd(10)} ${mb.toFixed(2).padStart(8)} ${target.padEnd(10)} ${cliS.toFixed(2).padStart(12)}      ${(app.ms / 1000).toFixed(2).padStart(8)} (${app.mb.toFixed(2)})   ${pic(gl2).padEnd(32)} ${pic(wgpu).padEnd(26)} ${app.fragment}` +
        (Number.isNaN(s.targetS) ? '' : `   (first picture target ≤ ${s.targetS * 1000} ms)`),
    );
  }
}
