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

/** How many plugins the default registry offers (read from its index, so adding a plugin needs no edit here). */
function offered(): number {
  ensureRegistry();
  return Object.keys(JSON.parse(readFileSync(join(root, 'target', 'registry', 'index.json'), 'utf8')).plugins).length;
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

/** Runs `ptstudio` from this checkout (the real CLI an author or registry operator uses). */
function ptstudio(args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'cli', '--', ...args], { cwd: root, env: { ...process.env, PTSTUDIO_KEY_PASSWORD: '' } }).toString();
}

const keys = join(root, 'target', 'keys');
const publisherKey = process.env.PTSTUDIO_PUBLISHER_KEY ?? join(keys, 'dev-publisher.key');
const registrySecret = process.env.PTSTUDIO_REGISTRY_KEY ?? join(keys, 'dev-registry.key');

/**
 * Publishes a variant of first-party plugin `plugin` into the registry copy in `dir`, as an author
 * would: its folder copied, its manifest changed by `edit`, packed with the module the build made,
 * signed by the publisher's key and published with the registry's key.
 */
function publishVariant(dir: string, plugin: string, edit: (manifest: string) => string): void {
  const work = mkdtempSync(join(tmpdir(), `${plugin}-`));
  cpSync(join(root, 'plugins', plugin), work, { recursive: true });
  writeFileSync(join(work, 'plugin.toml'), edit(readFileSync(join(work, 'plugin.toml'), 'utf8')));
  const wasm = join(root, 'target', 'plugins', 'wasm32-unknown-unknown', 'release', `${plugin.replace(/-/g, '_')}.wasm`);
  const out = join(work, 'variant.ptplugin');
  ptstudio(['plugin', 'pack', work, '--wasm', wasm, '--out', out]);
  ptstudio(['plugin', 'sign', out, '--key', publisherKey]);
  ptstudio(['registry', 'publish', dir, out, '--key', registrySecret]);
}

/** Publishes a copy of radial-layout named `name` that needs `deps`. */
function publishWithDependencies(dir: string, name: string, deps: string): void {
  publishVariant(dir, 'radial-layout', (m) => m.replace('name = "radial-layout"', `name = "${name}"`) + `\n[dependencies]\n${deps}\n`);
}

/** Publishes circle-layout 0.2.0, asking for a private folder too. */
function publishCircle020(dir: string): void {
  publishVariant(dir, 'circle-layout', (m) =>
    m.replace('version = "0.1.0"', 'version = "0.2.0"').replace('[capabilities]', '[capabilities]\nfile_system_access = true'),
  );
}

class Marketplace {
  constructor(readonly page: import('@playwright/test').Page) {}
  status() {
    return this.page.getByTestId('market-status');
  }
  rows() {
    return this.page.getByTestId('market-row');
  }
  /** The names of the rows, in the list's order. */
  names() {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  }
  registries() {
    return this.page.getByTestId('market-registry');
  }
  async add(url: string, key: string) {
    await this.page.getByTestId('market-url').fill(url);
    await this.page.getByTestId('market-key').fill(key);
    await this.page.getByTestId('market-add').click();
  }
  installed(name: string) {
    return this.page.locator(`[data-testid="market-installed-row"][data-name="${name}"]`);
  }
  async confirm() {
    await expect(this.page.getByTestId('market-confirm')).toBeVisible();
    await this.page.getByTestId('market-confirm-yes').click();
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

  test.beforeEach(async ({ page }) => {
    // These tests add the loopback copy by hand, as a user adds a registry: the app's own default
    // registry (the same registry, beside the page) is kept out of them, as on a server that has none.
    await page.route('**/registry/registry.pub', (route) => route.fulfill({ status: 404 }));
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
    await expect(market.status()).toHaveText(new RegExp(`^registry parseltongue-studio \\(serial \\d+\\): ${offered()} plugins$`));
    await expect(market.rows()).toHaveCount(offered());
    // Search and the kind filter.
    await page.getByTestId('market-search').fill('force');
    await expect(market.rows().first()).toHaveAttribute('data-name', 'force-layout');
    await page.getByTestId('market-search').fill('');
    await page.getByTestId('market-kind').selectOption('renderer');
    await expect(market.rows()).toHaveCount(4);
    await page.getByTestId('market-kind').selectOption('');
    await expect(page.getByTestId('market-category').locator('option')).toHaveText(['every category', 'analysis', 'export', 'layout', 'renderer']);
    await page.getByTestId('market-category').selectOption('layout');
    await expect(market.rows()).toHaveCount(5);
    await page.getByTestId('market-category').selectOption('');

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

    // It runs after consent and moves the nodes; signed by a publisher the user trusts, it takes
    // the fast lane (metered, on the browser's engine) without being marked by hand.
    await expect(plugins.trusted).toBeChecked();
    await expect(plugins.trusted).toBeDisabled();
    const before = await studio.canvas.screenshot();
    const row = await plugins.runToEnd('allow');
    await expect(row).toHaveAttribute('data-state', 'finished');
    await expect(row.getByTestId('run-lane')).toHaveText(/^fast lane: signed by [0-9A-F]{16}, a publisher you trust: compiled by the engine/);
    await page.waitForTimeout(900);
    await studio.redrawAfter(() => studio.canvas.press('f'));
    expect((await studio.canvas.screenshot()).equals(before)).toBe(false);
    // The one console line is the browser's own for the default registry's key answering 404 here.
    expect(studio.consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);

    // A tried plugin leaves no grant behind: after a reload (the registry comes back from the
    // settings, the publisher stays trusted) trying it again asks for consent again.
    await studio.open('', testInfo);
    await expect(market.rows()).toHaveCount(offered());
    await market.open('force-layout');
    await expect(page.getByTestId('market-signature')).toHaveText(/^verified/);
    await page.getByTestId('market-try').click();
    await expect(plugins.chosen).toHaveText(/^force-layout@0\.1\.0/);
    await plugins.run.click();
    await expect(plugins.consent).toBeVisible();
    await page.getByTestId('consent-deny').click();
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
    await expect(market.rows()).toHaveCount(offered());
    await market.open('force-layout');
    await expect(page.getByTestId('market-refused')).toContainText("the package does not match the registry's index");
    await expect(page.getByTestId('market-try')).toBeDisabled();
    // A package that grows past its listed size is not read beyond it.
    const grown = join(dir, 'packages', 'circle-layout-0.1.0.ptplugin');
    writeFileSync(grown, Buffer.concat([readFileSync(grown), Buffer.alloc(1 << 20)]));
    await page.getByRole('button', { name: 'Back' }).click();
    await market.open('circle-layout');
    await expect(page.getByTestId('market-refused')).toContainText(/circle-layout-0\.1\.0\.ptplugin is larger than \d+ bytes, the most accepted from it/);

    // The registry goes away: named, and what was listed stays.
    await new Promise((r) => server.close(r));
    ({ server, url: url } = await serve(join(dir, 'nothing-here')));
    await market.add(url, key);
    await expect(market.status()).toContainText('the plugins you had stay');
    await expect(market.rows()).toHaveCount(offered());
    expect(studio.consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);
  });

  test('install, reload, update, roll back, pin, revoke, run offline and uninstall', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    await market.add(url, key);
    await expect(market.rows()).toHaveCount(offered());
    await market.open('circle-layout');
    await expect(page.getByTestId('market-signature')).toContainText('unknown publisher');
    await page.getByTestId('market-install').click();
    await market.confirm();
    await expect(market.status()).toHaveText('installed circle-layout@0.1.0');
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.1.0');

    // A reload keeps it, and the registry (checked again for updates on start).
    await studio.open('', testInfo);
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.1.0');
    await expect(market.rows()).toHaveCount(offered());
    // It is in the plugin panel and runs, after consent; the grant is kept across reloads.
    await plugins.select.selectOption('installed:circle-layout');
    await expect(plugins.chosen).toHaveText(/^circle-layout@0\.1\.0/);
    await expect(page.getByTestId('plugin-origin')).toHaveText('from registry parseltongue-studio');
    await expect(await plugins.runToEnd('allow')).toHaveAttribute('data-state', 'finished');
    await studio.open('', testInfo);
    await plugins.select.selectOption('installed:circle-layout');
    await expect(await plugins.runToEnd('expect-none')).toHaveAttribute('data-state', 'finished');

    // A new version is published: offered as an update that asks for more.
    publishCircle020(dir);
    await studio.open('', testInfo);
    const update = market.installed('circle-layout').getByTestId('market-update');
    await expect(update).toHaveText('Update to 0.2.0 (asks for more)');
    await update.click();
    await expect(market.status()).toHaveText('installed circle-layout@0.2.0');
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.2.0');
    // Consent is asked again for the new version.
    await plugins.select.selectOption('installed:circle-layout');
    await expect(plugins.chosen).toHaveText(/^circle-layout@0\.2\.0/);
    await plugins.run.click();
    await expect(page.locator('[data-testid="consent-capability"][data-capability="file_system_access"]')).toBeVisible();
    await page.getByTestId('consent-deny').click();

    // Roll back to the version kept, and pin it: no update offered.
    await market.installed('circle-layout').getByTestId('market-rollback').click();
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.1.0');
    await market.installed('circle-layout').getByTestId('market-pin').click();
    await expect(market.installed('circle-layout')).toContainText('pinned');
    await expect(market.installed('circle-layout').getByTestId('market-update')).toHaveCount(0);
    await market.installed('circle-layout').getByTestId('market-pin').click();
    await market.installed('circle-layout').getByTestId('market-update').click();
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.2.0');

    // The registry revokes 0.2.0: on the next start it is disabled with a banner.
    ptstudio(['registry', 'revoke', dir, 'circle-layout', '0.2.0', '--reason', 'mines coins', '--key', registrySecret]);
    await studio.open('', testInfo);
    await expect(market.installed('circle-layout').getByTestId('market-revoked')).toHaveText('disabled: revoked by its registry: mines coins');
    await expect(plugins.select.locator('option[value="installed:circle-layout"]')).toBeDisabled();
    await market.installed('circle-layout').getByTestId('market-rollback').click();
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.1.0');

    // The registry goes down: the installed plugin still runs.
    await new Promise((r) => server.close(r));
    await studio.open('', testInfo);
    await expect(market.status()).toContainText('the plugins you had stay');
    await plugins.select.selectOption('installed:circle-layout');
    await expect(plugins.chosen).toHaveText(/^circle-layout@0\.1\.0/);
    await expect(await plugins.runToEnd('expect-none')).toHaveAttribute('data-state', 'finished');

    // Uninstall, after a confirmation: gone, also after a reload.
    await market.installed('circle-layout').getByTestId('market-uninstall').click();
    await market.confirm();
    await expect(market.installed('circle-layout')).toHaveCount(0);
    await studio.open('', testInfo);
    await expect(market.installed('circle-layout')).toHaveCount(0);
    await expect(plugins.select.locator('option[value="installed:circle-layout"]')).toHaveCount(0);
    ({ server, url } = await serve(dir));
  });

  test('install from disk: checked like a registry package, asked about when it cannot be checked, refused when tampered', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    const good = join(dir, 'packages', 'radial-layout-0.1.0.ptplugin');
    await page.getByTestId('market-disk').setInputFiles(good);
    // No registry added: nobody vouches for its key here.
    await expect(page.getByTestId('market-confirm')).toContainText('which no registry you added lists: it cannot be checked');
    await page.getByTestId('market-confirm-yes').click();
    await expect(market.status()).toHaveText('installed radial-layout@0.1.0');
    await expect(market.installed('radial-layout')).toContainText('disk');
    const bad = join(dir, 'evil.ptplugin');
    const bytes = readFileSync(good);
    bytes[bytes.length >> 1] ^= 0x04;
    writeFileSync(bad, bytes);
    await page.getByTestId('market-disk').setInputFiles(bad);
    await expect(market.status()).toContainText('refused');
    await expect(market.installed('radial-layout')).toHaveCount(1);
    // Dropped anywhere on the page, a package goes to the marketplace with the same checks.
    const dropped = [...readFileSync(join(dir, 'packages', 'circle-layout-0.1.0.ptplugin'))];
    const transfer = await page.evaluateHandle((data) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(data)], 'circle-layout-0.1.0.ptplugin'));
      return d;
    }, dropped);
    await page.dispatchEvent('.studio', 'drop', { dataTransfer: transfer });
    await expect(page.getByTestId('market-confirm')).toContainText('it cannot be checked');
    await page.getByTestId('market-confirm-yes').click();
    await expect(market.installed('circle-layout')).toContainText('disk');
    await expect(page.getByTestId('error-banner')).toHaveCount(0);
  });

  test('a plugin installs together with what it depends on; one whose dependency no registry has is not installed', async ({ page }, testInfo) => {
    publishWithDependencies(dir, 'radial-plus', 'circle-layout = "^0.1"');
    publishWithDependencies(dir, 'radial-orphan', 'ghost-plugin = "^1"');
    const studio = new StudioPage(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    await market.add(url, key);
    // The default registry's plugins and the two just published.
    await expect(market.rows()).toHaveCount(offered() + 2);
    await market.open('radial-plus');
    await expect(page.getByTestId('market-dependencies')).toHaveText('needs: circle-layout ^0.1 (installed with it)');
    await page.getByTestId('market-install').click();
    await market.confirm();
    await expect(market.status()).toHaveText('installed radial-plus@0.1.0 with circle-layout@0.1.0');
    await expect(market.installed('circle-layout')).toHaveAttribute('data-version', '0.1.0');
    await expect(market.installed('radial-plus')).toHaveAttribute('data-version', '0.1.0');
    await market.open('radial-orphan');
    await page.getByTestId('market-install').click();
    await expect(market.status()).toHaveText('radial-orphan@0.1.0 was not installed: no registry has ghost-plugin (needed by radial-orphan 0.1.0)');
    await expect(market.installed('radial-orphan')).toHaveCount(0);
  });

  test('a registry mirror file lists and installs plugins on a machine without a network', async ({ page }, testInfo) => {
    const mirror = join(dir, 'team.ptmirror');
    ptstudio(['registry', 'mirror', dir, '--key', registryKeyFile, '--out', mirror]);
    await new Promise((r) => server.close(r));
    const studio = new StudioPage(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    // The key is typed first; a mirror checked against another key is refused.
    const other = readFileSync(registryKeyFile.replace('dev-registry', 'dev-publisher'), 'utf8').trim().split('\n').pop()!.trim();
    await page.getByTestId('market-key').fill(other);
    await page.getByTestId('market-mirror').setInputFiles(mirror);
    await expect(market.status()).toContainText('is not signed by its key');
    await page.getByTestId('market-key').fill(key);
    await page.getByTestId('market-mirror').setInputFiles(mirror);
    await expect(market.status()).toHaveText(new RegExp(`^registry parseltongue-studio \\(serial \\d+\\) from the mirror team\\.ptmirror: ${offered()} plugins$`));
    await expect(market.rows()).toHaveCount(offered());
    await market.open('circle-layout');
    await expect(page.getByTestId('market-readme')).toContainText('circle-layout');
    await page.getByTestId('market-install').click();
    await market.confirm();
    await expect(market.status()).toHaveText('installed circle-layout@0.1.0');
    // A damaged mirror is named and changes nothing.
    const bytes = readFileSync(mirror);
    writeFileSync(mirror, bytes.subarray(0, bytes.length >> 1));
    await page.getByTestId('market-mirror').setInputFiles(mirror);
    await expect(market.status()).toContainText('the mirror is not a readable registry mirror');
    await expect(market.installed('circle-layout')).toHaveCount(1);
    ({ server, url } = await serve(dir));
  });
});

test.describe('the default registry', () => {
  test('is listed at first start with nothing typed, sorts, and keeps company with a registry the user adds and removes', async ({ page }, testInfo) => {
    ensureRegistry();
    const index = JSON.parse(readFileSync(join(root, 'target', 'registry', 'index.json'), 'utf8'));
    const offered = Object.entries(index.plugins as Record<string, { size: number }[]>).map(([name, releases]) => ({
      name,
      size: releases[releases.length - 1].size,
    }));
    const byName = offered.map((p) => p.name).sort();
    const bySize = [...offered].sort((a, b) => a.size - b.size || a.name.localeCompare(b.name)).map((p) => p.name);
    const studio = new StudioPage(page);
    const market = new Marketplace(page);
    await studio.open('', testInfo);
    // Listed with no address or key typed: the app found it, and its key, beside its page.
    await expect(market.rows()).toHaveCount(offered.length);
    await expect(market.registries()).toHaveCount(1);
    await expect(market.registries()).toHaveAttribute('data-default', 'true');
    await expect(market.registries()).toContainText(`parseltongue-studio serial ${index.serial}, ${offered.length} plugins, bundled with the app`);
    await expect(market.registries().getByTestId('market-registry-remove')).toHaveCount(0);
    await page.getByTestId('market-sort').selectOption('smallest');
    await expect.poll(() => market.names()).toEqual(bySize);
    await page.getByTestId('market-sort').selectOption('name');
    await expect.poll(() => market.names()).toEqual(byName);

    // A team's private registry, with its own key, listed beside it; removed again.
    const team = mkdtempSync(join(tmpdir(), 'team-'));
    const teamKey = join(team, 'team');
    ptstudio(['plugin', 'keygen', teamKey]);
    ptstudio(['registry', 'init', join(team, 'reg'), '--name', 'team', '--key', `${teamKey}.key`]);
    ptstudio(['registry', 'add-publisher', join(team, 'reg'), '--name', 'Parseltongue Studio', '--publisher', publisherKey.replace(/\.key$/, '.pub'), '--key', `${teamKey}.key`]);
    ptstudio(['registry', 'publish', join(team, 'reg'), join(root, 'target', 'registry', 'packages', 'radial-layout-0.1.0.ptplugin'), '--key', `${teamKey}.key`]);
    const { server, url } = await serve(join(team, 'reg'));
    try {
      await market.add(url, readFileSync(`${teamKey}.pub`, 'utf8'));
      await expect(market.status()).toHaveText(/^registry team \(serial \d+\): 1 plugin$/);
      await expect(market.rows()).toHaveCount(offered.length + 1);
      await expect(market.registries()).toHaveCount(2);
      await market.registries().filter({ hasText: 'team' }).getByTestId('market-registry-remove').click();
      await expect(market.registries()).toHaveCount(1);
      // Said once the settings are kept.
      await expect(market.status()).toContainText('removed the registry');
      await expect(market.rows()).toHaveCount(offered.length);
      // Gone for good: not fetched again after a reload.
      await studio.open('', testInfo);
      await expect(market.rows()).toHaveCount(offered.length);
      await expect(market.registries()).toHaveCount(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(studio.consoleErrors).toEqual([]);
  });
});
