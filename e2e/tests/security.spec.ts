import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PluginsPanel, StudioPage } from '../pages/studio';

const repo = join(__dirname, '..', '..');
// Built from source by the trunk build's pre_build hook (public/bundle-plugins.sh), never committed.
const built = join(repo, 'target', 'plugins', 'wasm32-unknown-unknown', 'release');
const exporterWasm = join(built, 'hostile_exporter.wasm');
const exporterToml = join(repo, 'plugins', 'hostile-exporter', 'plugin.toml');
const circleWasm = join(built, 'circle_layout.wasm');
const hostileWasm = join(built, 'hostile.wasm');
const hostileToml = join(repo, 'plugins', 'hostile', 'plugin.toml');
const circleToml = join(repo, 'plugins', 'circle-layout', 'plugin.toml');
const AXUM_NODES = 611;

test.describe('security', () => {
  test('the Content-Security-Policy is in force and the app works under it', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'none'");
    expect(policy).toContain("worker-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain("'unsafe-eval'");

    // Code the page did not ship is refused, and each refusal is reported as a policy violation:
    // an inline script, a string evaluated by a timer (as eval would), a worker from a blob: URL.
    // (Playwright's own evaluate runs outside the page's policy, so the probes run from the page.)
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const w = window as unknown as Record<string, unknown>;
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      (setTimeout as unknown as (code: string, ms: number) => void)('window.__timerRan = true', 0);
      let workerSpoke = false;
      try {
        const worker = new Worker(URL.createObjectURL(new Blob(['self.postMessage(1)'], { type: 'text/javascript' })));
        worker.onmessage = () => (workerSpoke = true);
      } catch {
        // Refused at once: as good as refused later.
      }
      await new Promise((r) => setTimeout(r, 500));
      return { inlineRan: w.__inlineRan === true, timerRan: w.__timerRan === true, workerSpoke, violations };
    });
    expect(outcome.inlineRan).toBe(false);
    expect(outcome.timerRan).toBe(false);
    expect(outcome.workerSpoke).toBe(false);
    expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src', 'worker-src']));

    // Under the policy the graph is drawn, and a plugin runs in its worker.
    expect((await studio.canvasPixels()).drawnFraction).toBeGreaterThan(0.02);
    const plugins = new PluginsPanel(page);
    await plugins.choose('circle-layout');
    const row = await plugins.runToEnd('allow');
    await expect(row.getByTestId('run-status')).toHaveText(`done: ${AXUM_NODES} positions`);
    expect(studio.consoleErrors.filter((e) => !e.includes('Content Security Policy'))).toEqual([]);
  });

  test('consent text shows hidden characters, and exported files are inert downloads', async ({ page, context }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await plugins.chooseFiles(exporterToml, exporterWasm, 'hostile-exporter@0.1.0');
    await expect(page.getByTestId('plugin-origin')).toHaveText('from disk (hostile_exporter.wasm)');

    await plugins.run.click();
    const dialog = plugins.consent;
    await expect(dialog).toBeVisible();
    const about = await dialog.getByTestId('consent-about').innerText();
    // The right-to-left override and the zero-width space are shown as escapes, never applied.
    expect(about).toContain('Mallory ⟨U+202E⟩redaer⟨U+202C⟩ ⟨U+200B⟩trusted');
    expect(about).toContain('helper⟨U+202E⟩gnp.exe');
    expect(about).not.toMatch(/[\u202a-\u202e\u200b-\u200f\u2066-\u2069]/);
    await expect(dialog.getByTestId('consent-origin')).toContainText('from disk (hostile_exporter.wasm) · sha256 ');
    await page.getByTestId('consent-allow').click();
    await expect(plugins.newest()).toHaveAttribute('data-state', 'finished');

    for (const [format, name] of [
      ['html', 'report_lmth.txt.html'],
      ['svg', 'picture.svg'],
    ]) {
      await plugins.setParam('format', format);
      const row = await plugins.runToEnd('expect-none');
      const file = row.getByTestId('run-file');
      await expect(file).toHaveAttribute('data-name', name);
      await expect(file).toHaveAttribute('data-mime', 'application/octet-stream');
      // A button, not a link: nothing to open in a tab of the app's origin.
      await expect(row.locator('a[href^="blob:"]')).toHaveCount(0);
      const download = page.waitForEvent('download');
      await file.click();
      const saved = await download;
      expect(saved.suggestedFilename()).toBe(name);
      const bytes = readFileSync((await saved.path())!, 'utf8');
      expect(bytes).toContain("localStorage.setItem('pwned'");
    }
    // The script never ran in the app's origin: no mark, the grants database is there, one page.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => localStorage.getItem('pwned'))).toBeNull();
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).toContain('parseltongue-studio');
    expect(context.pages()).toHaveLength(1);
    await expect(studio.nodeCount).toHaveText(String(AXUM_NODES));

    // A plain DOT export gets its allow-listed type.
    await plugins.setParam('format', 'dot');
    const row = await plugins.runToEnd('expect-none');
    await expect(row.getByTestId('run-file')).toHaveAttribute('data-mime', 'text/vnd.graphviz');
  });

  test('a plugin from disk never inherits what the first-party plugin was given', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await plugins.choose('circle-layout');
    await expect(page.getByTestId('plugin-origin')).toHaveText('first-party build');
    const first = await plugins.runToEnd('allow');
    await expect(first.getByTestId('run-origin')).toHaveText('first-party build');
    // Running it again replays the kept result.
    const replay = await plugins.runToEnd('expect-none');
    await expect(replay.getByTestId('run-status')).toHaveText(/kept from an earlier run/);

    // The first-party name cannot be claimed from disk.
    await plugins.fileInput.setInputFiles([circleToml, circleWasm]);
    await expect(studio.errorBanner).toContainText('the name circle-layout belongs to a first-party plugin');
    await expect(plugins.chosen).toHaveText('circle-layout@0.1.0');
    await expect(page.getByTestId('plugin-origin')).toHaveText('first-party build');

    // The same module under another name is another plugin: it asks for consent again and does
    // not replay the first-party plugin's kept layout.
    const dir = mkdtempSync(join(tmpdir(), 'impostor-'));
    const toml = join(dir, 'plugin.toml');
    writeFileSync(toml, readFileSync(circleToml, 'utf8').replace('name = "circle-layout"', 'name = "circle-layout-copy"'));
    await page.getByTestId('error-dismiss').click();
    await plugins.chooseFiles(toml, circleWasm, 'circle-layout-copy@0.1.0');
    await expect(page.getByTestId('plugin-origin')).toHaveText('from disk (circle_layout.wasm)');
    const copy = await plugins.runToEnd('allow');
    await expect(copy.getByTestId('run-status')).toHaveText(`done: ${AXUM_NODES} positions`);
    await expect(copy.getByTestId('run-origin')).toHaveText('from disk (circle_layout.wasm)');
  });

  test('one choice allows the bundled plugins that only read and draw; a plugin from disk is still asked; the choice is kept and can be withdrawn', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await expect(page.getByTestId('bundled-consent')).not.toBeChecked();
    await plugins.choose('circle-layout');
    await plugins.run.click();
    await expect(plugins.consent).toBeVisible();
    await page.getByTestId('consent-allow-bundled').click();
    await expect(plugins.newest()).toHaveAttribute('data-state', 'finished');
    await expect(page.getByTestId('bundled-consent')).toBeChecked();
    // Another bundled read-and-draw plugin runs without a dialog.
    await plugins.choose('radial-layout');
    await plugins.runToEnd('expect-none');
    await expect(plugins.consent).toHaveCount(0);
    // A plugin from disk, even with the same module, is asked, with no bundled choice offered.
    const dir = mkdtempSync(join(tmpdir(), 'bundled-'));
    const toml = join(dir, 'plugin.toml');
    writeFileSync(toml, readFileSync(circleToml, 'utf8').replace('name = "circle-layout"', 'name = "circle-layout-copy"'));
    await plugins.chooseFiles(toml, circleWasm, 'circle-layout-copy@0.1.0');
    await plugins.run.click();
    await expect(plugins.consent).toBeVisible();
    await expect(page.getByTestId('consent-allow-bundled')).toHaveCount(0);
    await page.getByTestId('consent-deny').click();
    // Kept across a reload, in IndexedDB; withdrawn, the dialog is back.
    await page.reload();
    await studio.waitForGraph(1);
    await expect(page.getByTestId('bundled-consent')).toBeChecked();
    await plugins.choose('grouped-layout');
    await plugins.runToEnd('expect-none');
    await page.getByTestId('bundled-consent').uncheck();
    await plugins.choose('layered-layout');
    await plugins.run.click();
    await expect(plugins.consent).toBeVisible();
    await page.getByTestId('consent-deny').click();
  });

  test('a flood of bulk host calls pays fuel for the host\'s work: Cancel lands at once and the budget ends it', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await plugins.chooseFiles(hostileToml, hostileWasm, 'hostile@0.1.0');
    await plugins.setParam('mode', 'style-flood');
    await plugins.run.click();
    await page.getByTestId('consent-allow').click();
    const row = plugins.newest();
    await expect(row).toHaveAttribute('data-state', 'running');
    // Let it flood for a moment: fuel climbs, since every call pays for its 611 records.
    await expect.poll(async () => await row.getByTestId('run-status').innerText()).toMatch(/running: [1-9]\d* M fuel/);
    await row.getByTestId('plugin-cancel').click();
    await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 5_000 });
    await expect(row.getByTestId('run-status')).toHaveText('Cancelled: plugin hostile@0.1.0 was cancelled');
    // Under a budget, the flood runs out of fuel after a bounded number of host calls.
    await plugins.fuel.fill('200000000');
    const ended = await plugins.runToEnd('expect-none');
    await expect(ended.getByTestId('run-status')).toHaveText(/^OutOfFuel: plugin hostile@0.1.0 ran out of fuel after 200000000 units/);
    expect(Number(await ended.getByTestId('metric-host-calls').innerText())).toBeLessThan(200_000_000 / 7_000);
    await expect(studio.nodeCount).toHaveText(String(AXUM_NODES));
  });
});
