// Drives the in-browser benchmark pages (`?bench=isg`, `?bench=plugins`, `?bench=market`, `?bench=render` on WebGL2 and
// WebGPU) of a bench build (the app with its `bench` feature) in headless Debian Chromium and prints
// their figures, then measures the page's long tasks while the registry sample loads and while a
// plugin runs in a worker, and the reports' figures (bench-report.mjs).
// Usage: node bench-browser.mjs <dist folder> [isg|plugins|lanes|layouts|analyses|exports|market|render|loadtasks|longtasks|try|panning|report ...]   (run by `cargo xtask bench`).
// `loadtasks` and `longtasks` need no bench pages, so they also measure any other build's dist folder.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { reportFigures } from './bench-report.mjs';

const dist = process.argv[2] ?? '../dist';
const which = process.argv.length > 3 ? process.argv.slice(3) : ['isg', 'plugins', 'lanes', 'layouts', 'analyses', 'exports', 'market', 'render', 'loadtasks', 'longtasks', 'try', 'panning', 'report'];
const port = 4199;
// `PT_RENDER_QUERY='&nodes=10000&edges=50000'` benches one synthetic size instead of all four graphs.
const renderQuery = process.env.PT_RENDER_QUERY ?? '';
const base = `http://127.0.0.1:${port}`;
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
const common = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader'];
const webgpu = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--use-vulkan=swiftshader', '--enable-features=Vulkan'];

/** The `q` quantile of `xs`. */
const pct = (xs, q) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN);

/** Records the page's long tasks in `window.__longTasks` from the first script on. */
async function observeLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/**
 * The peer the render bench draws beside the app: graphology, sigma.js (both pinned in
 * package.json) and the glue the bench calls (bench/sigma-peer.js), put on the page before its own
 * scripts run.
 */
const peerScripts = () => ['node_modules/graphology/dist/graphology.umd.min.js', 'node_modules/sigma/dist/sigma.min.js', 'bench/sigma-peer.js'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'));

async function benchPage(browser, name, query = '', { peer = false, timeout = 600_000 } = {}) {
  const page = await browser.newPage();
  if (peer) for (const content of peerScripts()) await page.addInitScript({ content });
  await page.goto(`${base}/?bench=${name}${query}`);
  await page.getByTestId('bench-results').waitFor({ timeout });
  const status = await page.getByTestId('bench-status').innerText();
  const figures = JSON.parse(await page.getByTestId('bench-results').innerText());
  const ua = await page.evaluate(() => navigator.userAgent);
  console.log(`\n== in-browser ${name} figures (${ua.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, wasm, main thread) ==`);
  for (const f of figures) {
    // Ratios (the render bench's "÷" rows) are printed as such, not as milliseconds.
    const unit = f.name.includes('÷') ? '×' : '';
    console.log(`${f.name.padEnd(60)} p50 ${f.p50_ms.toFixed(3).padStart(10)}${unit}  p95 ${f.p95_ms.toFixed(3).padStart(10)}${unit}   target ${f.target}`);
  }
  await page.close();
  if (status !== 'done') {
    console.error(`bench page ${name}: ${status}`);
    process.exitCode = 1;
  }
}

/**
 * Long tasks on the page's main thread while force-layout runs in a worker on tokio (2,869 nodes),
 * with intermediate positions drawn (publish every step) and without (publish only at the end).
 */
async function longTasks(browser, backend) {
  for (const [label, every] of [['drawing intermediate positions', '1'], ['positions only at the end', '100000']]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await observeLongTasks(page);
    await page.goto(`${base}/?isg=samples/tokio-1.47.1.json`);
    await page.locator('[data-testid="graph-canvas"][data-version="1"]').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1000);
    await page.getByTestId('plugin-select').locator('option[value="force-layout"]').waitFor({ state: 'attached' });
    await page.getByTestId('plugin-select').selectOption('force-layout');
    for (const [param, value] of [['iterations', '2000'], ['publish_every', every]]) {
      await page.getByTestId(`param-${param}`).fill(value);
      await page.getByTestId(`param-${param}`).dispatchEvent('change');
    }
    const start = await page.evaluate(() => performance.now());
    await page.getByTestId('plugin-run').click();
    await page.getByTestId('consent-allow').click();
    const seconds = 8;
    await page.waitForTimeout(seconds * 1000);
    const frames = await page.getByTestId('graph-canvas').getAttribute('data-frames');
    const tasks = await page.evaluate((t0) => window.__longTasks.filter((e) => e.start >= t0), start);
    const max = tasks.reduce((m, e) => Math.max(m, e.duration), 0);
    console.log(`${backend}, ${label}: ${tasks.length} long tasks over ${seconds} s (longest ${max.toFixed(0)} ms), ${frames} frames drawn   target: none over 50 ms`);
    await page.close();
  }
}

/**
 * Long tasks on the main thread from dropping the registry sample (179k nodes) on the page to its
 * first picture: the page opens the small default sample, the registry's bytes are fetched into a
 * File, and then a real drop event carries it in.
 */
async function loadTasks(browser, backend) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await observeLongTasks(page);
  const query = backend === 'WebGL2' ? '?backend=webgl2' : '';
  await page.goto(`${base}/${query}`);
  await page.locator('[data-testid="graph-canvas"][data-version="1"]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1000);
  const t0 = await page.evaluate(async () => {
    const bytes = await (await fetch('samples/registry-full.json.gz')).arrayBuffer();
    const file = new File([bytes], 'registry-full.json.gz');
    await new Promise((r) => setTimeout(r, 300));
    const data = new DataTransfer();
    data.items.add(file);
    const target = document.querySelector('.studio');
    const t = performance.now();
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    return t;
  });
  await page.locator('[data-testid="graph-canvas"][data-version="2"]').waitFor({ timeout: 300_000 });
  // The first picture: the next frame after the new graph is installed.
  const t1 = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
  await page.waitForTimeout(300);
  const tasks = await page.evaluate(([from, to]) => window.__longTasks.filter((e) => e.start >= from && e.start <= to), [t0, t1]);
  const max = tasks.reduce((m, e) => Math.max(m, e.duration), 0);
  const total = tasks.reduce((m, e) => m + e.duration, 0);
  const over = tasks.filter((e) => e.duration > 50).length;
  const list = tasks.map((e) => `${(e.start - t0).toFixed(0)}+${e.duration.toFixed(0)}`).join(' ');
  console.log(`${backend}: drop to first picture ${((t1 - t0) / 1000).toFixed(2)} s; ${tasks.length} long tasks, ${over} over 50 ms (longest ${max.toFixed(0)} ms, ${total.toFixed(0)} ms in all)   target: none over 50 ms except the GPU upload`);
  if (tasks.length) console.log(`  at ms after the drop + duration: ${list}`);
  await page.close();
}

/**
 * The registry (179k nodes) opened from the address bar: time to its first picture and to the
 * first frame answering a wheel, then frame times while the view is dragged for two seconds, with
 * the lighter picture on a slow renderer (the default) and without it (`?lighter=off`), side by side.
 */
async function panning(browser, backend) {
  for (const lighter of ['on', 'off']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      window.__frameTimes = [];
      new MutationObserver(() => window.__frameTimes.push(performance.now())).observe(document, {
        subtree: true,
        attributes: true,
        attributeFilter: ['data-frames'],
      });
    });
    const query = `?isg=samples/registry-full.json.gz${backend === 'WebGL2' ? '&backend=webgl2' : ''}${lighter === 'off' ? '&lighter=off' : ''}`;
    await page.goto(`${base}/${query}`);
    await page.locator('[data-testid="graph-canvas"][data-version="1"]').waitFor({ timeout: 300_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="graph-canvas"]').dataset.frames) > 0, null, { timeout: 120_000 });
    const first = await page.evaluate(() => window.__frameTimes[0]);
    await page.waitForTimeout(1500);
    const box = await page.getByTestId('graph-canvas').boundingBox();
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    const beforeWheel = await page.evaluate(() => [performance.now(), window.__frameTimes.length]);
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, -200);
    await page.waitForFunction((n) => window.__frameTimes.length > n, beforeWheel[1], { timeout: 120_000 });
    const answered = await page.evaluate((n) => window.__frameTimes[n], beforeWheel[1]);
    await page.waitForTimeout(2000);
    const start = await page.evaluate(() => [performance.now(), window.__frameTimes.length]);
    await page.mouse.down();
    for (let k = 0; k < 60; k++) {
      await page.mouse.move(cx + 8 * (k % 30) - 120, cy + 3 * (k % 20) - 30);
      await page.waitForTimeout(33);
    }
    await page.mouse.up();
    const end = await page.evaluate(() => performance.now());
    const times = await page.evaluate(([n, until]) => window.__frameTimes.slice(n).filter((t) => t <= until), [start[1], end]);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    console.log(`${backend}, lighter picture ${lighter}: first picture ${(first / 1000).toFixed(2)} s after navigation; a wheel answered in ${(answered - beforeWheel[0]).toFixed(0)} ms; dragging ${((end - start[0]) / 1000).toFixed(1)} s: ${times.length} frames, frame time p50 ${pct(gaps, 0.5).toFixed(0)} ms, p95 ${pct(gaps, 0.95).toFixed(0)} ms`);
    await page.close();
  }
}

/**
 * *Try* from a registry on loopback (the default registry `cargo xtask registry` built, served by a
 * plain HTTP server with CORS): from the click on Try, through the trust and consent dialogs, to the
 * first picture of force-layout's positions on axum.
 */
async function tryFromRegistry(browser, backend) {
  const { createServer } = await import('node:http');
  const { readFileSync, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = join(new URL('.', import.meta.url).pathname, '..');
  const reg = join(root, 'target', 'registry');
  const key = readFileSync(join(root, 'target', 'keys', 'dev-registry.pub'), 'utf8').trim().split('\n').pop().trim();
  const srv = createServer((req, res) => {
    const file = join(reg, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const headers = { 'access-control-allow-origin': '*' };
    if (!file.startsWith(reg) || !existsSync(file)) return res.writeHead(404, headers).end();
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}/`;
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      window.__frameTimes = [];
      new MutationObserver(() => window.__frameTimes.push(performance.now())).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-frames'] });
    });
    await page.goto(`${base}/${backend === 'WebGL2' ? '?backend=webgl2' : ''}`);
    await page.locator('[data-testid="graph-canvas"][data-version="1"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('market-url').fill(url);
    await page.getByTestId('market-key').fill(key);
    await page.getByTestId('market-add').click();
    await page.locator('[data-testid="market-row"][data-name="force-layout"] button').click();
    await page.getByTestId('market-signature').filter({ hasText: 'unknown publisher' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    const start = await page.evaluate(() => performance.now());
    await page.getByTestId('market-try').click();
    await page.getByTestId('market-confirm-yes').click();
    await page.getByTestId('plugin-run').click();
    const before = await page.evaluate(() => window.__frameTimes.length);
    await page.getByTestId('consent-allow').click();
    await page.waitForFunction((n) => window.__frameTimes.length > n, before, { timeout: 120_000 });
    const first = await page.evaluate((n) => window.__frameTimes[n], before);
    samples.push(first - start);
    await page.close();
  }
  srv.close();
  console.log(`${backend}: Try force-layout from a loopback registry, click to the layout's first picture on axum (dialogs clicked by the harness): p50 ${pct(samples, 0.5).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms`);
}

try {
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: common });
  for (const name of which.filter((n) => ['isg', 'plugins', 'lanes', 'layouts', 'analyses', 'exports', 'market'].includes(n))) await benchPage(browser, name);
  if (which.includes('render')) {
    const render = { peer: true, timeout: 1_800_000 };
    await benchPage(browser, 'render', `&backend=webgl2${renderQuery}`, render);
    const gpu = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...common, ...webgpu] });
    await benchPage(gpu, 'render', renderQuery, render);
    await gpu.close();
  }
  if (which.includes('loadtasks')) {
    console.log(`\n== loading the registry sample: long tasks on the main thread (${dist}) ==`);
    await loadTasks(browser, 'WebGL2');
    const gpu = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...common, ...webgpu] });
    await loadTasks(gpu, 'WebGPU');
    await gpu.close();
  }
  if (which.includes('longtasks')) {
    console.log('\n== the page\'s main thread while a plugin runs in a worker ==');
    await longTasks(browser, 'WebGL2');
    const gpu = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...common, ...webgpu] });
    await longTasks(gpu, 'WebGPU');
    await gpu.close();
  }
  if (which.includes('try')) {
    console.log(`\n== Try from a registry (${dist}) ==`);
    await tryFromRegistry(browser, 'WebGL2');
    const gpu = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...common, ...webgpu] });
    await tryFromRegistry(gpu, 'WebGPU');
    await gpu.close();
  }
  if (which.includes('panning')) {
    console.log(`\n== the registry: first picture, first answer to input, and frame times while dragging (${dist}) ==`);
    await panning(browser, 'WebGL2');
    const gpu = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...common, ...webgpu] });
    await panning(gpu, 'WebGPU');
    await gpu.close();
  }
  if (which.includes('report')) {
    await reportFigures(
      (backend) => chromium.launch({ executablePath: '/usr/bin/chromium', args: backend === 'WebGPU' ? [...common, ...webgpu] : common }),
      dist,
      base,
    );
  }
  await browser.close();
} finally {
  server.kill();
}
