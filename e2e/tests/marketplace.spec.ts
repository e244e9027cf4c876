import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PluginsPanel, StudioPage } from '../pages/studio';

// A real registry on loopback: the default registry `cargo xtask registry` builds from plugins/
// (signed packages built from source), copied so a test can tamper with its copy, served by a
// plain static HTTP server with CORS, as any object store would serve it.
const root = join(__dirname, '..', '..');
const registryKeyFile = process.env.PTSTUDIO_REGISTRY_KEY
  ? process.env.PTSTUDIO_REGISTRY_KEY.replace(/\.key$/, '.pub')
  : join(root, 'target', 'keys', 'dev-registry.pub');

function ensureRegistry(): void {
  if (!existsSync(join(root, 'target', 'registry', 'index.json'))) {
    execFileSync('cargo', ['run', '-q', '-p', 'xtask', '--', 'registry'], { cwd: root, stdio: 'inherit' });
  }
}

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(dir, path);
    const headers = { 'access-control-allow-origin': '*' };
    if (path.includes('..') || !file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

class Marketplace {
  constructor(readonly page: import('@playwright/test').Page) {}
  status() {
    return this.page.getByTestId('market-status');
  }
  rows() {
    return this.page.getByTestId('market-row');
  }
  async add(url: string, key: string) {
    await this.page.getByTestId('market-url').fill(url);
    await this.page.getByTestId('market-key').fill(key);
    await this.page.getByTestId('market-add').click();
  }
  async open(name: string) {
    await this.page.locator(`[data-testid="market-row"][data-name="${name}"] button`).click();
    await expect(this.page.getByTestId('market-page')).toBeVisible();
  }
}

test.describe('marketplace', () => {
  let server: Server;
  let url: string;
  let dir: string;
  let key: string;

  test.beforeAll(async () => {
    ensureRegistry();
    key = readFileSync(registryKeyFile, 'utf8').trim().split('\n').pop()!.trim();
  });

  test.beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'registry-'));
    cpSync(join(root, 'target', 'registry'), dir, { recursive: true });
    ({ server, url } = await serve(dir));
  });

  test.afterEach(async () => {
    await new Promise((r) => server.close(r));
  });

  test('browse and search a signed registry, read a plugin page, and try a plugin without installing', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    await market.add(url, key);
    await expect(market.status()).toHaveText(/^registry parseltongue-studio \(serial \d+\): 9 plugins$/);
    await expect(market.rows()).toHaveCount(9);
    // Search and the kind filter.
    await page.getByTestId('market-search').fill('force');
    await expect(market.rows().first()).toHaveAttribute('data-name', 'force-layout');
    await page.getByTestId('market-search').fill('');
    await page.getByTestId('market-kind').selectOption('renderer');
    await expect(market.rows()).toHaveCount(4);
    await page.getByTestId('market-kind').selectOption('');

    // The page says who publishes it, whether the signature holds and what it may do, before anything runs.
    await market.open('force-layout');
    const pageView = page.getByTestId('market-page');
    await expect(page.getByTestId('market-publisher')).toContainText('Parseltongue Studio (key ');
    await expect(page.getByTestId('market-signature')).toHaveText(/^signed by an unknown publisher \(key [0-9A-F]{16}\)$/);
    await expect(page.getByTestId('market-capabilities').locator('li')).toHaveText([
      'read the loaded graph: names, signatures, file paths and edges',
      'change node positions, colours, labels and overlays in the view',
    ]);
    await expect(page.getByTestId('market-readme')).toContainText('Parameters');
    await expect(pageView).toContainText('by Parseltongue Studio');

    // Try: the unknown publisher is named with its key's fingerprint first.
    await page.getByTestId('market-try').click();
    await expect(page.getByTestId('market-confirm')).toContainText(/Trust this publisher\? Parseltongue Studio, key fingerprint [0-9A-F]{16}/);
    await page.getByTestId('market-confirm-yes').click();
    await expect(market.status()).toHaveText('force-layout@0.1.0 is ready in the plugin panel: press Run to try it on this graph');
    await expect(plugins.chosen).toHaveText(/^force-layout@0\.1\.0/);
    await expect(page.getByTestId('plugin-panel')).toContainText('from registry parseltongue-studio');
    // Trusted now: the page says verified.
    await market.open('force-layout');
    await expect(page.getByTestId('market-signature')).toHaveText(/^verified: signed by trusted key [0-9A-F]{16}$/);

    // It runs in the same sandbox as any plugin, after consent, and moves the nodes.
    const before = await studio.canvas.screenshot();
    const row = await plugins.runToEnd('allow');
    await expect(row).toHaveAttribute('data-state', 'finished');
    await page.waitForTimeout(900);
    await studio.redrawAfter(() => studio.canvas.press('f'));
    expect((await studio.canvas.screenshot()).equals(before)).toBe(false);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('a tampered package, a registry signed by another key and one that is down are refused by name', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    // Signed by another key than the one given.
    const other = readFileSync(registryKeyFile.replace('dev-registry', 'dev-publisher'), 'utf8').trim().split('\n').pop()!.trim();
    await market.add(url, other);
    await expect(market.status()).toContainText('is not signed by its key');
    await expect(market.rows()).toHaveCount(0);

    // A flipped byte in a package on the server.
    const file = join(dir, 'packages', 'force-layout-0.1.0.ptplugin');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(file, bytes);
    await market.add(url, key);
    await expect(market.rows()).toHaveCount(9);
    await market.open('force-layout');
    await expect(page.getByTestId('market-refused')).toContainText("the package does not match the registry's index");
    await expect(page.getByTestId('market-try')).toBeDisabled();

    // The registry goes away: named, and what was listed stays.
    await new Promise((r) => server.close(r));
    ({ server, url: url } = await serve(join(dir, 'nothing-here')));
    await market.add(url, key);
    await expect(market.status()).toContainText('the plugins you had stay');
    await expect(market.rows()).toHaveCount(9);
    expect(studio.consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);
  });
});
