import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { StudioPage } from '../pages/studio';

const samples = join(__dirname, '..', '..', '..', 'shared', 'isg-samples');
const sample = (rel: string) => readFileSync(join(samples, rel));
const cors = { 'access-control-allow-origin': '*' };

test.describe('live parseltongue v1.7.2 server', () => {
  test('loads entities and every page of edges, following limit/offset', async ({ page }, testInfo) => {
    // A stand-in for `parseltongue pt08` serving the saved tokio responses, paging edges as the real server does.
    const entities = sample('v1.7.2-http/tokio-1.47.1.code-entities-list-all.json');
    const edges = JSON.parse(sample('v1.7.2-http/tokio-1.47.1.dependency-edges-list-all.json').toString()).data.edges;
    const requested: string[] = [];
    await page.route('http://pt-server.test/**', async (route) => {
      const url = new URL(route.request().url());
      requested.push(url.pathname + url.search);
      if (url.pathname === '/code-entities-list-all') {
        return route.fulfill({ body: entities, contentType: 'application/json', headers: cors });
      }
      if (url.pathname === '/dependency-edges-list-all') {
        const limit = Number(url.searchParams.get('limit'));
        const offset = Number(url.searchParams.get('offset'));
        const slice = edges.slice(offset, offset + limit);
        const data = { total_count: edges.length, returned_count: slice.length, limit, offset, edges: slice };
        return route.fulfill({ json: { success: true, endpoint: '/dependency-edges-list-all', data }, headers: cors });
      }
      return route.fulfill({ status: 404, headers: cors });
    });
    const studio = new StudioPage(page);
    await studio.open('?isg=http://pt-server.test/', testInfo);
    await expect(page.getByTestId('format')).toContainText('parseltongue v1.7.2 HTTP responses');
    // The same figures as loading the saved pair of files (isg/tests/expected/samples.json).
    await expect(studio.nodeCount).toHaveText('8351');
    await expect(studio.edgeCount).toHaveText('26107');
    expect(requested.filter((r) => r.startsWith('/dependency-edges-list-all'))).toEqual([
      '/dependency-edges-list-all?limit=20000&offset=0',
      '/dependency-edges-list-all?limit=20000&offset=20000',
    ]);
  });

  test('an unreachable server is named in the banner and the graph stays', async ({ page }, testInfo) => {
    await page.route('http://pt-down.test/**', (route) => route.abort('connectionrefused'));
    const studio = new StudioPage(page);
    await studio.open('', testInfo);
    await page.getByTestId('url-input').fill('http://pt-down.test:7777');
    await page.getByRole('button', { name: 'Open URL' }).click();
    await expect(studio.errorBanner).toContainText(
      'could not fetch http://pt-down.test:7777/code-entities-list-all: the server cannot be reached or does not allow cross-origin requests (CORS)',
    );
    await expect(studio.nodeCount).toHaveText('611');
  });
});

test('external placeholders can be hidden', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open('?isg=samples/axum-0.8.3.level01.entities.json&isg=samples/axum-0.8.3.level00.edges.json', testInfo);
  const shown = await studio.canvasPixels();
  await studio.redrawAfter(() => page.getByTestId('hide-external').check());
  const hidden = await studio.canvasPixels();
  // Most of this pt02 graph's callees are name-only placeholders; hiding them removes many nodes and edges.
  expect(hidden.drawnFraction).toBeLessThan(shown.drawnFraction * 0.9);
  await studio.redrawAfter(() => page.getByTestId('hide-external').uncheck());
  const again = await studio.canvasPixels();
  expect(Math.abs(again.drawnFraction - shown.drawnFraction)).toBeLessThan(0.005);
});

test('hubs above a degree threshold can be hidden, split into stubs, and shown whole again', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
  // Without the module map, and close enough that edges are drawn in full (far out the module
  // aggregates stand in for them): what hubs add is then in the pixels.
  await studio.redrawAfter(() => studio.canvas.press('o'));
  await studio.wheelAtCentre(-300, 1);
  await expect.poll(async () => (await studio.viewStats()).aggregates).toBe(0);
  // The pointer leaves, so no hover card comes and goes over the pixels.
  await page.mouse.move(0, 0);
  await expect(page.getByTestId('hover-card')).toHaveCount(0);
  const before = await studio.canvasPixels();
  await page.getByTestId('hub-threshold').fill('40');
  await page.getByTestId('hub-threshold').dispatchEvent('change');
  await studio.redrawAfter(() => page.getByTestId('hide-hubs').check());
  const hidden = Number((await page.getByTestId('hubs-hidden').innerText()).match(/\d+/)![0]);
  expect(hidden).toBeGreaterThan(0);
  expect(hidden).toBeLessThan(200);
  const without = await studio.canvasPixels();
  // Hubs and their many edges leave the picture.
  expect(without.drawnFraction).toBeLessThan(before.drawnFraction - 0.005);
  await studio.redrawAfter(() => page.getByTestId('hide-hubs').uncheck());
  const back = await studio.canvasPixels();
  expect(Math.abs(back.drawnFraction - before.drawnFraction)).toBeLessThan(0.003);

  // Split instead: the hubs stay, their edges shrink to stubs at the other ends.
  await page.getByTestId('hub-mode').selectOption('split');
  await studio.redrawAfter(() => page.getByTestId('hide-hubs').check());
  await expect(page.getByTestId('hubs-hidden')).toHaveText(` (${hidden} split)`);
  const split = await studio.canvasPixels();
  expect(split.drawnFraction).toBeLessThan(before.drawnFraction - 0.005);
  expect(split.drawnFraction).toBeGreaterThan(without.drawnFraction);
  // The SVG export draws the same stubs: many more short lines, and far less ink in lines.
  const lineLengths = async (): Promise<number[]> => {
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const text = readFileSync((await svg.path())!, 'utf8');
    return [...text.matchAll(/<line x1="([-\d.]+)" y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)"/g)].map((m) =>
      Math.hypot(Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])),
    );
  };
  const stubbed = await lineLengths();
  await studio.redrawAfter(() => page.getByTestId('hide-hubs').uncheck());
  const whole = await lineLengths();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const short = (xs: number[]) => xs.filter((x) => x <= 22.5).length;
  expect(short(stubbed)).toBeGreaterThan(short(whole) + 20);
  expect(sum(stubbed)).toBeLessThan(sum(whole) * 0.9);
});
