// Drives the VS Code workbench in a browser page the way a person does: the command palette, Quick
// Open, Go to Line, the keyboard, the Problems panel and the status bar. Every helper waits for
// what it needs to see (a list row, a tab, a status text) rather than for a fixed time.
import type { FrameLocator, Locator, Page } from 'playwright-core';

export const UI_TIMEOUT_MS = 60_000;

/** Chromium flags for this machine: headless, no sandbox (root), no calls to outside services. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export class Workbench {
  constructor(readonly page: Page) {}

  /**
   * Runs a command from the palette, picking the row whose label is exactly `title`. A command that
   * asks a follow-up question (`opensPicker`) leaves the quick input open for the caller.
   */
  async command(title: string, options: { opensPicker?: boolean } = {}): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.click();
    if (!options.opensPicker) await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Opens a workspace file by name with Quick Open and waits for its tab to be active. */
  async open(fileName: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(fileName);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(fileName)}$`) }) }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.click();
    await this.activeTab(fileName).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  /** Moves the cursor of the active editor to a 1-based line and column. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await this.waitForCursor(line, column);
  }

  async openAt(fileName: string, at: { line: number; column: number }): Promise<void> {
    await this.open(fileName);
    await this.goTo(at.line, at.column);
  }

  /** The cursor position shown in the status bar ("Ln 11, Col 3"). */
  async cursor(): Promise<{ line: number; column: number }> {
    const text = (await this.page.locator('[id="status.editor.selection"]').textContent()) ?? '';
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    if (!m) throw new Error(`no cursor position in the status bar: "${text}"`);
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  async waitForCursor(line: number, column?: number): Promise<void> {
    const text = column === undefined ? new RegExp(`Ln ${line},`) : new RegExp(`Ln ${line}, Col ${column}\\b`);
    await this.page.locator('[id="status.editor.selection"]', { hasText: text }).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  /**
   * The highlighted line number (1-based) of the editor showing `fileName`, whether or not that
   * editor has the keyboard focus (a webview that reveals a line keeps it).
   */
  async activeLineNumber(fileName: string): Promise<number | undefined> {
    const text = await this.page
      .locator(`.editor-group-container:has(.tab.active[data-resource-name="${fileName}"]) .margin .line-numbers.active-line-number`)
      .first()
      .textContent({ timeout: UI_TIMEOUT_MS })
      .catch(() => undefined);
    return text ? Number(text.trim()) : undefined;
  }

  /** Waits until the active editor shows at least `count` token colours (TextMate highlighting ran). */
  async waitForHighlighting(count: number): Promise<number> {
    const handle = await this.page.waitForFunction(
      (min) => {
        const spans = document.querySelectorAll('.editor-group-container.active .view-lines .view-line span[class^="mtk"]');
        const classes = new Set(Array.from(spans, (e) => e.className));
        return classes.size >= min ? classes.size : false;
      },
      count,
      { timeout: UI_TIMEOUT_MS },
    );
    return (await handle.jsonValue()) as number;
  }

  activeTab(fileName: string): Locator {
    return this.page.locator(`.tab.active[data-resource-name="${fileName}"]`);
  }

  /** The text of the status bar item contributed by the extension. */
  statusItem(): Locator {
    return this.page.locator('[id="kubeglass.kubeglass.kubeglass.status"]');
  }

  /** The Problems panel as (level, text) rows: level 1 is a file, 2 a problem, 3 related information. */
  async problems(): Promise<{ level: number; text: string; label: string }[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return rows.evaluateAll((els) =>
      els
        .map((e) => ({ level: Number(e.getAttribute('aria-level')), text: e.textContent ?? '', label: e.getAttribute('aria-label') ?? '', top: parseFloat((e as HTMLElement).style.top || '0') }))
        .sort((a, b) => a.top - b.top)
        .map(({ level, text, label }) => ({ level, text, label })),
    );
  }

  /** Waits until the Problems rows satisfy `test`; returns them. */
  async waitForProblems(test: (rows: { level: number; text: string; label: string }[]) => boolean, what: string): Promise<{ level: number; text: string; label: string }[]> {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      const rows = await this.problems();
      if (test(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`${what}: Problems panel shows\n${rows.map((r) => '  '.repeat(r.level) + r.text).join('\n')}`);
      // The panel re-renders on every marker change; wait for the next DOM mutation of its list.
      await this.page
        .locator('.markers-panel .monaco-list-rows')
        .evaluate((el) => new Promise<void>((resolve) => {
          const observer = new MutationObserver(() => (observer.disconnect(), resolve()));
          observer.observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
          setTimeout(() => (observer.disconnect(), resolve()), 1000);
        }))
        .catch(() => undefined);
    }
  }

  /** The text of the visible lines of the active editor. */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
    const items = await lines.evaluateAll((els) => els.map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: e.textContent ?? '' })));
    return items
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text.replace(/\u00a0/g, ' '))
      .join('\n');
  }

  /** The frame of the webview inside the active editor group (VS Code nests two iframes). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
