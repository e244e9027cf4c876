import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** What a screenshot of the canvas holds, measured in the browser from the real PNG. */
export interface PixelStats {
  width: number;
  height: number;
  /** Pixels that differ clearly from the background colour. */
  drawn: number;
  /** Fraction of pixels drawn. */
  drawnFraction: number;
  /** Distinct colours, quantised to 5 bits a channel. */
  colours: number;
  /** Near-white pixels: label text. */
  bright: number;
  /** Amber pixels (the minimap's view frame, the selection ring). */
  amber: number;
  /** Pixels in the warning colour (a finding's edges drawn over the graph, `WARNING_RGBA`). */
  warning: number;
  /** Pixels within 40 of the colour asked for in every channel (0 when none was). */
  counted: number;
}

/** The Parseltongue Studio page, by `data-testid`. */
export class StudioPage {
  readonly canvas: Locator;
  readonly errorBanner: Locator;
  readonly nodeCount: Locator;
  readonly edgeCount: Locator;
  readonly backend: Locator;
  readonly fileInput: Locator;
  readonly search: Locator;
  readonly results: Locator;
  readonly details: Locator;
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId('graph-canvas');
    this.errorBanner = page.getByTestId('error-banner');
    this.nodeCount = page.getByTestId('node-count');
    this.edgeCount = page.getByTestId('edge-count');
    this.backend = page.getByTestId('backend');
    this.fileInput = page.getByTestId('file-input');
    this.search = page.getByTestId('search-input');
    this.results = page.getByTestId('search-result');
    this.details = page.getByTestId('details');
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(String(e)));
  }

  /** Opens the app (optionally with a query string) and waits for the first graph to be drawn. */
  async open(query = '', testInfo?: TestInfo): Promise<void> {
    await this.page.goto(`/${query}`);
    await this.waitForGraph(1);
    if (testInfo) {
      await expect(this.backend).toHaveText(String(testInfo.project.metadata.backend));
    }
  }

  /** Waits until graph number `version` is shown and drawn in full (its first picture comes in
   *  two steps: nodes and aggregates, then the edges and labels). */
  async waitForGraph(version: number): Promise<void> {
    await expect(this.canvas).toHaveAttribute('data-version', String(version));
    await expect.poll(async () => await this.frames()).toBeGreaterThan(0);
    await expect(this.canvas).toHaveAttribute('data-lighter', 'false');
    await this.settle();
  }

  /** Frames the app has drawn. */
  async frames(): Promise<number> {
    return Number(await this.canvas.getAttribute('data-frames'));
  }

  /** Runs `action` and waits until the app has drawn a frame after it. */
  async redrawAfter(action: () => Promise<void>): Promise<void> {
    const before = await this.frames();
    await action();
    await expect.poll(async () => await this.frames()).toBeGreaterThan(before);
    // On a slow renderer the frames drawn while the view moves are the lighter picture; the
    // full one follows once the view is still.
    await expect(this.canvas).toHaveAttribute('data-lighter', 'false');
    await this.settle();
  }

  /** Waits until no frame has been drawn for a while (the view is still) and the full picture
   *  is on screen. */
  async quiet(): Promise<void> {
    let last = -1;
    await expect
      .poll(async () => {
        const now = await this.frames();
        const still = now === last;
        last = now;
        return still;
      }, { intervals: [400] })
      .toBe(true);
    await expect(this.canvas).toHaveAttribute('data-lighter', 'false');
    await this.settle();
  }

  /** Lets the compositor present what was submitted. */
  private async settle(): Promise<void> {
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  /** Labels placed in the last frame, and the share drawn as module aggregates (0 to 1). */
  async viewStats(): Promise<{ labels: number; aggregates: number }> {
    return {
      labels: Number(await this.canvas.getAttribute('data-labels')),
      aggregates: Number(await this.canvas.getAttribute('data-aggregates')),
    };
  }

  /** Wheels at the canvas centre until the app has redrawn. */
  async wheelAtCentre(deltaY: number, times = 1): Promise<void> {
    const box = (await this.canvas.boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < times; i++) {
      await this.redrawAfter(() => this.page.mouse.wheel(0, deltaY));
    }
  }

  /** What the filter panel says is drawn: nodes and edges shown, of all. */
  async shown(): Promise<{ nodes: number; nodesTotal: number; edges: number; edgesTotal: number }> {
    const text = await this.page.getByTestId('shown-counts').innerText();
    const m = text.match(/Showing (\d+) of (\d+) nodes · (\d+) of (\d+) edges/);
    if (!m) throw new Error(`unexpected counts: ${text}`);
    return { nodes: Number(m[1]), nodesTotal: Number(m[2]), edges: Number(m[3]), edgesTotal: Number(m[4]) };
  }

  /** Waits until the filter panel shows `nodes` nodes drawn. */
  async expectShownNodes(nodes: number): Promise<void> {
    await expect(this.page.getByTestId('shown-counts')).toContainText(`Showing ${nodes} of`);
  }

  /** Searches for `query` and selects the first result (Enter), or adds it with Ctrl-click. */
  async searchAndSelect(query: string, add = false): Promise<void> {
    await this.search.fill(query);
    await expect(this.results.first()).toBeVisible();
    if (add) {
      await this.results.first().click({ modifiers: ['Control'] });
    } else {
      await this.search.press('Enter');
    }
  }

  async kindCount(kind: string, what: 'node' | 'edge' = 'node'): Promise<number> {
    const row = this.page.getByTestId(`${what}-kind-${kind}`);
    return Number(await row.locator('td').nth(1).innerText());
  }

  /** Opens files as if picked in the file dialog. */
  async openFiles(files: { name: string; buffer: Buffer }[]): Promise<void> {
    await this.fileInput.setInputFiles(files.map((f) => ({ ...f, mimeType: 'application/json' })));
  }

  /** Drops files on the page with a real DragEvent carrying a DataTransfer. */
  async dropFile(name: string, text: string): Promise<void> {
    await this.page.evaluate(
      ({ name, text }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type: 'application/json' }));
        const target = document.querySelector('.studio')!;
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name, text },
    );
  }

  /** Screenshots the canvas (or a CSS-pixel region of it) and measures its real pixels, decoded by the browser from the PNG. */
  async canvasPixels(region?: { x: number; y: number; width: number; height: number }, count?: [number, number, number]): Promise<PixelStats> {
    const box = (await this.canvas.boundingBox())!;
    const png = region
      ? await this.page.screenshot({ clip: { x: box.x + region.x, y: box.y + region.y, width: region.width, height: region.height } })
      : await this.canvas.screenshot();
    return await this.page.evaluate(async ([b64, count]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const bg = [18, 20, 26];
      let drawn = 0;
      let bright = 0;
      let amber = 0;
      let warning = 0;
      let counted = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] > 200 && data[i + 1] > 200 && data[i + 2] > 200) bright++;
        if (data[i] > 220 && data[i + 1] > 170 && data[i + 1] < 230 && data[i + 2] < 120) amber++;
        if (data[i] > 225 && data[i + 1] > 85 && data[i + 1] < 125 && data[i + 2] > 35 && data[i + 2] < 85) warning++;
        if (count && Math.abs(data[i] - count[0]) < 40 && Math.abs(data[i + 1] - count[1]) < 40 && Math.abs(data[i + 2] - count[2]) < 40) counted++;
        const d = Math.max(Math.abs(data[i] - bg[0]), Math.abs(data[i + 1] - bg[1]), Math.abs(data[i + 2] - bg[2]));
        if (d > 24) drawn++;
        colours.add(((data[i] >> 3) << 10) | ((data[i + 1] >> 3) << 5) | (data[i + 2] >> 3));
      }
      const total = c.width * c.height;
      return { width: c.width, height: c.height, drawn, drawnFraction: drawn / total, colours: colours.size, bright, amber, warning, counted };
    }, [png.toString('base64'), count] as const);
  }
}

/** The plugin panel and its consent dialog, by `data-testid`. */
export class PluginsPanel {
  readonly select: Locator;
  readonly fileInput: Locator;
  readonly chosen: Locator;
  readonly run: Locator;
  readonly fuel: Locator;
  readonly rows: Locator;
  readonly consent: Locator;
  readonly audit: Locator;
  readonly trusted: Locator;

  constructor(readonly page: Page) {
    this.trusted = page.getByTestId('plugin-trusted');
    this.select = page.getByTestId('plugin-select');
    this.fileInput = page.getByTestId('plugin-file-input');
    this.chosen = page.getByTestId('plugin-id');
    this.run = page.getByTestId('plugin-run');
    this.fuel = page.getByTestId('plugin-fuel');
    this.rows = page.getByTestId('plugin-run-row');
    this.consent = page.getByTestId('consent-dialog');
    this.audit = page.getByTestId('audit');
  }

  /** Chooses a first-party plugin and waits until its form is shown. */
  async choose(name: string): Promise<void> {
    await expect(this.select.locator(`option[value="${name}"]`)).toHaveCount(1);
    await this.select.selectOption(name);
    await expect(this.chosen).toHaveText(new RegExp(`^${name}@`));
  }

  /** Loads a plugin from files (its `plugin.toml` and `.wasm`). */
  async chooseFiles(manifest: string, wasm: string, id: string): Promise<void> {
    await this.fileInput.setInputFiles([manifest, wasm]);
    await expect(this.chosen).toHaveText(id);
  }

  /** The newest run's row. */
  newest(): Locator {
    return this.rows.first();
  }

  /**
   * Runs the chosen (hostile) plugin in each mode of `cases` under its fuel, consent given on the
   * first, and expects each run to fail with its typed error; returns the rows.
   */
  async expectFailures(cases: [string, string | null, RegExp][], each?: (row: Locator) => Promise<void>): Promise<void> {
    let first = true;
    for (const [mode, fuel, expected] of cases) {
      await this.setParam('mode', mode);
      await this.fuel.fill(fuel ?? '');
      const row = await this.runToEnd(first ? 'allow' : 'expect-none');
      first = false;
      await expect(row).toHaveAttribute('data-state', 'failed');
      await expect(row.getByTestId('run-status')).toHaveText(expected);
      if (each) await each(row);
    }
  }

  /**
   * Starts force-layout so that it never settles (every level runs all of 10,000 steps, positions
   * published after each), consent given, optionally trusted first; returns its row once it shows
   * progress.
   */
  async startEndlessLayout(trusted = false): Promise<Locator> {
    await this.choose('force-layout');
    if (trusted) await this.trusted.check();
    await this.setParam('iterations', '10000');
    await this.setParam('publish_every', '1');
    await this.setParam('tolerance', '0');
    await this.run.click();
    await this.page.getByTestId('consent-allow').click();
    const row = this.newest();
    await expect(row.getByTestId('run-status')).toHaveText(/^running: \d+ \/ \d+0000$/);
    return row;
  }

  /** Clicks Run, answers the consent dialog if it appears, and waits for the run to end. */
  async runToEnd(consent: 'allow' | 'expect-none' = 'allow'): Promise<Locator> {
    const before = await this.rows.count();
    await this.run.click();
    if (consent === 'allow') {
      await expect(this.consent).toBeVisible();
      await this.page.getByTestId('consent-allow').click();
    }
    await expect(this.rows).toHaveCount(before + 1);
    const row = this.newest();
    await expect(row).not.toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    return row;
  }

  async setParam(name: string, value: string): Promise<void> {
    const field = this.page.getByTestId(`param-${name}`);
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') {
      await field.selectOption(value);
    } else {
      await field.fill(value);
      await field.dispatchEvent('change');
    }
  }
}

/** The findings panel: every analysis run's findings, the metric table and the plots. */
export class FindingsPanel {
  readonly panel: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('findings-panel');
    this.rows = page.getByTestId('findings-row');
    this.count = page.getByTestId('findings-count');
    this.table = page.getByTestId('metrics-table');
  }

  plot(id: 'plot-main-sequence' | 'plot-degrees' | 'plot-communities'): Locator {
    return this.page.getByTestId(id);
  }

  /** Chooses `value` in the filter or sort control `control` (`plugin`, `severity`, `module`, `sort`). */
  async choose(control: 'plugin' | 'severity' | 'module' | 'sort', value: string): Promise<void> {
    await this.page.getByTestId(`findings-${control}`).selectOption(value);
  }

  /** The metric table's values in column `column` (0 = the first metric), top to bottom. */
  async columnValues(column: number): Promise<number[]> {
    const cells = await this.table.getByTestId('metrics-row').evaluateAll(
      (rows, c) => rows.map((r) => (r.querySelectorAll('td')[c + 1] as HTMLElement).innerText),
      column,
    );
    return cells.map(Number);
  }
}

/** Visible controls with neither a tooltip (on them or around them) nor an ARIA label. */
export async function unexplainedControls(page: Page): Promise<string[]> {
  return await page.$$eval('button, select, input, textarea', (els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .filter((e) => !e.getAttribute('aria-label') && !e.closest('[title]')?.getAttribute('title'))
      .map((e) => e.outerHTML.slice(0, 120)),
  );
}

/** The share panel: the HTML report and the link to the view. */
export class SharePanel {
  constructor(readonly page: Page) {}

  /** Writes the report with a title and notes, saves the download to `path`, and returns the
   *  panel's status line (time and size). */
  async writeReport(path: string, title: string, notes: string): Promise<string> {
    await this.page.getByTestId('report-title').fill(title);
    await this.page.getByTestId('report-notes').fill(notes);
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('share-report').click();
    await (await download).saveAs(path);
    await expect(this.page.getByTestId('report-status')).toContainText('Report written in');
    return await this.page.getByTestId('report-status').innerText();
  }

  /** The link to the view, as *Copy link* shows it. */
  async link(): Promise<string> {
    await this.page.getByTestId('copy-link').click();
    return (await this.page.getByTestId('share-link').inputValue()).trim();
  }
}

/**
 * The share of pixels that differ (any channel by more than 48) between two PNGs, compared over
 * the largest centred region both hold: the same view drawn into canvases of slightly different
 * sizes shows the same picture around its centre.
 */
export async function pixelDifference(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return await page.evaluate(
    async ([a64, b64]) => {
      const load = async (b: string) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b}`;
        await img.decode();
        return img;
      };
      const [ia, ib] = [await load(a64), await load(b64)];
      const w = Math.min(ia.width, ib.width);
      const h = Math.min(ia.height, ib.height);
      const pixels = (img: HTMLImageElement) => {
        const c = document.createElement('canvas');
        c.width = w;
        c.height = h;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, (w - img.width) / 2, (h - img.height) / 2);
        return ctx.getImageData(0, 0, w, h).data;
      };
      const [pa, pb] = [pixels(ia), pixels(ib)];
      let differ = 0;
      for (let i = 0; i < pa.length; i += 4) {
        if (Math.abs(pa[i] - pb[i]) > 48 || Math.abs(pa[i + 1] - pb[i + 1]) > 48 || Math.abs(pa[i + 2] - pb[i + 2]) > 48) differ++;
      }
      return differ / (w * h);
    },
    [a.toString('base64'), b.toString('base64')],
  );
}


/**
 * The hostile plugin's modes with the fuel each runs under and the typed error it must end in, the
 * same in the interpreter and the fast lane.
 */
export const HOSTILE_CASES: [string, string | null, RegExp][] = [
  ['spin', '20000000', /^OutOfFuel: plugin hostile@0.1.0 ran out of fuel after 20000000 units/],
  ['panic', null, /^Trap: plugin hostile@0.1.0 failed: panicked at .*deliberate panic: edge \d+ of \d+/s],
  ['alloc-bomb', null, /^MemoryLimit: plugin hostile@0.1.0 hit its memory limit: linear memory would grow from \d+ to 64 MiB, over the 64 MiB limit/],
  ['recursion', null, /^StackOverflow: plugin hostile@0.1.0 overflowed its stack/],
];
