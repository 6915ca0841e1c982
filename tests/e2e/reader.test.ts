import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';
import {
	hasSharedCorpus,
	makeSharedCorpusPapersDir,
	SHARED_CORPUS
} from '../fixtures/shared-corpus.ts';
import { highlightOfSpec, matchRanges, type MatchSpec } from '../../src/lib/text/match-ranges.ts';
import { fold } from '../../src/lib/text/normalise.ts';
import { hasChromium, launchChromium, startPortal, type Portal } from './harness.ts';

const EUCA = 'jin-euca-end-user-xai';
const TWO_COLUMN = 'jin-2022-evaluating-xai-multimodal';

/** Six pages whose words the tests know by heart: "saliency" on pages 2, 3 (three times) and 5. */
const FIXTURE_PAGES = [
	['A fixture paper for the reading room.', 'It has six pages.'],
	['Saliency maps are shown on this page.'],
	[
		'The saliency of each region is computed.',
		'A second saliency map follows,',
		'and a third saliency score.'
	],
	['Clinicians asked for better expla-', 'nations of every prediction.'],
	['Counterfactual saliency is discussed here.'],
	['Nothing to see on the last page.']
];

/** Adds an edition with the six-page fixture, a paper without PDF, and an encrypted one. */
function addFixtures(papersDir: string): void {
	const edition = join(papersDir, 'reader-fixtures');
	mkdirSync(edition, { recursive: true });
	writeFileSync(
		join(edition, 'edition.yaml'),
		'title: Reader fixtures\nyear: 2024\ncomplete: false\n'
	);
	writeFileSync(
		join(edition, 'reader-six-pages.yaml'),
		'title: Six Pages of Saliency\nauthors: [Ada Fixture]\ntype: poster\n'
	);
	writeFileSync(
		join(edition, 'reader-six-pages.pdf'),
		makePdf(
			FIXTURE_PAGES.map((lines, index) => {
				const page = singleColumnPage(lines);
				// Greek letters in the Symbol font, which PDFs name but never embed.
				if (index === 0) page.texts!.push({ text: 'abg', x: 72, y: 90, size: 12, font: 'Symbol' });
				return page;
			}),
			{ title: 'Six Pages' }
		)
	);
	writeFileSync(
		join(edition, 'reader-no-pdf.yaml'),
		'title: A Paper Known Only by Its Metadata\nauthors: [Ada Fixture]\ntype: poster\n'
	);
}

/** Fails the test on anything thrown or logged as an error in the page. */
function watchConsole(page: Page): string[] {
	const problems: string[] = [];
	page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
	});
	return problems;
}

async function openReader(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.waitForSelector('.reader[data-status="ready"]');
}

/** The reader's find bar on `url`, opened with Ctrl+F as a reader would, and its search box. */
async function openFindBar(page: Page, url: string): Promise<Locator> {
	await openReader(page, url);
	await page.click('.reader .pages');
	await page.keyboard.press('Control+f');
	return page.getByRole('searchbox', { name: 'Find in document' });
}

/** The text of each highlighted match on the page, joined across the marks that make it up. */
async function highlightedMatches(page: Page): Promise<{ page: number; text: string }[]> {
	return page.evaluate(() => {
		const groups = new Map<string, { page: number; text: string }>();
		for (const mark of document.querySelectorAll<HTMLElement>('.textLayer mark.hit')) {
			const pageNumber = Number(mark.closest<HTMLElement>('.page')!.dataset.page);
			const key = `${pageNumber}:${mark.dataset.match}`;
			const group = groups.get(key) ?? { page: pageNumber, text: '' };
			group.text += mark.textContent;
			groups.set(key, group);
		}
		return [...groups.values()];
	});
}

/**
 * Taps a control inside the reader's pane by its click event: while the page is wider than a
 * phone (the toolbar, issue 14's first point) Playwright's touch lands above the control.
 */
async function tapInReader(page: Page, selector: string): Promise<void> {
	await page.locator(selector).dispatchEvent('click');
}

/** Holds back the PDF's request until `release` is called, so a test sees the reader before it. */
async function holdPdf(page: Page, paperId: string): Promise<() => void> {
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route(`**/papers/${paperId}/pdf`, async (route) => {
		await held;
		await route.continue();
	});
	return release;
}

/** The page image the reader shows (once loaded): where it is, what it is, and its ink. */
async function shownPreview(page: Page) {
	await page.waitForFunction(() => {
		const image = document.querySelector<HTMLImageElement>('img.page-preview');
		return image?.complete && image.naturalWidth > 0;
	});
	return page.evaluate(() => {
		const image = document.querySelector<HTMLImageElement>('img.page-preview')!;
		const box = image.getBoundingClientRect();
		const pages = document.querySelector('.reader .pages')!.getBoundingClientRect();
		const canvas = document.createElement('canvas');
		canvas.width = image.naturalWidth;
		canvas.height = image.naturalHeight;
		const context = canvas.getContext('2d')!;
		context.drawImage(image, 0, 0);
		const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
		let dark = 0;
		for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 300) dark++;
		return {
			status: document.querySelector<HTMLElement>('.reader')!.dataset.status,
			src: new URL(image.src).pathname,
			alt: image.alt,
			previews: document.querySelectorAll('img.page-preview').length,
			width: box.width,
			pageWidth: image.closest('.page')!.getBoundingClientRect().width,
			ratio: image.naturalHeight / image.naturalWidth,
			// In sight: at the top of the reader's scrolling pane, and that pane in the window.
			offsetInPane: box.top - pages.top,
			paneTop: pages.top,
			ink: dark / (data.length / 4)
		};
	});
}

/** A 390×844 touch phone (`scale`: its device pixel ratio). */
function phoneContext(browser: Browser, scale = 2): Promise<BrowserContext> {
	return browser.newContext({
		viewport: { width: 390, height: 844 },
		deviceScaleFactor: scale,
		isMobile: true,
		hasTouch: true
	});
}

const readerState = (page: Page) =>
	page.evaluate(() => ({ ...document.querySelector<HTMLElement>('.reader')!.dataset }));

describe.skipIf(!hasChromium || !hasSharedCorpus)('the reading room', () => {
	let portal: Portal;
	let browser: Browser;

	beforeAll(async () => {
		const papersDir = makeSharedCorpusPapersDir({ only: [EUCA, TWO_COLUMN] });
		addFixtures(papersDir);
		portal = await startPortal({ papersDir });
		browser = (await launchChromium())!;
	});
	afterAll(async () => {
		await browser?.close();
		await portal?.stop();
	});

	it('opens a deep link at its page with the query highlighted in the text layer', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		await openReader(page, `${portal.url}/papers/${EUCA}?page=7&q=explanation`);
		await page.waitForSelector('.page[data-page="7"] .textLayer mark.hit');
		expect((await readerState(page)).currentPage).toBe('7');
		const shown = await page.evaluate(() => {
			const scroller = document.querySelector<HTMLElement>('.pages')!;
			const pageSeven = document.querySelector<HTMLElement>('.page[data-page="7"]')!;
			const canvas = pageSeven.querySelector('canvas')!;
			const view = scroller.getBoundingClientRect();
			const box = pageSeven.getBoundingClientRect();
			return { canvasWidth: canvas.width, top: box.top - view.top, viewHeight: view.height };
		});
		expect(shown.canvasWidth).toBeGreaterThan(0);
		// Page 7 fills the reader's view (it is scrolled to its first match, not past the page).
		expect(shown.top).toBeLessThan(shown.viewHeight / 3);
		expect(shown.top).toBeGreaterThan(-shown.viewHeight * 1.5);
		const matches = await highlightedMatches(page);
		expect(matches.filter((m) => m.page === 7).length).toBeGreaterThan(0);
		for (const match of matches) {
			expect(match.text.replace(/-/g, '').toLowerCase()).toContain('explanation');
		}
		expect(problems).toEqual([]);
		await page.close();
	});

	it('lands a deep link on the first match of its page: in view, below the toolbar, selected', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}?page=8&q=saliency%20maps`);
		await page.waitForSelector('.page[data-page="8"] .textLayer mark.hit.selected');
		await page.waitForFunction(() => {
			const mark = document.querySelector('mark.hit.selected')!.getBoundingClientRect();
			return mark.top >= 0 && mark.bottom <= window.innerHeight;
		});
		const landed = await page.evaluate(() => {
			const selected = document.querySelector('mark.hit.selected')!;
			const first = document.querySelector('.page[data-page="8"] .textLayer mark.hit')!;
			const toolbar = document.querySelector('.reader-bar')!.getBoundingClientRect();
			const box = selected.getBoundingClientRect();
			return {
				isFirst: first === selected,
				top: box.top,
				bottom: box.bottom,
				toolbarBottom: toolbar.bottom,
				height: window.innerHeight
			};
		});
		expect(landed.isFirst).toBe(true);
		expect(landed.top).toBeGreaterThanOrEqual(landed.toolbarBottom);
		expect(landed.bottom).toBeLessThanOrEqual(landed.height);
		await page.waitForSelector('.reader[data-scan-complete="true"]');
		expect(await page.locator('.findbar .count').innerText()).toMatch(
			/^match 1 of \d+ on this page, \d+ in the paper$/
		);
		await page.close();
	});

	it.each([
		[EUCA, 14, 'saliency'],
		[EUCA, 7, 'explanation'],
		[TWO_COLUMN, 8, 'saliency maps'],
		// Its text layer has "post-hoc", " " and "XAI" as three items.
		[TWO_COLUMN, 4, '"posthoc XAI"']
	])(
		'marks on the text layer of %s p. %i for "%s" exactly the words the engine matched, no space beside them',
		async (paperId, pageNumber, query) => {
			const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
			const q = encodeURIComponent(query);
			await openReader(page, `${portal.url}/papers/${paperId}?page=${pageNumber}&q=${q}`);
			await page.waitForSelector(`.page[data-page="${pageNumber}"] .textLayer mark.hit`);
			const marked = (await highlightedMatches(page)).filter((m) => m.page === pageNumber);
			// What the engine marks on its own text of that page, for what it says the query matched.
			const spec = (await (
				await fetch(`${portal.url}/papers/${paperId}/matches?q=${q}`)
			).json()) as MatchSpec;
			const { pages } = (await (
				await fetch(`${portal.url}/papers/${paperId}/text.json`)
			).json()) as {
				pages: string[];
			};
			const engineText = pages[pageNumber - 1];
			// Compared folded, without hyphens and spaces: the text layer keeps a line-end hyphen the
			// engine drops, and leaves a space item between two marked words unmarked.
			const comparable = (text: string) => fold(text).replace(/[-\s]/g, '');
			const engineWords = new Set(
				matchRanges(engineText, highlightOfSpec(spec)).map(([start, end]) =>
					comparable(engineText.slice(start, end))
				)
			);
			expect(marked.length).toBeGreaterThan(0);
			for (const { text } of marked) expect(engineWords).toContain(comparable(text));
			// No mark holds a space beside its word: each covers word characters at both ends.
			const marks = await page.$$eval(`.page[data-page="${pageNumber}"] mark.hit`, (list) =>
				list.map((mark) => mark.textContent ?? '')
			);
			for (const mark of marks) expect(mark).toMatch(/^\S(.*\S)?$/);
			await page.close();
		}
	);

	it('finds a word split by a line-end hyphen on a real two-column paper', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}?page=1&q=explanation`);
		await page.waitForSelector('.page[data-page="1"] .textLayer mark.hit');
		const split = await page.evaluate(() => {
			const marks = [...document.querySelectorAll<HTMLElement>('.page[data-page="1"] mark.hit')];
			const head = marks.find((mark) => mark.textContent === 'expla-');
			const tail =
				head && marks.find((mark) => mark !== head && mark.dataset.match === head.dataset.match);
			return head && tail ? [head.textContent, tail.textContent] : null;
		});
		expect(split).not.toBeNull();
		expect(split![0]! + split![1]!).toMatch(/^expla-nations?$/);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('finds a hyphenated word in a generated paper and marks both halves as one match', async () => {
		const page = await browser.newPage();
		await openReader(page, `${portal.url}/papers/reader-six-pages?page=4&q=explanations`);
		await page.waitForSelector('.page[data-page="4"] mark.hit');
		const matches = await highlightedMatches(page);
		expect(matches).toContainEqual({ page: 4, text: 'expla-nations' });
		await page.close();
	});

	it('shows one tick per matching page in the hit strip, darker for more hits', async () => {
		const page = await browser.newPage();
		const problems = watchConsole(page);
		await openReader(page, `${portal.url}/papers/reader-six-pages?q=saliency`);
		await page.waitForSelector('.reader[data-scan-complete="true"]');
		const ticks = await page.$$eval('.hitstrip .tick', (buttons) =>
			buttons.map((button) => ({
				page: Number((button as HTMLElement).dataset.page),
				count: Number((button as HTMLElement).dataset.count),
				opacity: Number(getComputedStyle(button).opacity)
			}))
		);
		expect(ticks.map((tick) => [tick.page, tick.count])).toEqual([
			[2, 1],
			[3, 3],
			[5, 1]
		]);
		expect(ticks[1].opacity).toBeGreaterThan(ticks[0].opacity);
		expect(await page.locator('.findbar .count').innerText()).toBe('5 matches');
		// A tick takes the reader to its page.
		await page.click('.hitstrip .tick[data-page="5"]');
		await page.waitForFunction(
			() => document.querySelector<HTMLElement>('.reader')!.dataset.currentPage === '5'
		);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('lays the pages out beside the hit strip from the start: its ticks appearing draws no page again', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		// Every canvas put in a page, once each: a page drawn again gets a new one.
		await page.addInitScript(`
			window.__canvases = [];
			new MutationObserver((records) => {
				for (const record of records) for (const node of record.addedNodes) {
					const pageNumber = node.nodeName === 'CANVAS' && node.closest('.page')?.dataset.page;
					if (pageNumber && !window.__canvases.some((seen) => seen.node === node)) {
						window.__canvases.push({ node, page: pageNumber, ticks: document.querySelectorAll('.hitstrip .tick').length });
					}
				}
			}).observe(document, { childList: true, subtree: true });`);
		await openReader(page, `${portal.url}/papers/${EUCA}?page=14&q=saliency`);
		await page.waitForSelector('.reader[data-scan-complete="true"]');
		await page.waitForSelector('.hitstrip .tick');
		await page.waitForTimeout(1000);
		const drawn = await page.evaluate<{ page: string; ticks: number }[]>(
			'window.__canvases.map(({ page, ticks }) => ({ page, ticks }))'
		);
		// Page 14 was drawn before the scan found the pages with matches, and only then.
		expect(drawn.filter((entry) => entry.page === '14')).toEqual([{ page: '14', ticks: 0 }]);
		const pagesDrawn = drawn.map((entry) => entry.page);
		expect(pagesDrawn).toEqual([...new Set(pagesDrawn)]);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('marks what the engine matched for a typo typed in the find bar, and steps through it', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		const input = await openFindBar(page, `${portal.url}/papers/reader-six-pages`);
		const answered = page.waitForResponse((response) =>
			response.url().includes('/papers/reader-six-pages/matches?q=saliancy')
		);
		await input.fill('saliancy');
		// The typed word is in no page; the engine corrects it to "saliency", as a search would.
		await answered;
		await page.waitForFunction(
			() => document.querySelector('.findbar .count')?.textContent?.trim() === '5 matches'
		);
		await input.press('Enter');
		await page.waitForSelector('mark.hit.selected');
		expect(await page.locator('.findbar .count').innerText()).toBe(
			'match 1 of 1 on this page, 5 in the paper'
		);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('says the marks are the words as typed when the search cannot be reached for the find text', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await page.route('**/papers/reader-six-pages/matches?**', (route) => route.abort());
		const input = await openFindBar(page, `${portal.url}/papers/reader-six-pages`);
		const count = page.locator('.findbar .count');
		const asked = page.waitForEvent('requestfailed', (request) =>
			request.url().includes('/matches?q=saliancy')
		);
		await input.fill('saliancy');
		await asked;
		// The typo is not corrected without the engine, and the bar says why nothing is found.
		await expect
			.poll(() => count.innerText())
			.toMatch(/^No matches · words as typed only: the search could not be reached/);
		await page.unroute('**/papers/reader-six-pages/matches?**');
		await input.fill('saliency');
		// Reached again: what the engine matched is marked, with nothing more to say.
		await expect.poll(() => count.innerText()).toBe('5 matches');
		await page.close();
	});

	it('moves between pages with find next and previous', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		const input = await openFindBar(page, `${portal.url}/papers/reader-six-pages`);
		await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
		await input.fill('saliency');
		await page.waitForSelector('.reader[data-scan-complete="true"]');
		const visited: string[] = [];
		for (let i = 0; i < 5; i++) {
			await input.press('Enter');
			await page.waitForSelector('mark.hit.selected');
			const selectedPage = await page.$eval(
				'mark.hit.selected',
				(mark) => mark.closest<HTMLElement>('.page')!.dataset.page!
			);
			expect((await readerState(page)).currentPage).toBe(selectedPage);
			visited.push(selectedPage);
		}
		expect(visited).toEqual(['2', '3', '3', '3', '5']);
		expect(await page.locator('.findbar .count').innerText()).toBe(
			'match 1 of 1 on this page, 5 in the paper'
		);
		await input.press('Shift+Enter');
		await page.waitForFunction(
			() => document.querySelector<HTMLElement>('.reader')!.dataset.currentPage === '3'
		);
		await page.getByRole('button', { name: 'Previous match' }).click();
		await page.getByRole('button', { name: 'Previous match' }).click();
		await page.getByRole('button', { name: 'Previous match' }).click();
		await page.waitForFunction(
			() => document.querySelector<HTMLElement>('.reader')!.dataset.currentPage === '2'
		);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('keeps the page being read in the address bar and answers the keyboard', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await openReader(page, `${portal.url}/papers/${EUCA}?page=3`);
		await page.click('.reader .pages');
		await page.keyboard.press('PageDown');
		await page.keyboard.press('PageDown');
		await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '5');
		await page.keyboard.press('End');
		await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '52');
		const historyLength = await page.evaluate(() => history.length);
		expect(historyLength).toBeLessThanOrEqual(2);
		await page.fill('input[id$="-page"]', '12');
		await page.press('input[id$="-page"]', 'Enter');
		await page.waitForFunction(
			() => document.querySelector<HTMLElement>('.reader')!.dataset.currentPage === '12'
		);
		await page.close();
	});

	it('opens the outline of a PDF that has one and jumps to a section', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}`);
		// The outline is in the toolbar's "More" menu.
		await page.locator('.reader .more summary').click();
		await page.getByRole('button', { name: 'Outline' }).click();
		const outline = page.getByRole('navigation', { name: 'Outline' });
		await expect(outline.getByRole('button').count()).resolves.toBeGreaterThanOrEqual(5);
		await outline.getByRole('button', { name: 'Related Work' }).click();
		await page.waitForFunction(
			() => Number(document.querySelector<HTMLElement>('.reader')!.dataset.currentPage) > 1
		);
		await page.close();
	});

	it('renders only pages near the viewport', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await openReader(page, `${portal.url}/papers/${EUCA}?page=20`);
		await page.waitForSelector('.page[data-page="20"] canvas');
		const rendered = await page.$$eval('.page canvas', (canvases) =>
			canvases.map((canvas) => Number(canvas.closest<HTMLElement>('.page')!.dataset.page))
		);
		expect(rendered).toContain(20);
		expect(rendered.length).toBeLessThan(10);
		expect(rendered.every((n) => Math.abs(n - 20) <= 5)).toBe(true);
		await page.close();
	});

	it('is readable on a 390-px phone and re-renders crisply after a pinch-zoom', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}?page=2`);
		// A phone opens in the text view; the page itself is one tap away.
		await page.waitForSelector('.page[data-page="2"] .text-view p:not(.note)');
		await tapInReader(page, '.page[data-page="2"] .text-view button:has-text("Show the page")');
		await page.waitForSelector('.page[data-page="2"] canvas');
		const density = () =>
			page.$eval('.page[data-page="2"] canvas', (canvas) => {
				const box = canvas.getBoundingClientRect();
				return { bitmap: (canvas as HTMLCanvasElement).width, css: box.width };
			});
		const before = await density();
		// The page fits the phone's width and is drawn at the screen's density.
		expect(before.css).toBeGreaterThan(300);
		expect(before.css).toBeLessThanOrEqual(390);
		expect(before.bitmap / before.css).toBeCloseTo(2, 1);
		// A pinch-zoom (the browser's page scale) makes the reader redraw at the zoomed density.
		const session = await context.newCDPSession(page);
		await session.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
		await page.waitForFunction(() => {
			const canvas = document.querySelector<HTMLCanvasElement>('.page[data-page="2"] canvas');
			return canvas !== null && canvas.width / canvas.getBoundingClientRect().width > 3.5;
		});
		await context.close();
	});

	it('reads a deep link on a 390-px phone as text with the query marked, and remembers a page shown as the page', async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		const problems = watchConsole(page);
		await openReader(page, `${portal.url}/papers/${EUCA}?page=7&q=explanation`);
		const textView = '.page[data-page="7"] .text-view';
		await page.waitForSelector(`${textView} mark.hit`);
		const shown = await page.evaluate((selector) => {
			const view = document.querySelector<HTMLElement>(selector)!;
			const paragraph = view.querySelector<HTMLElement>('p:not(.text-view-bar)')!;
			const box = view.getBoundingClientRect();
			return {
				marks: [...view.querySelectorAll('mark.hit')].map((mark) => mark.textContent ?? ''),
				paragraphs: view.querySelectorAll('p:not(.text-view-bar):not(.note)').length,
				fontSize: parseFloat(getComputedStyle(paragraph).fontSize),
				right: box.right,
				canvases: document.querySelectorAll('.page[data-page="7"] canvas').length,
				imageLink: view.querySelector<HTMLAnchorElement>('a')?.getAttribute('href')
			};
		}, textView);
		for (const mark of shown.marks) expect(mark.toLowerCase()).toContain('explanation');
		expect(shown.marks.length).toBeGreaterThan(0);
		expect(shown.paragraphs).toBeGreaterThan(1);
		// Text at a reading size, inside the screen, and no canvas drawn behind it.
		expect(shown.fontSize).toBeGreaterThanOrEqual(16);
		expect(shown.right).toBeLessThanOrEqual(390);
		expect(shown.canvases).toBe(0);
		expect(shown.imageLink).toBe(`/papers/${EUCA}/page/7.jpg`);
		// The deep link lands on the page's first match in the text view too: selected, in view.
		await page.waitForSelector(`${textView} mark.hit.selected`);
		await page.waitForFunction(() => {
			const mark = document.querySelector('mark.hit.selected')!.getBoundingClientRect();
			return mark.top >= 0 && mark.bottom <= window.innerHeight;
		});
		const landed = await page.evaluate((selector) => {
			const marks = [...document.querySelectorAll(`${selector} mark.hit`)];
			const selected = document.querySelector('mark.hit.selected')!;
			const toolbar = document.querySelector('.reader-bar')!.getBoundingClientRect();
			return {
				index: marks.indexOf(selected),
				selectedCount: document.querySelectorAll('mark.hit.selected').length,
				top: selected.getBoundingClientRect().top,
				toolbarBottom: toolbar.bottom
			};
		}, textView);
		expect(landed).toMatchObject({ index: 0, selectedCount: 1 });
		expect(landed.top).toBeGreaterThanOrEqual(landed.toolbarBottom);
		expect(await page.locator('.findbar .count').innerText()).toMatch(
			/^match 1 of \d+ on this page/
		);

		// Page 7 shown as the page: drawn by pdf.js, with zoom, and still so after a reload.
		await tapInReader(page, `${textView} button:has-text("Show the page")`);
		await page.waitForSelector('.page[data-page="7"] canvas');
		await openReader(page, `${portal.url}/papers/${EUCA}?page=7&q=explanation`);
		await page.waitForSelector('.page[data-page="7"] .textLayer mark.hit');
		expect(await page.$$eval(textView, (views) => views.length)).toBe(0);
		// The other pages keep the phone's default, and a page can go back to text.
		await tapInReader(page, '.page[data-page="7"] button.to-text');
		await page.waitForSelector(`${textView} mark.hit`);
		expect(problems).toEqual([]);
		await context.close();
	});

	it("shows a page's figures in the text view on a 390-px phone, cut from the page image, where they are read", async () => {
		const context = await phoneContext(browser);
		const page = await context.newPage();
		const problems = watchConsole(page);
		/** The figure of page `n`: its neighbours in the text, its size, and the ink it shows. */
		const figureOf = async (pageNumber: number) => {
			const selector = `.page[data-page="${pageNumber}"] .text-view figure.page-figure`;
			await page.locator(selector).scrollIntoViewIfNeeded();
			await page.waitForFunction((figure) => {
				const image = document.querySelector<HTMLImageElement>(`${figure} img`);
				return image?.complete && image.naturalWidth > 0;
			}, selector);
			return page.evaluate((figureSelector) => {
				const figure = document.querySelector<HTMLElement>(figureSelector)!;
				const image = figure.querySelector('img')!;
				const box = figure.getBoundingClientRect();
				const drawn = image.getBoundingClientRect();
				// The part of the page image the figure's box shows, in the image's own pixels.
				const scale = image.naturalWidth / drawn.width;
				const canvas = document.createElement('canvas');
				canvas.width = Math.round(box.width * scale);
				canvas.height = Math.round(box.height * scale);
				const context = canvas.getContext('2d')!;
				context.drawImage(
					image,
					(box.left - drawn.left) * scale,
					(box.top - drawn.top) * scale,
					canvas.width,
					canvas.height,
					0,
					0,
					canvas.width,
					canvas.height
				);
				const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
				let ink = 0;
				for (let i = 0; i < data.length; i += 4)
					if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
				const top = document.querySelector('.reader-bar')!.getBoundingClientRect().bottom;
				return {
					figures: document.querySelectorAll(figureSelector).length,
					before: figure.previousElementSibling?.textContent?.trim() ?? '',
					after: figure.nextElementSibling?.textContent?.trim() ?? '',
					src: new URL(image.src).pathname + new URL(image.src).search,
					bytes: (performance.getEntriesByName(image.src)[0] as PerformanceResourceTiming)
						?.encodedBodySize,
					left: box.left,
					right: box.right,
					width: box.width,
					height: box.height,
					visible: box.top >= top && box.bottom <= window.innerHeight && box.height > 0,
					ink: ink / (data.length / 4)
				};
			}, selector);
		};

		// Page 3: the text comes at once; the figures, found by the server on first request, after.
		let releaseFigures = () => {};
		const figuresHeld = new Promise<void>((release) => (releaseFigures = release));
		await page.route(`**/papers/${TWO_COLUMN}/figures/3.json`, async (route) => {
			await figuresHeld;
			await route.continue();
		});
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}?page=3`);
		await page.waitForFunction(() =>
			document
				.querySelector('.page[data-page="3"] .text-view')
				?.textContent?.includes('in the Appendix.')
		);
		expect(await page.$$eval('.page[data-page="3"] .text-view figure', (all) => all.length)).toBe(
			0
		);
		releaseFigures();
		// The figure of the right column, between the text above it and its caption.
		await page.waitForSelector('.page[data-page="3"] .text-view figure.page-figure');
		const column = await figureOf(3);
		expect(column.figures).toBe(1);
		expect(column.before).toMatch(/in the Appendix\.$/);
		expect(column.after).toMatch(/^Figure 1: 3D heatmap/);
		// The server cuts the figure out of the page image: a fraction of the page's bytes.
		expect(column.src).toBe(`/papers/${TWO_COLUMN}/page/3.jpg?figure=1`);
		expect(column.bytes).toBeGreaterThan(0);
		expect(column.bytes).toBeLessThan(100_000);
		expect(column.left).toBeGreaterThanOrEqual(0);
		expect(column.right).toBeLessThanOrEqual(390);
		expect(column.width).toBeGreaterThan(300);
		expect(column.visible).toBe(true);
		// It shows the figure (MRI slices on black), not the white margin of the page.
		expect(column.ink).toBeGreaterThan(0.2);

		// Page 5: the full-width chart at the top of the page comes first, then its caption: the
		// labels printed in it are in its image, not again in the text.
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}?page=5`);
		await page.waitForSelector('.page[data-page="5"] .text-view figure.page-figure');
		const wide = await figureOf(5);
		expect(wide.figures).toBe(1);
		expect(wide.before).toMatch(/^Page 5 as text/);
		expect(wide.after).toMatch(/^Figure 2: Two proposed computational/);
		expect(
			await page.$eval('.page[data-page="5"] .text-view', (view) => view.textContent)
		).not.toContain('Modality Importance (MI) Correlation');
		expect(wide.visible).toBe(true);
		expect(wide.ink).toBeGreaterThan(0.05);

		// A match printed in the chart's labels is the figure's: selecting it selects the figure.
		await openReader(page, `${portal.url}/papers/${TWO_COLUMN}?page=5&q=modality`);
		await page.waitForSelector('.page[data-page="5"] .text-view figure.page-figure.selected');
		const landing = await page.$eval(
			'.page[data-page="5"] .text-view figure.selected',
			(figure) => {
				const box = figure.getBoundingClientRect();
				const top = Math.max(
					...[...document.querySelectorAll('.reader-bar')].map(
						(bar) => bar.getBoundingClientRect().bottom
					)
				);
				return {
					caption: figure.querySelector('figcaption')?.textContent?.trim(),
					inView: box.top < window.innerHeight && box.bottom > top,
					status: document.querySelector('.findbar .count')?.textContent ?? ''
				};
			}
		);
		expect(landing.caption).toMatch(/^(A match is|\d+ matches are) printed in this figure\.$/);
		expect(landing.inView).toBe(true);
		expect(landing.status).toMatch(/match 1 of \d+ on this page/);
		expect(
			await page.$$eval('.page[data-page="5"] .text-view mark.selected', (all) => all.length)
		).toBe(0);
		// For a person to look at: GLASSBOX_SCREENS=<folder> keeps a screenshot of the text view.
		const screens = process.env.GLASSBOX_SCREENS;
		if (screens) await page.screenshot({ path: join(screens, 'text-view-figure.png') });
		expect(problems).toEqual([]);
		await context.close();
	});

	it('shows the PDF page on a phone when the text of the pages cannot be fetched', async () => {
		const context = await phoneContext(browser, 1);
		const page = await context.newPage();
		await page.route(`**/papers/${EUCA}/text.json`, (route) => route.abort());
		await openReader(page, `${portal.url}/papers/${EUCA}?page=7&q=explanation`);
		await page.waitForSelector('.page[data-page="7"] .textLayer mark.hit');
		expect(await page.$$eval('.text-view, button.to-text', (found) => found.length)).toBe(0);
		await context.close();
	});

	it('fetches only part of a large PDF for a deep link, the find scan included', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const session = await page.context().newCDPSession(page);
		await session.send('Network.enable');
		const pdfRequests = new Set<string>();
		let bytes = 0;
		session.on('Network.requestWillBeSent', (event) => {
			if (event.request.url.endsWith(`/papers/${EUCA}/pdf`)) pdfRequests.add(event.requestId);
		});
		session.on('Network.dataReceived', (event) => {
			if (pdfRequests.has(event.requestId)) bytes += event.dataLength;
		});
		await openReader(page, `${portal.url}/papers/${EUCA}?page=14&q=saliency`);
		await page.waitForSelector('.reader[data-scan-complete="true"]');
		await page.waitForSelector('.page[data-page="14"] canvas');
		const state = await readerState(page);
		// The scan counted matches across the paper without reading every page of the PDF.
		expect(Number(state.matches)).toBeGreaterThan(0);
		const size = readFileSync(join(SHARED_CORPUS, 'pdf', `${EUCA}.pdf`)).length;
		expect(bytes).toBeGreaterThan(0);
		expect(bytes).toBeLessThan(0.4 * size);
		await page.close();
	});

	it('shows page one from its preview JPEG while the PDF is still on its way, then draws it live', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		const release = await holdPdf(page, 'reader-six-pages');
		await page.goto(`${portal.url}/papers/reader-six-pages`);
		const preview = page.locator('.page[data-page="1"] img.page-preview');
		await preview.waitFor();
		const shown = await shownPreview(page);
		// The PDF has not arrived, yet page one is on screen at the reader's width, A4-shaped, drawn.
		expect(shown.status).toBe('loading');
		expect(shown.width).toBeGreaterThan(600);
		expect(shown.width).toBeCloseTo(shown.pageWidth, 0);
		expect(shown.ratio).toBeCloseTo(842 / 595, 2);
		// Two short lines of text: a little ink (a blank white JPEG has none).
		expect(shown.ink).toBeGreaterThan(0.0002);
		release();
		await page.waitForSelector('.page[data-page="1"] canvas');
		await page.waitForSelector('.page[data-page="1"] .textLayer');
		await expect(preview.count()).resolves.toBe(0);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('shows the page a deep link opens at from its JPEG while the PDF is held back, then draws it live', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		const release = await holdPdf(page, 'reader-six-pages');
		await page.goto(`${portal.url}/papers/reader-six-pages?page=2`);
		const preview = page.locator('.page[data-page="2"] img.page-preview');
		await preview.waitFor();
		const shown = await shownPreview(page);
		expect(shown.status).toBe('loading');
		expect(shown.src).toBe('/papers/reader-six-pages/page/2.jpg');
		expect(shown.alt).toBe('Page 2 of Six Pages of Saliency');
		expect(shown.previews).toBe(1);
		expect(shown.width).toBeGreaterThan(600);
		expect(shown.offsetInPane).toBeGreaterThanOrEqual(0);
		expect(shown.offsetInPane).toBeLessThan(40);
		expect(shown.paneTop).toBeGreaterThanOrEqual(0);
		expect(shown.paneTop).toBeLessThan(900 / 2);
		expect(shown.ink).toBeGreaterThan(0.0002);
		// It is page two's drawing, not page one's.
		const [pageOne, pageTwo] = await Promise.all(
			[1, 2].map(async (n) =>
				Buffer.from(
					await (await fetch(`${portal.url}/papers/reader-six-pages/page/${n}.jpg`)).arrayBuffer()
				)
			)
		);
		expect(pageTwo.equals(pageOne)).toBe(false);
		release();
		await page.waitForSelector('.page[data-page="2"] canvas');
		await page.waitForSelector('.page[data-page="2"] .textLayer');
		await expect(preview.count()).resolves.toBe(0);
		const after = await page.evaluate(() => {
			const pages = document.querySelector('.reader .pages')!.getBoundingClientRect();
			const two = document.querySelector('.page[data-page="2"]')!.getBoundingClientRect();
			return {
				current: document.querySelector<HTMLElement>('.reader')!.dataset.currentPage,
				offset: two.top - pages.top
			};
		});
		// Page one is laid out above it now, and the reader is still on page two.
		expect(after.current).toBe('2');
		expect(after.offset).toBeGreaterThanOrEqual(0);
		expect(after.offset).toBeLessThan(40);
		expect(await page.locator('.page[data-page="1"]').isVisible()).toBe(true);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('draws the page a deep link opens at with pdf.js before the app has loaded, and keeps that drawing', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		// Holds back the app's own code (SvelteKit's entry), not pdf.js or its worker.
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/_app/immutable/entry/**', async (route) => {
			await held;
			await route.continue();
		});
		// No query: its hit strip would narrow the pages, and they would be drawn anew at that width.
		await page.goto(`${portal.url}/papers/reader-six-pages?page=3`);
		const early = await page.waitForFunction(() => {
			const canvas = document.querySelector<HTMLCanvasElement>('.page[data-page="3"] canvas');
			if (!canvas) return null;
			(window as unknown as { drawnEarly: HTMLCanvasElement }).drawnEarly = canvas;
			(window as unknown as { readerEarly: Element }).readerEarly =
				document.querySelector('.reader')!;
			const context = canvas.getContext('2d')!;
			const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
			let dark = 0;
			for (let i = 0; i < data.length; i += 4)
				if (data[i] + data[i + 1] + data[i + 2] < 300) dark++;
			return {
				hydrated: document.documentElement.hasAttribute('data-hydrated'),
				ink: dark / (data.length / 4),
				cssWidth: canvas.getBoundingClientRect().width,
				slotWidth: canvas.closest('.page')!.getBoundingClientRect().width
			};
		});
		const drawn = (await early.jsonValue())!;
		// Page three is drawn (ink, at the page's width) while the app is still held back.
		expect(drawn.hydrated).toBe(false);
		expect(drawn.ink).toBeGreaterThan(0.0002);
		expect(drawn.cssWidth).toBeCloseTo(drawn.slotWidth, 0);
		release();
		await page.waitForSelector('.reader[data-status="ready"]');
		await page.waitForSelector('.page[data-page="3"] .textLayer');
		const after = await page.evaluate(() => {
			const slot = document.querySelector('.page[data-page="3"]')!;
			return {
				canvases: slot.querySelectorAll('canvas').length,
				kept:
					slot.querySelector('canvas') ===
					(window as unknown as { drawnEarly: HTMLCanvasElement }).drawnEarly,
				previews: slot.querySelectorAll('img.page-preview').length,
				text: slot.querySelector('.textLayer')!.textContent,
				current: document.querySelector<HTMLElement>('.reader')!.dataset.currentPage,
				// Hydration kept the server's markup instead of building the page anew.
				hydrated:
					document.querySelector('.reader') ===
					(window as unknown as { readerEarly: Element }).readerEarly
			};
		});
		// The reader took that canvas over (no second drawing) and laid the page's text over it.
		expect(after).toMatchObject({
			canvases: 1,
			kept: true,
			hydrated: true,
			previews: 0,
			current: '3'
		});
		expect(after.text).toContain('second saliency map');
		expect(problems).toEqual([]);
		await page.close();
	});

	it('shows the page a deep link opens at to readers without JavaScript', async () => {
		const context = await browser.newContext({
			javaScriptEnabled: false,
			viewport: { width: 1280, height: 900 }
		});
		const page = await context.newPage();
		await page.goto(`${portal.url}/papers/reader-six-pages?page=3`);
		await page.waitForFunction(() => {
			const image = document.querySelector<HTMLImageElement>('.page[data-page="3"] img');
			return image?.complete && image.naturalWidth > 0;
		});
		const shown = await page.evaluate(() => {
			const pages = document.querySelector('.reader .pages')!.getBoundingClientRect();
			const image = document.querySelector('.page[data-page="3"] img')!.getBoundingClientRect();
			return { offset: image.top - pages.top, paneHeight: pages.height };
		});
		// In the upper part of the pane, below the links to the pages around it.
		expect(shown.offset).toBeLessThan(shown.paneHeight / 3);
		expect(await page.locator('.reader').innerText()).toMatch(/Page 3 of 6/);
		await context.close();
	});

	it('gives pdf.js the standard font a PDF names without embedding', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		const fonts: { url: string; status: number }[] = [];
		page.on('response', (response) => {
			if (response.url().includes('/standard_fonts/'))
				fonts.push({ url: response.url(), status: response.status() });
		});
		// The fixture's page one names the Symbol font and embeds no font program for it.
		await openReader(page, `${portal.url}/papers/reader-six-pages`);
		await page.waitForSelector('.page[data-page="1"] .textLayer');
		expect(fonts.length).toBeGreaterThan(0);
		expect(fonts.every((font) => font.status === 200)).toBe(true);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('opens a second paper reached by client-side navigation, after the first one', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		await openReader(page, `${portal.url}/papers/reader-six-pages`);
		await page.waitForSelector('.page[data-page="1"] canvas');
		// The router, not a page load: the early head script does not run again.
		await page.evaluate((href) => {
			const link = document.createElement('a');
			link.href = href;
			document.body.append(link);
			link.click();
		}, `/papers/${EUCA}?page=3`);
		await page.waitForURL(`**/papers/${EUCA}?page=3`);
		await page.waitForSelector('.reader[data-status="ready"]');
		await page.waitForSelector('.page[data-page="3"] canvas');
		expect(await page.locator('.reader').getAttribute('aria-label')).toContain('EUCA');
		expect((await readerState(page)).currentPage).toBe('3');
		expect(problems).toEqual([]);
		await page.close();
	});

	it('shows page one and a download link to readers without JavaScript', async () => {
		const context = await browser.newContext({
			javaScriptEnabled: false,
			viewport: { width: 1280, height: 900 }
		});
		const page = await context.newPage();
		await page.goto(`${portal.url}/papers/reader-six-pages`);
		await page.waitForFunction(() => {
			const image = document.querySelector<HTMLImageElement>('.page[data-page="1"] img');
			return image?.complete && image.naturalWidth > 0;
		});
		const width = await page
			.locator('.page[data-page="1"] img')
			.evaluate((image) => image.getBoundingClientRect().width);
		expect(width).toBeGreaterThan(600);
		const reader = await page.locator('.reader').innerText();
		expect(reader).toMatch(/Page 1 of 6/);
		expect(reader).not.toMatch(/Loading the PDF/);
		await expect(
			page.locator('.reader a[download]', { hasText: 'Download the PDF' }).getAttribute('href')
		).resolves.toBe('/papers/reader-six-pages/pdf');
		await context.close();
	});

	it('explains a paper without a PDF and still shows its metadata', async () => {
		const page = await browser.newPage();
		const problems = watchConsole(page);
		await page.goto(`${portal.url}/papers/reader-no-pdf`);
		await expect(page.locator('h1').innerText()).resolves.toBe(
			'A Paper Known Only by Its Metadata'
		);
		await expect(page.locator('.reader').innerText()).resolves.toContain(
			'No PDF is available for this paper'
		);
		expect((await fetch(`${portal.url}/papers/reader-no-pdf/pdf`)).status).toBe(404);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('opens and highlights a deep link when the server refuses byte ranges and sends the whole PDF', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watchConsole(page);
		const whole = await (await fetch(`${portal.url}/papers/reader-six-pages/pdf`)).arrayBuffer();
		const asked: string[] = [];
		// A server (or proxy) that ignores Range: 200 with the whole file and no Accept-Ranges.
		await page.route('**/papers/reader-six-pages/pdf', (route) => {
			asked.push(route.request().headers()['range'] ?? 'whole file');
			return route.fulfill({
				status: 200,
				headers: { 'Content-Type': 'application/pdf' },
				body: Buffer.from(whole)
			});
		});
		await page.goto(`${portal.url}/papers/reader-six-pages?page=3&q=saliency`);
		await page.waitForSelector('.reader[data-status="ready"]');
		await page.waitForSelector('.page[data-page="3"] .textLayer mark.hit');
		const marked = (await highlightedMatches(page)).filter((match) => match.page === 3);
		// The early script asked for ranges first; refused, the document was opened from the whole file.
		expect(asked.some((range) => range.startsWith('bytes='))).toBe(true);
		expect(asked).toContain('whole file');
		expect(marked.map((match) => match.text.toLowerCase())).toEqual(Array(3).fill('saliency'));
		await expect(page.locator('.page[data-page="3"] canvas').count()).resolves.toBe(1);
		expect(problems).toEqual([]);
		await page.close();
	});

	it('explains a password-protected PDF without an unhandled error', async () => {
		const page = await browser.newPage();
		const problems = watchConsole(page);
		const encrypted = makePdf([singleColumnPage(['Secret'])], { encrypted: true });
		await page.route('**/papers/reader-six-pages/pdf', (route) =>
			route.fulfill({ status: 200, contentType: 'application/pdf', body: encrypted })
		);
		await page.goto(`${portal.url}/papers/reader-six-pages`);
		await page.waitForSelector('.reader[data-status="error"]');
		await expect(page.getByRole('alert').innerText()).resolves.toMatch(/password-protected/);
		await expect(page.locator('h1').innerText()).resolves.toBe('Six Pages of Saliency');
		expect(problems).toEqual([]);
		await page.close();
	});

	it('serves the PDF with ranges and validators', async () => {
		const url = `${portal.url}/papers/${EUCA}/pdf`;
		const size = readFileSync(join(SHARED_CORPUS, 'pdf', `${EUCA}.pdf`)).length;
		const whole = await fetch(url, { method: 'HEAD' });
		expect(whole.headers.get('content-length')).toBe(String(size));
		expect(whole.headers.get('accept-ranges')).toBe('bytes');
		const part = await fetch(url, { headers: { Range: 'bytes=0-1023' } });
		expect(part.status).toBe(206);
		expect((await part.arrayBuffer()).byteLength).toBe(1024);
		const again = await fetch(url, { headers: { 'If-None-Match': whole.headers.get('etag')! } });
		expect(again.status).toBe(304);
		expect((await fetch(`${portal.url}/papers/no-such-paper/pdf`)).status).toBe(404);
	});
});
