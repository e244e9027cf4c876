// Drives the in-browser benchmark page (`?bench=isg`) in headless Debian Chromium and prints the
// figures. Usage: node bench-browser.mjs <dist folder>   (run by `cargo xtask bench`).
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const dist = process.argv[2] ?? '../dist';
const port = 4199;
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
const common = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--enable-unsafe-swiftshader'];
try {
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: common });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/?bench=isg`);
  await page.getByTestId('bench-results').waitFor({ timeout: 600_000 });
  const status = await page.getByTestId('bench-status').innerText();
  const figures = JSON.parse(await page.getByTestId('bench-results').innerText());
  const ua = await page.evaluate(() => navigator.userAgent);
  console.log(`\n== in-browser ISG figures (${ua.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, wasm, main thread) ==`);
  for (const f of figures) {
    console.log(`${f.name.padEnd(52)} p50 ${f.p50_ms.toFixed(2).padStart(9)} ms  p95 ${f.p95_ms.toFixed(2).padStart(9)} ms   target ${f.target}`);
  }
  await browser.close();
  if (status !== 'done') {
    console.error(`bench page: ${status}`);
    process.exitCode = 1;
  }
} finally {
  server.kill();
}
