import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { StudioPage } from '../pages/studio';

const samples = join(__dirname, '..', '..', '..', 'shared', 'isg-samples');
const sample = (rel: string) => readFileSync(join(samples, rel));

// Raw counts from shared/isg-samples/README.md, independent of our loader.
const AXUM = { nodes: 611, edges: 842, Function: 496, Struct: 104, Trait: 11, Calls: 678, Uses: 157, Implements: 7 };

test.describe('app shell', () => {
  test('loads the bundled sample with no console errors and the right backend', async ({ page }, testInfo) => {
    // Before the app's WebAssembly has started (held back here), the page already says it is loading.
    await page.route('**/app-*_bg.wasm', async (route) => {
      await new Promise((r) => setTimeout(r, 500));
      await route.continue();
    });
    const studio = new StudioPage(page);
    const opened = studio.open('', testInfo);
    await expect(page.getByRole('status').filter({ hasText: 'Loading Parseltongue Studio' })).toBeVisible();
    await opened;
    await expect(page.locator('.boot')).toBeHidden();
    await expect(studio.page.getByTestId('source')).toHaveText('axum-0.8.3.json');
    await expect(studio.page.getByTestId('format')).toContainText('parseltongue v0.1.0 snapshot');
    expect(studio.consoleErrors).toEqual([]);
  });

  test('counts by kind match the sample', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    await expect(studio.nodeCount).toHaveText(String(AXUM.nodes));
    await expect(studio.edgeCount).toHaveText(String(AXUM.edges));
    for (const kind of ['Function', 'Struct', 'Trait'] as const) {
      expect(await studio.kindCount(kind)).toBe(AXUM[kind]);
    }
    for (const kind of ['Calls', 'Uses', 'Implements'] as const) {
      expect(await studio.kindCount(kind, 'edge')).toBe(AXUM[kind]);
    }
  });

  test('the canvas shows the graph in real pixels', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const px = await studio.canvasPixels();
    expect(px.width).toBeGreaterThan(400);
    // 611 nodes and 842 edges cover a visible share of the canvas in several colours
    // (blue functions, orange structs, purple traits, edge tints).
    expect(px.drawnFraction).toBeGreaterThan(0.02);
    expect(px.colours).toBeGreaterThan(20);
  });

  test('a bad file shows the error banner and the previous graph stays', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const before = await studio.canvasPixels();
    const truncated = sample('v0.1.0-snapshot/tokio-1.47.1.json').subarray(0, 5000);
    await studio.openFiles([{ name: 'tokio-truncated.json', buffer: truncated }]);
    await expect(studio.errorBanner).toBeVisible();
    await expect(studio.errorBanner).toContainText('tokio-truncated.json: the file is truncated: it ends at line');
    await expect(studio.nodeCount).toHaveText(String(AXUM.nodes));
    await expect(studio.canvas).toHaveAttribute('data-version', '1');
    const after = await studio.canvasPixels();
    expect(after.drawnFraction).toBeGreaterThan(before.drawnFraction * 0.8);

    await studio.openFiles([{ name: 'photo.png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) }]);
    await expect(studio.errorBanner).toContainText('photo.png: this is a binary file, not a JSON or TOON export');
    await page.getByTestId('error-dismiss').click();
    await expect(studio.errorBanner).toBeHidden();
    await expect(studio.nodeCount).toHaveText(String(AXUM.nodes));
  });

  test('an unreachable ?isg= URL explains itself', async ({ page }) => {
    const studio = new StudioPage(page);
    await page.goto('/?isg=samples/no-such-file.json');
    await expect(studio.errorBanner).toContainText('could not fetch samples/no-such-file.json: the server answered 404');
  });

  test('?isg= opens a pt02 pair, and files open by picker and by drag-and-drop', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('?isg=samples/axum-0.8.3.level01.entities.json&isg=samples/axum-0.8.3.level00.edges.json', testInfo);
    await expect(studio.page.getByTestId('format')).toContainText('v0.9.7 pt02');
    await expect(studio.page.getByTestId('resolution')).toContainText('edges resolved');

    await studio.openFiles([{ name: 'tokio-1.47.1.json', buffer: sample('v1-isg_data/tokio-1.47.1.json') }]);
    await studio.waitForGraph(2);
    await expect(studio.nodeCount).toHaveText('1878');
    await expect(studio.edgeCount).toHaveText('69');

    await studio.dropFile('axum-dropped.json', sample('v0.1.0-snapshot/axum-0.8.3.json').toString('utf8'));
    await studio.waitForGraph(3);
    await expect(studio.nodeCount).toHaveText(String(AXUM.nodes));
    await expect(studio.page.getByTestId('source')).toHaveText('axum-dropped.json');
  });

  test('search selects a node; its u64 hash is exact; clicking it on the canvas picks it', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    await studio.search.fill('kind');
    await expect(studio.results.first()).toContainText('kind');
    await studio.redrawAfter(() => studio.results.first().click());
    await expect(page.getByTestId('details-name')).toHaveText('kind');
    await expect(page.getByTestId('details-location')).toHaveText('src/extract/path/mod.rs');
    // 18433683515289761530 > 2^53: a JS number would have printed 18433683515289762000.
    await expect(page.getByTestId('details-hash')).toHaveText('18433683515289761530');

    // Selecting centres the node: a click on the canvas centre picks it again after clearing.
    await studio.canvas.press('Escape');
    await expect(page.getByTestId('details-name')).toBeHidden();
    const box = (await studio.canvas.boundingBox())!;
    await studio.canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect(page.getByTestId('details-name')).toHaveText('kind');
  });

  test('wheel zoom changes the picture and Fit restores it', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const fitted = await studio.canvasPixels();
    const box = (await studio.canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await studio.redrawAfter(() => page.mouse.wheel(0, -1500));
    const zoomed = await studio.canvasPixels();
    // Zoomed in, nodes are bigger and fewer edges cross the view: the drawn share changes clearly.
    expect(Math.abs(zoomed.drawnFraction - fitted.drawnFraction)).toBeGreaterThan(0.01);
    await studio.redrawAfter(() => page.getByTestId('fit-button').click());
    const refitted = await studio.canvasPixels();
    expect(Math.abs(refitted.drawnFraction - fitted.drawnFraction)).toBeLessThan(0.005);
  });

  test('a big graph parses in the graph worker: the page answers meanwhile, Cancel keeps the graph, and the next load works', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const progress = page.getByTestId('progress');
    await page.getByTestId('sample-select').selectOption({ label: 'crate registry, 179k nodes (v0.1.0 .gz)' });
    await expect(progress).toContainText('Parsing registry-full.json.gz', { timeout: 30_000 });
    // The page's own thread runs a script and comes back while the worker is still parsing.
    expect(await page.evaluate(() => document.querySelector('[data-testid="progress"]')?.textContent ?? '')).toContain('Parsing');
    await page.getByTestId('load-cancel').click();
    await expect(progress).toHaveCount(0);
    await page.waitForTimeout(1500);
    await expect(studio.canvas).toHaveAttribute('data-version', '1');
    await expect(studio.nodeCount).toHaveText(String(AXUM.nodes));
    await expect(studio.errorBanner).toHaveCount(0);
    // A fresh worker serves the next load.
    await page.getByTestId('sample-select').selectOption({ label: 'tokio 1.47.1 (v0.1.0 snapshot)' });
    await studio.waitForGraph(2);
    await expect(page.getByTestId('source')).toHaveText('tokio-1.47.1.json');
    expect(studio.consoleErrors).toEqual([]);
  });
});
