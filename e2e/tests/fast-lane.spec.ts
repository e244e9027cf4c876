import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HOSTILE_CASES, PluginsPanel, StudioPage, pixelDifference } from '../pages/studio';

const repo = join(__dirname, '..', '..');
// Built from source by the trunk build's pre_build hook (public/bundle-plugins.sh), never committed.
const hostileWasm = join(repo, 'target', 'plugins', 'wasm32-unknown-unknown', 'release', 'hostile.wasm');
const hostileToml = join(repo, 'plugins', 'hostile', 'plugin.toml');
const AXUM_NODES = 611;
const FAST = 'fast lane: trusted by you: compiled by the engine, with fuel metering injected';

test.describe('fast lane', () => {
  test('a trusted hostile plugin on the browser engine ends in the interpreter\'s typed errors; Cancel ends its worker and a fresh one runs the next', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await plugins.chooseFiles(hostileToml, hostileWasm, 'hostile@0.1.0');
    await plugins.trusted.check();

    const cases: [string, string | null, RegExp][] = [
      ...HOSTILE_CASES,
      ['style-flood', '200000000', /^OutOfFuel: plugin hostile@0.1.0 ran out of fuel after 200000000 units/],
    ];
    await plugins.expectFailures(cases, async (row) => await expect(row.getByTestId('run-lane')).toHaveText(FAST));

    // An endless loop under the whole budget: the worker is busy, so Cancel ends it at once.
    await plugins.setParam('mode', 'spin');
    await plugins.fuel.fill('');
    await plugins.run.click();
    const spinning = plugins.newest();
    await expect(spinning).toHaveAttribute('data-state', 'running');
    await page.waitForTimeout(300);
    const asked = Date.now();
    await spinning.getByTestId('plugin-cancel').click();
    await expect(spinning).toHaveAttribute('data-state', 'failed', { timeout: 2_000 });
    expect(Date.now() - asked).toBeLessThan(2_000);
    await expect(spinning.getByTestId('run-status')).toHaveText(/^Cancelled: plugin hostile@0.1.0 was cancelled/);

    // A fresh worker took its place: the next run works, in the fast lane.
    await plugins.setParam('mode', 'behave');
    const fine = await plugins.runToEnd('expect-none');
    await expect(fine).toHaveAttribute('data-state', 'finished');
    await expect(fine.getByTestId('finding')).toHaveText(`Info: ${AXUM_NODES} nodes, 842 edges`);
    await expect(fine.getByTestId('run-lane')).toHaveText(FAST);

    // Untrusted again: the interpreter, and it says why.
    await plugins.trusted.uncheck();
    const slow = await plugins.runToEnd('expect-none');
    await expect(slow.getByTestId('run-lane')).toHaveText('interpreter (wasmi): not marked trusted: untrusted plugins run in the interpreter');

    // The graph and the page are intact; the audit trail names the lane.
    await expect(studio.nodeCount).toHaveText(String(AXUM_NODES));
    await expect(studio.errorBanner).toHaveCount(0);
    expect((await studio.canvasPixels()).drawnFraction).toBeGreaterThan(0.02);
    await plugins.audit.locator('summary').click();
    await expect(plugins.audit.getByTestId('audit-event').filter({ hasText: 'lane: fast lane' }).first()).toBeAttached();
    expect(studio.consoleErrors).toEqual([]);

    // The mark is kept with the plugin's grants: after a reload the same bytes are still trusted,
    // and forgetting the grants forgets it too. Each is said in the trail once IndexedDB has it;
    // a reload before then would lose it.
    const marks = plugins.audit.getByTestId('audit-event').filter({ hasText: 'marked trusted: runs in the fast lane' });
    const before = await marks.count();
    await plugins.trusted.check();
    await expect(marks).toHaveCount(before + 1);
    await studio.open('', testInfo);
    await plugins.chooseFiles(hostileToml, hostileWasm, 'hostile@0.1.0');
    await expect(plugins.trusted).toBeChecked();
    await plugins.audit.locator('summary').click();
    const revoked = plugins.audit.getByTestId('audit-event').filter({ hasText: 'revoked its grants and trust' });
    await page.getByTestId('plugin-revoke').click();
    await expect(plugins.trusted).not.toBeChecked();
    await expect(revoked).toHaveCount(1);
    await studio.open('', testInfo);
    await plugins.chooseFiles(hostileToml, hostileWasm, 'hostile@0.1.0');
    await expect(plugins.trusted).not.toBeChecked();
  });

  test('a trusted layout draws the same picture as in the interpreter, with its progress streamed', async ({ browser }, testInfo) => {
    const pictures: Buffer[] = [];
    for (const trusted of [false, true]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const studio = new StudioPage(page);
      const plugins = new PluginsPanel(page);
      await studio.open('', testInfo);
      await plugins.choose('force-layout');
      if (trusted) await plugins.trusted.check();
      const row = await plugins.runToEnd();
      await expect(row).toHaveAttribute('data-state', 'finished');
      await expect(row.getByTestId('run-status')).toHaveText(`done: ${AXUM_NODES} positions`);
      await expect(row.getByTestId('run-lane')).toContainText(trusted ? 'fast lane' : 'interpreter');
      // Positions glide in over 600 ms; wait until the picture holds still.
      await page.waitForTimeout(900);
      await studio.redrawAfter(() => studio.canvas.press('ArrowUp'));
      await studio.redrawAfter(() => studio.canvas.press('ArrowDown'));
      pictures.push(await studio.canvas.screenshot());
      expect(studio.consoleErrors).toEqual([]);
      await context.close();
    }
    const reader = await browser.newPage();
    expect(await pixelDifference(reader, pictures[0], pictures[1])).toBe(0);
    await reader.close();
  });

  test('a long trusted layout streams progress and intermediate pictures, and Cancel stops it at once', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
    await expect(studio.nodeCount).toHaveText('2869');
    const row = await plugins.startEndlessLayout(true);
    const status = row.getByTestId('run-status');
    // Progress keeps coming while the worker is inside the one call, and so do pictures.
    const seen = await status.innerText();
    await expect.poll(async () => await status.innerText()).not.toBe(seen);
    // The canvas redraws with no input: intermediate positions arrived.
    await studio.redrawAfter(async () => {});
    await expect(row).toHaveAttribute('data-state', 'running');
    await row.getByTestId('plugin-cancel').click();
    await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 2_000 });
    await expect(status).toHaveText(/^Cancelled: plugin force-layout@0.1.0 was cancelled/);
    await expect(studio.nodeCount).toHaveText('2869');
    expect(studio.consoleErrors).toEqual([]);
  });
});
