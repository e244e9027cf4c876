import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { FindingsPanel, PluginsPanel, SharePanel, StudioPage, pixelDifference, unexplainedControls } from '../pages/studio';

// Sharing: the single-file HTML report written in the app and by `ptstudio report`, opened from
// file:// with every request outside the file refused, compared with the app's picture; a diff
// report; deep links into the app and into a report, back and forward; damaged reports, bad
// links and a browser without a GPU API.
const root = join(__dirname, '..', '..');
const samples = join(root, '..', 'shared', 'isg-samples', 'v0.1.0-snapshot');

function ptstudio(args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'cli', '--', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** Refuses every request that is not the report file itself, and records them all. */
async function offline(context: BrowserContext): Promise<string[]> {
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return url.startsWith('file://') ? route.continue() : route.abort();
  });
  return requests;
}

/** Opens a report file in `page` and waits for its graph. */
async function openReport(page: Page, path: string, fragment = ''): Promise<StudioPage> {
  const report = new StudioPage(page);
  await page.goto(`file://${path}${fragment}`);
  await report.waitForGraph(1);
  await expect(page.getByTestId('report')).toHaveAttribute('data-first-picture-ms', /\d+/);
  return report;
}

test('a report written in the app opens from disk with no network and shows the same view', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const studio = new StudioPage(page);
  const plugins = new PluginsPanel(page);
  await studio.open('?isg=samples/axum-0.8.3.json', testInfo);
  for (const name of ['grouped-layout', 'module-colors', 'tangles']) {
    await plugins.choose(name);
    await expect(await plugins.runToEnd()).toHaveAttribute('data-state', 'finished');
  }
  await studio.searchAndSelect('Router');
  const selected = await page.getByTestId('details-name').innerText();
  await studio.quiet();
  const appPicture = await studio.canvas.screenshot();
  const appWarningsBefore = (await studio.canvasPixels()).warning;
  const path = testInfo.outputPath('axum-report.html');
  const status = await new SharePanel(page).writeReport(path, 'axum <script>alert(1)</script>', 'Look at <b>routing</b> first');
  expect(status).toMatch(/Report written in \d+ ms \([\d.]+ MB\)/);
  const html = readFileSync(path, 'utf8');
  expect(html).toContain('<title>axum &lt;script&gt;alert(1)&lt;/script&gt;</title>');
  expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src &apos;none&apos;/);

  // A fresh browser profile, offline, with the same window size.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = await offline(context);
  const reader = await context.newPage();
  const report = await openReport(reader, path);
  await expect(report.backend).toHaveText(String(testInfo.project.metadata.backend));
  expect(report.consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  expect(requests).toHaveLength(1);
  // What the author wrote, shown as text.
  await expect(reader.getByTestId('report-heading')).toHaveText('axum <script>alert(1)</script>');
  await expect(reader.getByTestId('report-notes')).toContainText('Look at <b>routing</b> first');
  await expect(reader.getByTestId('report-made')).toContainText('Parseltongue Studio');
  // Every control of the read-only studio explains itself.
  expect(await unexplainedControls(reader)).toEqual([]);
  // The same graph, style, selection and picture.
  await expect(report.nodeCount).toHaveText('611');
  await expect(reader.getByTestId('details-name')).toHaveText(selected);
  await expect(reader.getByTestId('legend')).toContainText('module-colors');
  const difference = await pixelDifference(reader, appPicture, await report.canvas.screenshot());
  console.log(`report vs app: ${(difference * 100).toFixed(1)}% of pixels differ`);
  expect(difference).toBeLessThan(0.06);
  // Search and select.
  await report.searchAndSelect('serve');
  await expect(reader.getByTestId('details-name')).not.toHaveText(selected);
  // Follow a finding: it selects its items and draws its edges in the warning colour.
  const findings = new FindingsPanel(reader);
  await expect(findings.count).toContainText('findings');
  await report.redrawAfter(() => findings.rows.first().getByRole('button').click());
  await expect(reader.getByTestId('details-name')).toHaveCount(1);
  expect((await report.canvasPixels()).warning).toBeGreaterThan(appWarningsBefore);
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);

  // A link into the report: the app's link to another node opens the report focused on it.
  await studio.searchAndSelect('MethodRouter');
  const target = await page.getByTestId('details-name').innerText();
  const link = await new SharePanel(page).link();
  const fragment = link.slice(link.indexOf('#'));
  const linked = await context.newPage();
  await openReport(linked, path, fragment);
  await expect(linked.getByTestId('details-name')).toHaveText(target);
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  await context.close();
});

test('the command line writes the report the app writes, and a diff report shows the changes', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const studio = new StudioPage(page);
  await studio.open('?isg=samples/axum-0.8.3.json', testInfo);
  const fromApp = testInfo.outputPath('app.html');
  await new SharePanel(page).writeReport(fromApp, 'axum', '');
  const fromCli = testInfo.outputPath('cli.html');
  ptstudio(['report', '--isg', join(samples, 'axum-0.8.3.json'), '--title', 'axum', '-o', fromCli]);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = await offline(context);
  const a = await openReport(await context.newPage(), fromApp);
  const b = await openReport(await context.newPage(), fromCli);
  await expect(b.nodeCount).toHaveText('611');
  await expect(b.edgeCount).toHaveText(await a.edgeCount.innerText());
  // Framed alike (the app's report keeps the author's camera; the CLI's fits the window).
  // A page in the background gets no animation frames: each is brought to the front to draw.
  await a.page.bringToFront();
  await a.redrawAfter(() => a.page.getByTestId('fit-button').click());
  const pictureA = await a.canvas.screenshot();
  await b.page.bringToFront();
  await b.redrawAfter(() => b.page.getByTestId('fit-button').click());
  const difference = await pixelDifference(a.page, pictureA, await b.canvas.screenshot());
  console.log(`CLI report vs app report: ${(difference * 100).toFixed(2)}% of pixels differ`);
  expect(difference).toBeLessThan(0.01);
  await a.page.close();
  await b.page.close();

  // A diff report: one item removed, one re-signed, one added.
  const base = JSON.parse(readFileSync(join(samples, 'axum-0.8.3.json'), 'utf8'));
  const changed = JSON.parse(JSON.stringify(base));
  const removed = changed.nodes.find((n: { name: string }) => n.name === 'into_make_service');
  changed.nodes = changed.nodes.filter((n: object) => n !== removed);
  changed.edges = changed.edges.filter((e: { from: unknown; to: unknown }) => e.from !== removed.hash && e.to !== removed.hash);
  const resigned = changed.nodes.find((n: { name: string }) => n.name === 'with_state');
  resigned.signature = `${resigned.signature} /* changed */`;
  changed.nodes.push({ hash: 424242, kind: 'Function', name: 'brand_new_route', signature: 'fn brand_new_route', file_path: 'src/routing/mod.rs', line: 0 });
  changed.edges.push({ from: 424242, to: resigned.hash, kind: 'Calls' });
  const changedFile = testInfo.outputPath('axum-changed.json');
  writeFileSync(changedFile, JSON.stringify(changed));
  const diffFile = testInfo.outputPath('diff.html');
  ptstudio(['report', '--base', join(samples, 'axum-0.8.3.json'), '--isg', changedFile, '-o', diffFile]);
  const d = await openReport(await context.newPage(), diffFile);
  // Both snapshots in one picture: the removed item is back beside the added one.
  await expect(d.nodeCount).toHaveText('612');
  await expect(d.page.getByTestId('report-made')).toContainText('1 nodes added, 1 removed');
  const legend = d.page.getByTestId('legend');
  await expect(legend).toContainText('added (1 nodes, 1 edges)');
  await expect(legend).toContainText('removed (1 nodes');
  await expect(legend).toContainText('re-signed (1 nodes)');
  await expect(new FindingsPanel(d.page).panel).toContainText('api-diff');
  await expect(new FindingsPanel(d.page).panel).toContainText('into_make_service');
  // The added item, selected, is drawn in the added colour.
  await d.searchAndSelect('brand_new_route');
  await expect(d.page.getByTestId('details-name')).toHaveText('brand_new_route');
  await d.redrawAfter(() => d.page.getByTestId('zoom-selection').click());
  // ADDED_RGBA of share::diff_picture.
  expect((await d.canvasPixels(undefined, [0x2e, 0xa0, 0x43])).counted).toBeGreaterThan(20);
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  await context.close();
});

test('a deep link opened in a fresh profile reproduces the view, and back and forward walk it', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const studio = new StudioPage(page);
  await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
  await studio.searchAndSelect('spawn_blocking');
  const first = await page.getByTestId('details-name').innerText();
  await studio.wheelAtCentre(-240, 2);
  await page.getByTestId('filter-role-tests').uncheck();
  await expect.poll(() => page.url()).toContain('#v1.');
  const link = await new SharePanel(page).link();
  expect(link.length - link.indexOf('#')).toBeLessThan(2048);
  const picture = await studio.canvas.screenshot();
  const shown = await studio.shown();

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fresh = new StudioPage(await context.newPage());
  await fresh.page.goto(link);
  await fresh.waitForGraph(1);
  await expect(fresh.nodeCount).toHaveText('2869');
  await expect(fresh.page.getByTestId('details-name')).toHaveText(first);
  await expect(fresh.page.getByTestId('filter-role-tests')).not.toBeChecked();
  expect(await fresh.shown()).toEqual(shown);
  await fresh.quiet();
  const difference = await pixelDifference(fresh.page, picture, await fresh.canvas.screenshot());
  console.log(`deep link vs original: ${(difference * 100).toFixed(2)}% of pixels differ`);
  expect(difference).toBeLessThan(0.02);

  // Back and forward through the view's history.
  const before = fresh.page.url();
  await fresh.searchAndSelect('block_on');
  const second = await fresh.page.getByTestId('details-name').innerText();
  expect(second).not.toBe(first);
  await expect.poll(() => fresh.page.url()).not.toBe(before);
  await fresh.page.goBack();
  await expect(fresh.page.getByTestId('details-name')).toHaveText(first);
  await fresh.page.goForward();
  await expect(fresh.page.getByTestId('details-name')).toHaveText(second);
  await context.close();
});

test('damaged reports, bad links and a browser without a GPU API are told apart in words', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const studio = new StudioPage(page);
  // A malformed fragment is ignored with a notice; the graph opens.
  await studio.open('#v1.this-is-not-a-view', testInfo);
  await expect(page.getByTestId('notice-text')).toContainText("The link's view was ignored");
  await expect(studio.nodeCount).toHaveText('611');
  // A fragment naming a plugin this app does not have: said, and the rest is shown.
  const fragment = await page.evaluate(async () => {
    const json = JSON.stringify({ q: 'Router', lay: { n: 'no-such-layout' } });
    const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return `v1.${btoa(text).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')}`;
  });
  await page.goto(`/#${fragment}`);
  await studio.waitForGraph(1);
  await expect(page.getByTestId('notice-text')).toContainText('no-such-layout');
  await expect(page.getByTestId('notice-text')).toContainText('not available');
  await expect(studio.search).toHaveValue('Router');

  const path = testInfo.outputPath('good.html');
  ptstudio(['report', '--isg', join(samples, 'axum-0.8.3.json'), '-o', path]);
  const html = readFileSync(path, 'utf8');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await offline(context);
  // Its payload edited: the viewer starts and names the problem.
  const payloadAt = html.indexOf('id="pt-report">') + 'id="pt-report">'.length;
  const edited = testInfo.outputPath('edited.html');
  writeFileSync(edited, html.slice(0, payloadAt + 500) + html.slice(payloadAt + 600));
  const e = await context.newPage();
  await e.goto(`file://${edited}`);
  await expect(e.getByTestId('error-text')).toContainText('This report cannot be opened');
  // Cut short (a download that stopped): the page says so instead of staying blank.
  const cut = testInfo.outputPath('cut.html');
  writeFileSync(cut, html.slice(0, Math.floor(html.length * 0.7)));
  const c = await context.newPage();
  await c.goto(`file://${cut}`);
  await expect(c.locator('#pt-boot')).toContainText('This report cannot be opened');
  // No WebGPU and no WebGL2: the report says so.
  const nogpu = await context.newPage();
  await nogpu.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    HTMLCanvasElement.prototype.getContext = () => null;
  });
  await nogpu.goto(`file://${path}`);
  await expect(nogpu.getByTestId('backend-error')).toBeVisible();
  await expect(nogpu.getByTestId('backend-error')).toContainText(/WebGL|WebGPU/);
  await context.close();
});
