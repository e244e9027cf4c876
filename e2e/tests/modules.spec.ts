import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { StudioPage } from '../pages/studio';

// The module map, judged against the raw export: names are computed here from the file paths,
// independently of the app's own code.
const samples = join(__dirname, '..', '..', '..', 'shared', 'isg-samples', 'v0.1.0-snapshot');
const tokio: { nodes: { name: string; file_path: string }[] } = JSON.parse(
  readFileSync(join(samples, 'tokio-1.47.1.json'), 'utf8').replace(/("(?:hash|from|to)":\s*)(\d+)/g, '$1"$2"'),
);
const segments = new Set(tokio.nodes.flatMap((n) => n.file_path.split('/').filter((s) => s && s !== '.')));
const itemNames = new Set(tokio.nodes.map((n) => n.name));

/** The view as SVG, split into its drawing (overlays, edges, nodes, labels) and its legend. */
async function exportSvg(page: Page): Promise<{ texts: string[]; boxes: number[][]; triangles: number; legend: string }> {
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const text = readFileSync((await svg.path())!, 'utf8');
  const [view, legend = ''] = text.split('<g class="legend"');
  const overlays = view.split('<g id="overlays">')[1]?.split('</g>')[0] ?? '';
  const found = [...view.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)" font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)];
  const texts = found.map((m) => m[4].replace(/&amp;/g, '&'));
  // The bundled font is monospace with an advance of 0.6 em; y is the baseline. Boxes are shrunk
  // by a pixel so that touching is not overlapping.
  const boxes = found.map((m) => {
    const [x, y, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return [x + 1, y - size * 0.8 + 1, x + [...texts[found.indexOf(m)]].length * 0.6 * size - 1, y + size * 0.2 - 1];
  });
  return { texts, boxes, triangles: (overlays.match(/<polygon /g) ?? []).length, legend };
}

/** True when every part of a label is a folder or file name of the export. */
const isModuleName = (label: string) => label.split('/').every((part) => segments.has(part));

test.describe('the module map', () => {
  test('tokio opens as named rings of its crates and folders; closer in, items are named; o and the Modules button turn the map off and on', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
    await expect(studio.nodeCount).toHaveText('2869');

    // At fit: rings, and every name drawn is a folder or file of tokio, among them the crate's
    // two halves and its biggest folders.
    const fit = await exportSvg(page);
    expect(fit.triangles).toBeGreaterThan(200);
    expect(fit.texts.length).toBeGreaterThanOrEqual(8);
    expect(fit.texts.filter((t) => !isModuleName(t))).toEqual([]);
    for (const name of ['src', 'tests', 'runtime', 'sync']) expect(fit.texts).toContain(name);
    await expect(page.getByTestId('legend')).toContainText('Rings are crates, folders and files');
    const withMap = await studio.canvasPixels();

    // Closer in on a busy file: items are named, and the file keeps its name.
    await studio.redrawAfter(() => studio.searchAndSelect('Runtime'));
    await studio.wheelAtCentre(-400, 6);
    const near = await exportSvg(page);
    const items = near.texts.filter((t) => itemNames.has(t) && !segments.has(t));
    expect(items.length).toBeGreaterThan(5);
    expect(near.texts.some((t) => t.endsWith('.rs'))).toBe(true);

    // o turns the map off: no rings, no module names, and the legend says nothing of rings.
    await studio.redrawAfter(() => studio.canvas.press('f'));
    await studio.redrawAfter(() => studio.canvas.press('o'));
    const off = await exportSvg(page);
    expect(off.triangles).toBe(0);
    expect(off.texts.filter((t) => ['runtime', 'sync', 'tests'].includes(t) && !itemNames.has(t))).toEqual([]);
    await expect(page.getByTestId('legend')).not.toContainText('Rings are crates');
    const withoutMap = await studio.canvasPixels();
    expect(withoutMap.colours).not.toBe(withMap.colours);

    // The button brings it back, and says so.
    const button = page.getByTestId('toggle-modules');
    await expect(button).toHaveAttribute('title', /module map/);
    await expect(button).toHaveAttribute('aria-pressed', 'false');
    await studio.redrawAfter(() => button.click());
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    expect((await exportSvg(page)).triangles).toBeGreaterThan(200);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('the registry reads as crates: at fit the biggest crates are named by their folder, and no name overlaps another', async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const studio = new StudioPage(page);
    await studio.open('?isg=samples/registry-full.json.gz', testInfo);
    await expect(studio.nodeCount).toHaveText('179427');
    const fit = await exportSvg(page);
    // Crate folders are named `name-version`: the biggest ones are there.
    for (const crate of ['windows-0.62.2', 'windows-sys-0.61.2', 'tokio-1.54.1']) expect(fit.texts).toContain(crate);
    expect(fit.texts.filter((t) => /^[A-Za-z0-9_.+-]+-\d+\.\d+\.\d+/.test(t)).length).toBeGreaterThanOrEqual(10);
    const overlapping = fit.boxes.flatMap((a, i) =>
      fit.boxes.slice(i + 1).filter((b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]).map((b) => [fit.texts[i], b]),
    );
    expect(overlapping).toEqual([]);
    expect(studio.consoleErrors).toEqual([]);
  });
});
