// Screenshots of the modules-first view for the closing note: tokio and the registry at fit and
// closer in. Usage: node shots.mjs <dist folder> <out folder>
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const dist = process.argv[2] ?? '../dist';
const out = process.argv[3] ?? '/tmp/shots';
const port = 4198;
const base = `http://127.0.0.1:${port}`;
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader'] });
try {
  for (const [name, query, version] of [['tokio', '?isg=samples/tokio-1.47.1.json', '1'], ['registry', '?isg=samples/registry-full.json.gz', '1']]) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/${query}`);
    await page.locator(`[data-testid="graph-canvas"][data-version="${version}"]`).waitFor({ timeout: 300_000 });
    await page.waitForTimeout(2500);
    await page.screenshot({ path: `${out}/${name}-fit.png` });
    const box = await page.getByTestId('graph-canvas').boundingBox();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.45);
    for (let i = 0; i < 4; i++) { await page.mouse.wheel(0, -400); await page.waitForTimeout(700); }
    await page.waitForTimeout(2000);
    await page.screenshot({ path: `${out}/${name}-closer.png` });
    for (let i = 0; i < 4; i++) { await page.mouse.wheel(0, -400); await page.waitForTimeout(700); }
    await page.waitForTimeout(2000);
    await page.screenshot({ path: `${out}/${name}-close.png` });
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
