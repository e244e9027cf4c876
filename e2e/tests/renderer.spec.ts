import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { StudioPage } from '../pages/studio';

test.describe('renderer', () => {
  test('labels come from the glyph atlas; hover names the node under the pointer; search hits glow', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const stats = await studio.viewStats();
    expect(stats.labels).toBeGreaterThan(10);
    const labelled = await studio.canvasPixels();
    // Label text is the only near-white ink in the default look.
    expect(labelled.bright).toBeGreaterThan(300);

    // Select `kind` (centred), clear the selection, then hover the canvas centre.
    await studio.search.fill('kind');
    await studio.redrawAfter(() => studio.results.first().click());
    await studio.canvas.press('Escape');
    const box = (await studio.canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2 + 1);
    await expect(page.getByTestId('hover-card')).toContainText('kind');
    await page.mouse.move(box.x + 3, box.y + 3);
    await expect(page.getByTestId('hover-card')).toBeHidden();

    // A query with many hits draws them prominently: the picture changes while it stands.
    await studio.search.fill('');
    await studio.redrawAfter(() => studio.search.fill('into'));
    const hits = await studio.canvasPixels();
    expect(hits.drawn).not.toBe(labelled.drawn);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('shift-drag selects a box of nodes, and Zoom to selection frames them', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    await expect(page.getByTestId('zoom-selection')).toBeDisabled();
    const box = (await studio.canvas.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.keyboard.down('Shift');
    await page.mouse.move(cx - 60, cy - 60);
    await page.mouse.down();
    await page.mouse.move(cx, cy, { steps: 4 });
    await expect(page.getByTestId('selection-box')).toBeVisible();
    await studio.redrawAfter(async () => {
      await page.mouse.move(cx + 60, cy + 60, { steps: 4 });
      await page.mouse.up();
    });
    await page.keyboard.up('Shift');
    await expect(page.getByTestId('selection-box')).toBeHidden();
    await expect(page.getByTestId('details-name')).toBeVisible();
    await expect(page.getByTestId('zoom-selection')).toBeEnabled();
    const before = await studio.canvasPixels();
    await studio.redrawAfter(() => page.getByTestId('zoom-selection').click());
    const after = await studio.canvasPixels();
    expect(Math.abs(after.drawnFraction - before.drawnFraction)).toBeGreaterThan(0.01);
  });

  test('far out, a larger graph is drawn as module aggregates with module names; close in, as nodes', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
    await expect(studio.nodeCount).toHaveText('2869');
    const fitted = await studio.viewStats();
    await studio.wheelAtCentre(600, 2);
    await expect.poll(async () => (await studio.viewStats()).aggregates).toBe(1);
    const far = await studio.canvasPixels();
    // Close in on a busy file (the map leaves room between files): centre on a hub, zoom in.
    await studio.redrawAfter(() => studio.searchAndSelect('Runtime'));
    await studio.wheelAtCentre(-600, 5);
    await expect.poll(async () => (await studio.viewStats()).aggregates).toBe(0);
    const near = await studio.canvasPixels();
    expect(fitted.labels).toBeGreaterThan(0);
    // Far out the picture is a few module discs; close in, nodes and edges fill the view.
    expect(near.drawnFraction).toBeGreaterThan(far.drawnFraction + 0.05);
  });

  test('the minimap outlines the view and a click on it moves the view there', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const box = (await studio.canvas.boundingBox())!;
    // The minimap sits in the bottom-right corner: 180×130 CSS pixels, 12 device pixels in.
    const mini = { x: box.width - 200, y: box.height - 150, width: 200, height: 150 };
    await studio.wheelAtCentre(-400, 3);
    const framed = await studio.canvasPixels(mini);
    expect(framed.amber).toBeGreaterThan(20);
    const before = await studio.canvasPixels();
    await studio.redrawAfter(() => studio.canvas.click({ position: { x: box.width - 170, y: box.height - 120 } }));
    const after = await studio.canvasPixels();
    expect(Math.abs(after.drawn - before.drawn)).toBeGreaterThan(200);
    await studio.canvas.press('m');
    await studio.redrawAfter(() => studio.canvas.press('ArrowLeft'));
    expect((await studio.canvasPixels(mini)).amber).toBeLessThan(framed.amber / 4);
  });

  test('the view exports as a PNG at twice its size and as an SVG of what is on screen', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').selectOption('PNG 2×')]);
    expect(png.suggestedFilename()).toMatch(/^isg-view-\d+x\d+\.png$/);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    const canvas = await studio.canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect([width, height]).toEqual([canvas[0] * 2, canvas[1] * 2]);
    expect(bytes.length).toBeGreaterThan(50_000);
    await expect(page.getByTestId('export-png')).toBeEnabled();

    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const text = readFileSync((await svg.path())!, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    const shapes = (text.match(/<circle|<rect x|<polygon/g) ?? []).length;
    expect(shapes).toBeGreaterThan(500);
    // The labels drawn are the view's; the legend (its own group, last) adds its lines.
    const [picture, legend] = text.split('<g class="legend"');
    expect((picture.match(/<text /g) ?? []).length).toBe((await studio.viewStats()).labels);
    expect(legend).toContain('axum-0.8.3.json — 611 nodes, 842 edges');
    // The app keeps drawing after an export.
    await studio.redrawAfter(() => studio.canvas.press('ArrowUp'));
    expect(studio.consoleErrors).toEqual([]);
  });
});
