import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PluginsPanel, StudioPage, unexplainedControls } from '../pages/studio';

// Expectations come from the raw exports in shared/isg-samples, computed here with plain rules,
// independently of the app's own code.
interface RawNode {
  hash: number | string;
  name: string;
  kind: string;
  file_path: string;
}
interface RawEdge {
  from: number | string;
  to: number | string;
  kind: string;
}
const samples = join(__dirname, '..', '..', '..', 'shared', 'isg-samples', 'v0.1.0-snapshot');
// Hashes are u64: keep them as strings so none is rounded.
const readSample = (file: string): { nodes: RawNode[]; edges: RawEdge[] } =>
  JSON.parse(readFileSync(join(samples, file), 'utf8').replace(/("(?:hash|from|to)":\s*)(\d+)/g, '$1"$2"'));

const isTestPath = (p: string) => {
  const parts = p.split('/').filter((x) => x && x !== '.');
  const file = parts.pop() ?? '';
  if (parts.some((x) => x === 'tests' || x === 'test')) return true;
  const stem = file.replace(/\.rs$/, '');
  return stem === 'tests' || stem === 'test' || stem.endsWith('_test') || stem.endsWith('_tests');
};

test.describe('exploring: filters, focus, undo, shortcuts', () => {
  test('filters by role and edge kind change the counts and the pixels, narrow search, and undo brings them back', async ({ page }, testInfo) => {
    const tokio = readSample('tokio-1.47.1.json');
    const studio = new StudioPage(page);
    await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
    const selfLoops = tokio.edges.filter((e) => e.from === e.to).length;
    expect(await studio.shown()).toEqual({ nodes: 2869, nodesTotal: 2869, edges: 7222 - selfLoops, edgesTotal: 7222 });
    const before = await studio.canvasPixels();

    const src = new Set(tokio.nodes.filter((n) => !isTestPath(n.file_path)).map((n) => n.hash));
    await studio.redrawAfter(() => page.getByTestId('filter-role-tests').uncheck());
    await studio.expectShownNodes(src.size);
    const withoutTests = await studio.canvasPixels();
    expect(Math.abs(withoutTests.drawnFraction - before.drawnFraction)).toBeGreaterThan(0.003);

    await studio.redrawAfter(() => page.getByTestId('filter-edge-Calls').uncheck());
    const expectedEdges = tokio.edges.filter((e) => e.kind !== 'Calls' && e.from !== e.to && src.has(e.from) && src.has(e.to)).length;
    await expect.poll(async () => (await studio.shown()).edges).toBe(expectedEdges);
    const withoutCalls = await studio.canvasPixels();
    expect(withoutCalls.drawnFraction).toBeLessThan(withoutTests.drawnFraction);

    // Search offers only what is drawn: no test code.
    await studio.search.fill('runtime');
    await expect(studio.results.first()).toBeVisible();
    const files = await page.locator('[data-testid="search-result"] .file').allInnerTexts();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(isTestPath(f), f).toBe(false);
    await studio.redrawAfter(() => studio.search.fill(''));

    // Undo twice: the edges, then the tests come back, and the controls follow.
    await studio.redrawAfter(() => page.getByTestId('undo').click());
    await expect(page.getByTestId('filter-edge-Calls')).toBeChecked();
    await studio.expectShownNodes(src.size);
    await studio.redrawAfter(() => page.keyboard.press('Control+z'));
    await expect(page.getByTestId('filter-role-tests')).toBeChecked();
    await studio.expectShownNodes(2869);
    const back = await studio.canvasPixels();
    expect(Math.abs(back.drawnFraction - before.drawnFraction)).toBeLessThan(0.003);
    // Redo puts the test filter back.
    await studio.redrawAfter(() => page.getByTestId('redo').click());
    await studio.expectShownNodes(src.size);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('a module filter keeps one folder, and the kind filter composes with it', async ({ page }, testInfo) => {
    const tokio = readSample('tokio-1.47.1.json');
    const studio = new StudioPage(page);
    await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
    await page.getByTestId('filter-module').fill('src/sync');
    await studio.redrawAfter(() => page.getByTestId('filter-module').press('Enter'));
    const inSync = tokio.nodes.filter((n) => n.file_path.startsWith('src/sync/'));
    await studio.expectShownNodes(inSync.length);
    await studio.redrawAfter(() => page.getByTestId('filter-node-Function').uncheck());
    await studio.expectShownNodes(inSync.filter((n) => n.kind !== 'Function').length);
    await studio.redrawAfter(() => page.getByTestId('filters-reset').click());
    await studio.expectShownNodes(2869);
    await expect(page.getByTestId('filter-module')).toHaveValue('');
  });

  test('expanding callers adds exactly the callers, level by level; a neighbourhood and a path show exactly theirs', async ({ page }, testInfo) => {
    const axum = readSample('axum-0.8.3.json');
    const byName = (name: string) => axum.nodes.filter((n) => n.name === name);
    const callersOf = (set: Set<string | number>) =>
      new Set(axum.edges.filter((e) => e.kind === 'Calls' && set.has(e.to)).map((e) => e.from));
    const studio = new StudioPage(page);
    await studio.open('', testInfo);

    const [target] = byName('next_field');
    expect(byName('next_field')).toHaveLength(1);
    await studio.searchAndSelect('next_field');
    await expect(page.getByTestId('details')).toContainText('next_field');
    const first = callersOf(new Set([target.hash]));
    first.delete(target.hash);
    await studio.redrawAfter(() => page.getByTestId('focus-callers').click());
    await studio.expectShownNodes(1 + first.size);
    const seen = new Set([target.hash, ...first]);
    const second = [...callersOf(first)].filter((h) => !seen.has(h));
    await studio.redrawAfter(() => page.getByTestId('focus-callers').click());
    await studio.expectShownNodes(seen.size + second.length);
    await expect(page.getByTestId('focus-description')).toContainText('2 level(s) of callers');
    await studio.redrawAfter(() => page.getByTestId('focus-clear').click());
    await studio.expectShownNodes(611);

    // Neighbours within one step, both ways.
    const neighbours = new Set<string | number>([target.hash]);
    for (const e of axum.edges) {
      if (e.from === target.hash) neighbours.add(e.to);
      if (e.to === target.hash) neighbours.add(e.from);
    }
    await studio.redrawAfter(() => page.getByTestId('focus-neighbourhood').click());
    await studio.expectShownNodes(neighbours.size);
    await studio.redrawAfter(() => page.getByTestId('focus-clear').click());

    // A path between two nodes: breadth-first over the raw edges, caller to callee.
    const [a] = byName('serve');
    const path = (from: string | number, to: string | number, directed: boolean): number => {
      const dist = new Map([[from, 1]]);
      const queue = [from];
      while (queue.length) {
        const at = queue.shift()!;
        if (at === to) return dist.get(at)!;
        for (const e of axum.edges) {
          const next = e.from === at ? e.to : !directed && e.to === at ? e.from : undefined;
          if (next !== undefined && !dist.has(next)) {
            dist.set(next, dist.get(at)! + 1);
            queue.push(next);
          }
        }
      }
      return 0;
    };
    expect(byName('serve')).toHaveLength(1);
    await studio.searchAndSelect('serve');
    await studio.searchAndSelect('next_field', true);
    await expect(page.getByTestId('focus-path')).toBeEnabled();
    const length = path(a.hash, target.hash, true) || path(target.hash, a.hash, true) || path(a.hash, target.hash, false);
    expect(length).toBeGreaterThan(1);
    await studio.redrawAfter(() => page.getByTestId('focus-path').click());
    await studio.expectShownNodes(length);
    await expect(page.getByTestId('focus-description')).toContainText(`a path of ${length} nodes`);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('undo restores the previous layout and redo applies it again', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    const before = await studio.canvasPixels();
    await plugins.choose('circle-layout');
    await studio.redrawAfter(async () => {
      const row = await plugins.runToEnd();
      await expect(row).toHaveAttribute('data-state', 'finished');
    });
    await page.waitForTimeout(900);
    const circle = await studio.canvasPixels();
    expect(Math.abs(circle.drawnFraction - before.drawnFraction)).toBeGreaterThan(0.003);
    await studio.redrawAfter(() => page.getByTestId('undo').click());
    await page.waitForTimeout(700);
    const back = await studio.canvasPixels();
    expect(Math.abs(back.drawnFraction - before.drawnFraction)).toBeLessThan(0.003);
    await studio.redrawAfter(() => page.getByTestId('redo').click());
    await page.waitForTimeout(700);
    const again = await studio.canvasPixels();
    expect(Math.abs(again.drawnFraction - circle.drawnFraction)).toBeLessThan(0.003);
  });

  test('every control explains itself, ? shows the shortcuts, and Esc works wherever the focus is', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await studio.searchAndSelect('Router');
    await plugins.choose('force-layout');
    // Parameters carry the manifest's labels and help.
    await expect(page.getByTestId('param-label-theta')).toContainText('Accuracy (Barnes–Hut θ)');
    await expect(page.getByTestId('param-label-theta')).toContainText('smaller is more exact');
    expect(await unexplainedControls(page)).toEqual([]);

    await page.getByTestId('graph-canvas').focus();
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts-sheet')).toBeVisible();
    await expect(page.getByTestId('shortcuts-sheet')).toContainText('Ctrl+Z');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts-sheet')).toHaveCount(0);
    // Esc from the search box clears the selection too.
    await expect(page.getByTestId('details')).toContainText('Router');
    await studio.search.focus();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('zoom-selection')).toBeDisabled();
    expect(studio.consoleErrors).toEqual([]);
  });

  test('the legend names what is drawn, follows a renderer plugin, and goes into PNG and SVG exports with a title', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    const legend = page.getByTestId('legend');
    await expect(legend).toBeVisible();
    await expect(legend).toContainText('axum-0.8.3.json — 611 nodes, 842 edges');
    for (const entry of ['Function (496)', 'Struct (104)', 'Trait (11)', 'Calls (678)', 'Uses (157)', 'Implements (7)']) {
      await expect(page.getByTestId('legend-entry').filter({ hasText: entry })).toHaveCount(1);
    }
    await expect(legend).toContainText('Arrowheads point at the callee');

    // The PNG carries the legend in its top-left corner: its dark panel with bright title text,
    // over a part of the view that is otherwise background.
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').selectOption('PNG 1×')]);
    const b64 = readFileSync((await png.path())!).toString('base64');
    const corner = await page.evaluate(async (data) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.width, img.height];
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, 300, 40).data;
      let bright = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200) bright++;
      return { bright, scale: window.devicePixelRatio };
    }, b64);
    // The buttons over the view's top edge are not the canvas: hide them while measuring it.
    const overlay = page.locator('.graph-view .overlay');
    await overlay.evaluate((e) => ((e as HTMLElement).style.visibility = 'hidden'));
    const onScreen = await studio.canvasPixels({ x: 0, y: 0, width: 300, height: 40 });
    await overlay.evaluate((e) => ((e as HTMLElement).style.visibility = ''));
    expect(corner.bright).toBeGreaterThan(onScreen.bright + 60);

    // A renderer plugin brings its own key, and the SVG export carries it.
    await plugins.choose('hotspots');
    await studio.redrawAfter(async () => {
      await plugins.runToEnd();
    });
    await expect(legend).toContainText('Styled by hotspots@');
    await expect(legend).toContainText('callers and users');
    await expect(page.getByTestId('legend-entry')).toHaveCount(4);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const text = readFileSync((await svg.path())!, 'utf8');
    const part = text.split('<g class="legend"')[1] ?? '';
    expect(part).toContain('axum-0.8.3.json — 611 nodes, 842 edges');
    expect(part).toContain('Styled by hotspots@');
    expect((part.match(/<text /g) ?? []).length).toBeGreaterThanOrEqual(6);
    // Back to the default look, back to the default legend.
    await studio.redrawAfter(() => page.getByTestId('reset-style').click());
    await expect(page.getByTestId('legend-entry').filter({ hasText: 'Function (496)' })).toHaveCount(1);
    expect(studio.consoleErrors).toEqual([]);
  });
});
