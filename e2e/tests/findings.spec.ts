import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { FindingsPanel, PluginsPanel, StudioPage } from '../pages/studio';

// The findings panel on tokio after three analyses: one list across runs, its filters and sorts,
// the metric table, the plots (one dot per module, bars per community), a click selecting what a
// row, dot or bar stands for, and the reports (SARIF checked against the published schema).
const root = join(__dirname, '..', '..');
const tokio = JSON.parse(readFileSync(join(root, '..', 'shared', 'isg-samples', 'v0.1.0-snapshot', 'tokio-1.47.1.json'), 'utf8'));
const tokioFiles = new Set<string>(tokio.nodes.map((n: { file_path: string }) => n.file_path));

test('the findings of several analyses in one list, with a metric table and plots that select', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const studio = new StudioPage(page);
  const plugins = new PluginsPanel(page);
  const findings = new FindingsPanel(page);
  await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
  await expect(studio.nodeCount).toHaveText('2869');
  await expect(page.getByTestId('findings-empty')).toBeVisible();
  let perRun = 0;
  for (const [name, params] of [['tangles', {}], ['module-metrics', { min_nodes: '1' }], ['communities', {}]] as const) {
    await plugins.choose(name);
    for (const [key, value] of Object.entries(params)) {
      await plugins.setParam(key, value);
    }
    const row = await plugins.runToEnd();
    await expect(row).toHaveAttribute('data-state', 'finished');
    perRun += await row.getByTestId('finding').count();
  }
  // One list holding every run's findings.
  await expect(findings.count).toHaveText(new RegExp(`^${perRun} findings`));
  // Filters: a plugin, a severity, a file, text.
  await findings.choose('plugin', 'module-metrics');
  const metricsOnly = await findings.rows.count();
  expect(metricsOnly).toBeGreaterThan(1);
  await expect(findings.rows.first()).toContainText('module-metrics:');
  await findings.choose('plugin', '');
  await findings.choose('severity', 'warning');
  const severities = await findings.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-severity')));
  expect(severities.length).toBeGreaterThan(0);
  expect(severities.every((s) => s === 'warning' || s === 'error')).toBe(true);
  await findings.choose('severity', '');
  const file = await page.getByTestId('findings-module').locator('option').nth(1).getAttribute('value');
  await findings.choose('module', file!);
  expect(await findings.rows.count()).toBeLessThan(perRun);
  await findings.choose('module', '');
  await page.getByTestId('findings-text').fill('zone of pain');
  await expect(findings.rows.first()).toContainText('zone of pain');
  await page.getByTestId('findings-text').fill('');
  // Sorted by size: items per finding never grow down the list.
  await findings.choose('sort', 'items');
  const sizes = await findings.rows.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-nodes') ?? 0)));
  expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  // A click on a row selects and frames its items.
  const before = await studio.canvas.screenshot();
  await studio.redrawAfter(() => findings.rows.first().getByRole('button').click());
  await expect(page.getByTestId('details-name')).toHaveCount(1);
  expect((await studio.canvas.screenshot()).equals(before)).toBe(false);

  // The newest run with metrics is communities (per item); module-metrics' table is by module.
  await page.getByTestId('metrics-run').selectOption({ label: 'module-metrics@0.1.0' });
  await expect(findings.table).toHaveAttribute('data-level', 'module');
  await expect(page.getByTestId('metrics-caption')).toHaveText(`${tokioFiles.size} modules; the 40 shown`);
  // Sorted by Ca (the first column), highest first; a second click reverses it.
  const ca = await findings.columnValues(0);
  expect(ca).toEqual([...ca].sort((a, b) => b - a));
  await findings.table.getByTestId('metrics-sort').first().click();
  const reversed = await findings.columnValues(0);
  expect(reversed).toEqual([...reversed].sort((a, b) => a - b));

  // The main sequence: one dot per module of the export, a click selects that module's items.
  const scatter = findings.plot('plot-main-sequence');
  await expect(scatter.getByTestId('plot-dot')).toHaveCount(tokioFiles.size);
  const dot = scatter.getByTestId('plot-dot').first();
  const dotFile = (await dot.locator('title').textContent())!.split(':')[0];
  expect(tokioFiles.has(dotFile)).toBe(true);
  await studio.redrawAfter(() => dot.dispatchEvent('click'));
  await expect(page.getByTestId('details-location')).toContainText(dotFile);
  // Degree distribution and community sizes are drawn; a community's bar selects its items.
  await expect(findings.plot('plot-degrees').getByTestId('plot-bar').first()).toBeVisible();
  const bars = findings.plot('plot-communities').getByTestId('plot-bar');
  expect(await bars.count()).toBeGreaterThan(1);
  const biggest = Number(await bars.first().getAttribute('data-nodes'));
  await studio.redrawAfter(() => bars.first().dispatchEvent('click'));
  await expect(page.getByTestId('zoom-selection')).toHaveAttribute('data-selected', String(biggest));

  // Reports: JSON with the plots, SARIF the published schema accepts.
  const json = page.waitForEvent('download');
  await page.getByTestId('findings-export-json').click();
  const report = JSON.parse(readFileSync((await (await json).path())!, 'utf8'));
  expect(report.plugins.map((p: { plugin: string }) => p.plugin)).toEqual(['tangles@0.1.0', 'module-metrics@0.1.0', 'communities@0.1.0']);
  expect(Object.keys(report.plots).sort()).toEqual(['plot-communities', 'plot-degrees', 'plot-main-sequence']);
  expect(report.plots['plot-main-sequence']).toContain('<circle');
  const sarif = page.waitForEvent('download');
  await page.getByTestId('findings-export-sarif').click();
  const sarifPath = (await (await sarif).path())!;
  const schema = join(root, '.tools', 'sarif', 'package', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const check = 'import json, sys, jsonschema\nlog = json.load(open(sys.argv[1]))\njsonschema.validate(log, json.load(open(sys.argv[2])))\nprint(len(log["runs"]))';
  expect(execFileSync('python3', ['-c', check, sarifPath, schema]).toString().trim()).toBe('3');
  const svg = page.waitForEvent('download');
  await scatter.getByTestId('plot-export').click();
  expect((await svg).suggestedFilename()).toBe('plot-main-sequence.svg');
  expect(studio.consoleErrors).toEqual([]);
});

test('comparing with an earlier snapshot lists the API differences as findings', async ({ page }, testInfo) => {
  const studio = new StudioPage(page);
  const findings = new FindingsPanel(page);
  await studio.open('?isg=samples/axum-0.8.3.json', testInfo);
  await expect(studio.nodeCount).toHaveText('611');
  // The earlier snapshot: axum without five items (so they are new now) and with three other
  // signatures different, each item unique by kind, file and name so the match is certain.
  const axum = JSON.parse(readFileSync(join(root, '..', 'shared', 'isg-samples', 'v0.1.0-snapshot', 'axum-0.8.3.json'), 'utf8'));
  const key = (n: { kind: string; file_path: string; name: string }) => `${n.kind}|${n.file_path}|${n.name}`;
  const counts = new Map<string, number>();
  axum.nodes.forEach((n: any) => counts.set(key(n), (counts.get(key(n)) ?? 0) + 1));
  const unique = axum.nodes.filter((n: any) => counts.get(key(n)) === 1);
  const dropped = new Set(unique.slice(0, 5).map((n: any) => n.hash));
  const resigned = new Set(unique.slice(5, 8).map((n: any) => n.hash));
  const base = {
    ...axum,
    nodes: axum.nodes.filter((n: any) => !dropped.has(n.hash)).map((n: any) => (resigned.has(n.hash) ? { ...n, signature: `${n.signature}(old: u8)` } : n)),
    edges: axum.edges.filter((e: any) => !dropped.has(e.from) && !dropped.has(e.to)),
  };
  base.metadata = { ...axum.metadata, node_count: base.nodes.length, edge_count: base.edges.length };
  await page.getByTestId('api-diff-input').setInputFiles({ name: 'axum-before.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(base)) });
  await expect(findings.rows.first()).toContainText(/^Info · api-diff: 5 added, 0 removed, 3 re-signed items; \d+ modules changed/);
  await findings.choose('plugin', 'api-diff');
  const resignedRow = findings.rows.filter({ hasText: '1 re-signed' }).first();
  await expect(resignedRow).toHaveAttribute('data-severity', 'warning');
  await studio.redrawAfter(() => resignedRow.getByRole('button').click());
  await expect(page.getByTestId('details-name')).toHaveCount(1);
  // A file that is not a snapshot is named, and the findings stay.
  await page.getByTestId('api-diff-input').setInputFiles({ name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{"nope": 1}') });
  await expect(studio.errorBanner).toContainText('compare:');
  await expect(findings.rows.first()).toContainText('api-diff');
});
