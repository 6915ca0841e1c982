/**
 * `npm run bench:reader`: the reading room in headless Chromium against the production server,
 * on a 50-page and two 300-page generated PDFs, one with a flat page tree (as Word writes) and
 * one grouped ten pages to a node (as pdfTeX writes), and the real 52-page EUCA paper when
 * ../shared/corpus is there). Prints, per file: when page one's preview JPEG (drawn by the
 * server: by its idle warm-up before the visit, or with `--page-one cold` on the visit) was painted, when pdf.js drew page one itself, the time from
 * there until every match of the query is highlighted, and the JS heap after scrolling to the
 * end; and, in the same run, plain pdf.js showing page one of the same file. Then a search
 * hit's deep link into each file (`?page=N&q=`): when page N's JPEG was painted on the first
 * visit (the server draws it then) and on a second one, when pdf.js drew it, and plain pdf.js
 * drawing page N, at its own scale (1.5) and at the reader's fit-width scale (the same canvas);
 * each visit logs its timeline (marks of the early script, pdf.js's module, the page JPEG and
 * the PDF requests as asked for / sent / received, the canvas size). Screenshots (light, dark,
 * 390-px phone) go to /tmp/screens.
 *
 * Flags: `--no-build` reuses the existing `build/`; `--screens <dir>` changes where shots go;
 * `--only <text>` measures only the files whose id contains it; `--rounds <n>` repeats the deep
 * links and prints medians; `--compare <dir>` serves another checkout's `build/` (built there
 * first when it has none) from the same data beside this one, page one measured on both after
 * plain pdf.js, its deep links interleaved with ours round by round (its data must be one its
 * server reads: a checkout older than the catalog format answers 503); `--deep-only` measures
 * the deep links only; `--page-one cold` turns the server's page-one warm-up off, so each page
 * one is drawn when the reader asks for it (by default the bench waits until the warm-up has
 * drawn them all, and says how long that took).
 */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runIngestCli } from '../ingest/run-cli.ts';
import { launchChromium } from '../../tests/e2e/harness.ts';
import {
	log,
	makePapers,
	privateBuild,
	ROOT,
	startPlainServer,
	startServer,
	type Target
} from './reader-fixtures.ts';

const QUERY = 'saliency';
const { values: options } = parseArgs({
	options: {
		screens: { type: 'string', default: '/tmp/screens' },
		'no-build': { type: 'boolean', default: false },
		/** Measures only the files whose id contains this (the ingest still reads them all). */
		only: { type: 'string', default: '' },
		rounds: { type: 'string', default: '1' },
		compare: { type: 'string' },
		'deep-only': { type: 'boolean', default: false },
		'page-one': { type: 'string', default: 'warm' }
	}
});
const pageOneCold = options['page-one'] === 'cold';
const rounds = Math.max(1, Number(options.rounds) || 1);
const screensDir = options.screens;

async function markTime(page: Page, name: string, timeoutMs = 120_000): Promise<number> {
	await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, name, {
		timeout: timeoutMs,
		polling: 20
	});
	return page.evaluate((mark) => performance.getEntriesByName(mark)[0].startTime, name);
}

/**
 * When an element marked `elementtiming="<name>"` was painted (Element Timing API), or NaN when it
 * never was: gone from the page unpainted (the reader drew the page before its JPEG came), or 20 s.
 */
function elementShown(page: Page, name: string): Promise<number> {
	return page.evaluate(
		(identifier) =>
			new Promise<number>((resolve) => {
				new PerformanceObserver((list) => {
					const entry = list
						.getEntries()
						.find((e) => (e as unknown as { identifier: string }).identifier === identifier);
					const timing = entry as unknown as { renderTime: number; loadTime: number } | undefined;
					if (timing) resolve(timing.renderTime || timing.loadTime);
				}).observe({ type: 'element', buffered: true });
				const gone = setInterval(() => {
					if (document.readyState === 'loading') return;
					if (document.querySelector(`[elementtiming="${identifier}"]`)) return;
					// Its paint, if any, is reported a frame after it: give it two.
					setTimeout(() => resolve(NaN), 100);
					clearInterval(gone);
				}, 50);
				setTimeout(() => resolve(NaN), 20_000);
			}),
		name
	);
}

async function heapAfterScrollingToEnd(page: Page): Promise<{ heapMb: number; canvases: number }> {
	await page.evaluate(async () => {
		const scroller = document.querySelector<HTMLElement>('.reader .pages')!;
		while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2) {
			scroller.scrollBy(0, scroller.clientHeight);
			await new Promise((wake) => setTimeout(wake, 40));
		}
	});
	await page.waitForTimeout(1500);
	const session = await page.context().newCDPSession(page);
	await session.send('HeapProfiler.collectGarbage');
	const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
	const canvases = await page.$$eval('.reader canvas', (list) => list.length);
	return { heapMb: usedSize / 1048576, canvases };
}

async function measureReader(browser: Browser, url: string, target: Target) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.goto(`${url}/papers/${target.id}?q=${QUERY}`);
	const previewShown = await elementShown(page, 'reader-preview');
	const firstPage = await markTime(page, 'reader:first-page');
	const documentOpen = await markTime(page, 'reader:document-open');
	// A string, not a function: tsx's name helpers do not exist inside the page.
	const breakdown = await page.evaluate<string>(`(() => {
		const navigation = performance.getEntriesByType('navigation')[0];
		const at = (name) => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? NaN);
		const resource = (part) => {
			const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(part));
			return entry ? Math.round(entry.startTime) + '-' + Math.round(entry.responseEnd) : '?';
		};
		return 'html ' + Math.round(navigation.responseEnd) +
			', DOMContentLoaded ' + Math.round(navigation.domContentLoadedEventEnd) +
			', pdf.js fetched ' + resource('pdf.min') + ' loaded ' + at('reader:pdfjs-loaded') +
			', worker fetched ' + resource('pdf.worker') +
			', document open ' + at('reader:document-open') +
			', first page ' + at('reader:first-page');
	})()`);
	log(`${target.label}: ${breakdown}`);
	const highlights = await markTime(page, 'reader:highlights');
	const matches = await page.$eval('.reader', (el) => Number((el as HTMLElement).dataset.matches));
	const { heapMb, canvases } = await heapAfterScrollingToEnd(page);
	await context.close();
	return {
		previewShown,
		documentOpen,
		firstPage,
		highlightAfter: highlights - firstPage,
		matches,
		heapMb,
		canvases,
		errors
	};
}

/** When the app hydrated (the layout marks `html[data-hydrated]`), as a performance mark. */
const MARK_HYDRATION = `new MutationObserver((_, observer) => {
	if (!document.documentElement?.hasAttribute('data-hydrated')) return;
	performance.mark('bench:hydrated');
	observer.disconnect();
}).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });`;

/** The steps of a load, in ms since navigation start, for the marks given (missing ones are "?"). */
function stepsOf(page: Page, marks: string[]): Promise<string> {
	return page.evaluate<string>(`(() => {
		const navigation = performance.getEntriesByType('navigation')[0];
		const at = (name) => {
			const entry = performance.getEntriesByName(name)[0];
			return entry ? Math.round(entry.startTime) : '?';
		};
		const resources = performance.getEntriesByType('resource');
		// Asked for, sent (after waiting for a free connection), received.
		const fetched = (entry) => entry
			? [entry.startTime, entry.requestStart || entry.startTime, entry.responseEnd].map(Math.round).join('/')
			: '?';
		const module = resources.find((e) => /pdf\\.min\\./.test(e.name));
		// The page image of a deep link: a first visit has the server draw it, at a lower priority.
		const image = resources.find((e) => /\\/page\\/\\d+\\.jpg/.test(e.name));
		const ranges = resources.filter((e) => /\\/pdf$|\\/file\\//.test(e.name)).map(fetched).join(' ');
		const pixels = performance.getEntriesByType('mark').find((e) => e.detail?.pixels)?.detail.pixels;
		return 'html ' + Math.round(navigation.responseEnd) +
			', DCL ' + Math.round(navigation.domContentLoadedEventEnd) +
			', pdf.js module ' + fetched(module) +
			${JSON.stringify(marks)}.map((mark) => ', ' + mark.replace(/^[a-z]+:/, '') + ' ' + at(mark)).join('') +
			', page JPEG ' + (image ? fetched(image) : 'not received yet') +
			', PDF requests ' + ranges + ', canvas ' + (pixels ? (pixels / 1e6).toFixed(2) + ' MP' : '?');
	})()`);
}

/**
 * Counts the bytes of the PDF that reach the page, through the DevTools protocol, so that ranges,
 * the aborted whole-file request pdf.js starts with, and requests from workers all count.
 */
async function countPdfBytes(page: Page, pdfPath: string): Promise<() => number> {
	const session = await page.context().newCDPSession(page);
	await session.send('Network.enable');
	const pdfRequests = new Set<string>();
	let bytes = 0;
	session.on('Network.requestWillBeSent', (event) => {
		if (new URL(event.request.url).pathname === pdfPath) pdfRequests.add(event.requestId);
	});
	session.on('Network.dataReceived', (event) => {
		if (pdfRequests.has(event.requestId)) bytes += event.dataLength;
	});
	return () => bytes;
}

/** The page a deep link opens at in each file: about a third of the way in. */
function deepPage(target: Target): number {
	return target.id === 'jin-euca-end-user-xai' ? 14 : target.id.startsWith('bench-50') ? 7 : 100;
}

/** One visit of a deep link: when page N's JPEG was painted and pdf.js drew it, and PDF bytes fetched. */
interface DeepVisit {
	shown: number;
	drawn: number;
	bytesAtDraw: number;
	bytesSettled: number;
	/** CSS pixels per PDF point of the early drawing (NaN for a build that does not say). */
	scale: number;
	/** When page N's JPEG had arrived (NaN: not by the end of the visit), painted or not. */
	imageReceived: number;
}

/**
 * A search hit's deep link (`?page=N&q=`) in a fresh browser context: when page N's JPEG was
 * painted and when pdf.js drew it. `firstVisit` removes page N's JPEG first, so the server draws
 * it during the visit as on a first visit, and asks a URL no page cache holds (`round`).
 */
async function visitDeepLink(
	browser: Browser,
	server: { url: string; name: string },
	target: Target,
	visit: { firstVisit: boolean; round: number; dataDir: string }
): Promise<DeepVisit> {
	const pageNumber = deepPage(target);
	if (visit.firstVisit) forgetPageImages(visit.dataDir, pageNumber);
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const fetched = await countPdfBytes(page, `/papers/${target.id}/pdf`);
	await page.addInitScript(MARK_HYDRATION);
	const fresh = visit.firstVisit ? `&round=${visit.round}` : '';
	// Not waiting for the load event: on a first visit it waits for the JPEG being drawn.
	await page.goto(`${server.url}/papers/${target.id}?page=${pageNumber}&q=${QUERY}${fresh}`, {
		waitUntil: 'commit'
	});
	const shown = await elementShown(page, 'reader-preview');
	const drawn = await markTime(page, 'reader:first-page');
	const bytesAtDraw = fetched();
	const scale = await page.evaluate<number>(
		`performance.getEntriesByName('reader:render-start')[0]?.detail?.scale ?? NaN`
	);
	await markTime(page, 'bench:hydrated').catch(() => NaN);
	// Then everything the reader goes on to fetch on its own (the find scan), without scrolling.
	await page
		.waitForSelector('.reader[data-scan-complete="true"]', { timeout: 30_000 })
		.catch(() => {});
	await page.waitForTimeout(1000);
	// Logged now, so that a first visit's page JPEG, drawn meanwhile, is in it when it came.
	const steps = await stepsOf(page, [
		'reader:early-script',
		'reader:pdfjs-loaded',
		'reader:worker-ready',
		'reader:document-loaded',
		'reader:page-loaded',
		'reader:render-start',
		'reader:first-page',
		'reader:document-open',
		'bench:hydrated'
	]);
	const which = visit.firstVisit ? 'first visit' : 'again';
	log(
		`${server.name}, deep link into ${target.label} (${which}): JPEG shown ${Math.round(shown)}, ${steps}`
	);
	const bytesSettled = fetched();
	const imageReceived = await page.evaluate<number>(
		`performance.getEntriesByType('resource').find((e) => /\\/page\\/\\d+\\.jpg/.test(e.name))?.responseEnd ?? NaN`
	);
	await context.close();
	return { shown, drawn, bytesAtDraw, bytesSettled, scale, imageReceived };
}

/** Removes every page-N JPEG the server drew, so that the next visit has it drawn again. */
function forgetPageImages(dataDir: string, pageNumber: number): void {
	const folder = join(dataDir, 'pdf');
	for (const name of readdirSync(folder)) {
		if (name.endsWith(`.page${pageNumber}.jpg`)) rmSync(join(folder, name));
	}
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
	const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
	if (!sorted.length) return NaN;
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * On a throttled link (8 Mbit/s), whether page one shows before the whole file has arrived:
 * the point of range requests and a streamed, not auto-fetched, document.
 */
async function measureThrottled(browser: Browser, url: string, target: Target) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const session = await context.newCDPSession(page);
	await session.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 20,
		downloadThroughput: 1_000_000,
		uploadThroughput: 1_000_000
	});
	await page.goto(`${url}/papers/${target.id}`);
	const firstPage = await markTime(page, 'reader:first-page');
	// The whole file has arrived when the longest response for it ends (the stream, or the last range).
	await page.waitForTimeout(200);
	const pdfPath = `/papers/${target.id}/pdf`;
	const wholeFile = await page.evaluate<number>(`(async () => {
		for (let i = 0; i < 600; i++) {
			const ends = performance.getEntriesByType('resource')
				.filter((e) => e.name.endsWith(${JSON.stringify(pdfPath)}))
				.map((e) => e.responseEnd);
			const bytes = performance.getEntriesByType('resource')
				.filter((e) => e.name.endsWith(${JSON.stringify(pdfPath)}))
				.reduce((sum, e) => sum + e.encodedBodySize, 0);
			if (bytes >= ${statSync(target.pdfPath).size} && ends.every((end) => end > 0)) return Math.max(...ends);
			await new Promise((wake) => setTimeout(wake, 100));
		}
		return NaN;
	})()`);
	await context.close();
	return { firstPage, wholeFile };
}

/** Plain pdf.js drawing a page, at its own scale (1.5) or at `scale` (the reader's fit-width). */
async function measurePlain(
	browser: Browser,
	url: string,
	target: Target,
	pageNumber = 1,
	scale?: number
): Promise<number> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const scaled = scale === undefined ? '' : `&scale=${scale}`;
	await page.goto(`${url}/?file=${target.id}&page=${pageNumber}${scaled}`);
	const time = await markTime(page, 'plain:first-page');
	if (pageNumber !== 1) {
		const steps = await stepsOf(page, [
			'plain:pdfjs-loaded',
			'plain:document-open',
			'plain:page',
			'plain:render-start',
			'plain:first-page'
		]);
		log(`plain pdf.js, ${target.label}, page ${pageNumber}, scale ${scale ?? 1.5}: ${steps}`);
	}
	await context.close();
	return time;
}

async function screenshots(browser: Browser, url: string): Promise<string[]> {
	mkdirSync(screensDir, { recursive: true });
	const shots: string[] = [];
	const deepLink = `${url}/papers/bench-50-pages-flat?page=7&q=${QUERY}`;
	const take = async (
		name: string,
		options: Parameters<Browser['newContext']>[0],
		dark = false
	) => {
		const context = await browser.newContext(options);
		const page = await context.newPage();
		if (dark) await page.emulateMedia({ colorScheme: 'dark' });
		await page.goto(deepLink);
		await page.waitForSelector('.page[data-page="7"] mark.hit');
		await page.waitForTimeout(500);
		const path = join(screensDir, `reader-${name}.png`);
		await page.screenshot({ path });
		shots.push(path);
		await context.close();
	};
	await take('light', { viewport: { width: 1280, height: 900 } });
	await take('dark', { viewport: { width: 1280, height: 900 } }, true);
	await take('phone-390', {
		viewport: { width: 390, height: 844 },
		deviceScaleFactor: 3,
		isMobile: true,
		hasTouch: true
	});
	return shots;
}

/** Prints a table with columns padded to their widest cell. */
function printTable(header: string[], rows: string[][]): void {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
	console.log(line(header));
	console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
	for (const row of rows) console.log(line(row));
}

/** A production server under measurement: this checkout's build, or the one compared with. */
interface Portal {
	name: string;
	url: string;
}

/** Waits until every PDF in the store has its page-one JPEG (the server's warm-up); false on timeout. */
async function pageOnesDrawn(dataDir: string, timeoutMs: number): Promise<boolean> {
	const store = join(dataDir, 'pdf');
	const until = performance.now() + timeoutMs;
	while (performance.now() < until) {
		const names = new Set(readdirSync(store));
		const pdfs = [...names].filter((name) => name.endsWith('.pdf'));
		if (pdfs.every((name) => names.has(name.replace(/\.pdf$/, '.page1.jpg')))) return true;
		await new Promise((wake) => setTimeout(wake, 50));
	}
	return false;
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'glassbox-bench-reader-'));
	const stops: (() => void)[] = [];
	let plainServer: Server | null = null;
	let browser: Browser | null = null;
	try {
		const app = privateBuild(work, ROOT, 'app', options['no-build']);
		const compareRoot = options.compare ? resolve(options.compare) : null;
		const compareApp = compareRoot
			? privateBuild(work, compareRoot, 'compare', existsSync(join(compareRoot, 'build')))
			: null;
		const { papersDir, targets } = makePapers(work, options.only);
		const dataDir = join(work, 'data');
		log('ingesting the benchmark papers…');
		const ingested = runIngestCli(papersDir, dataDir);
		if (ingested.status === 1) throw new Error(`ingest failed:\n${ingested.output}`);
		const serverStarted = performance.now();
		const ours = await startServer(app, dataDir, pageOneCold ? { PAGE_ONE_WARMUP: 'off' } : {});
		stops.push(ours.stop);
		if (!pageOneCold) {
			const warmed = await pageOnesDrawn(dataDir, 120_000);
			log(
				`page-one warm-up: ${warmed ? 'every page one drawn' : 'NOT done'} ${Math.round(performance.now() - serverStarted)} ms after the server was started`
			);
		}
		const portals: Portal[] = [{ name: 'this build', url: ours.url }];
		if (compareApp) {
			const other = await startServer(compareApp, dataDir);
			stops.push(other.stop);
			portals.push({ name: `compared (${options.compare})`, url: other.url });
		}
		const portal = portals[0];
		const plain = await startPlainServer(targets);
		plainServer = plain.server;
		browser = await launchChromium();
		if (!browser)
			throw new Error('bench:reader needs Chromium (Debian `chromium` or CHROMIUM_PATH)');
		// One warm-up load so the first measured file does not pay for Chromium's own start.
		await measurePlain(browser, plain.url, targets[0]);

		const rows: string[][] = [];
		for (const target of options['deep-only'] ? [] : targets) {
			log(`measuring ${target.label}…`);
			const plainFirst = await measurePlain(browser, plain.url, target);
			// Every build, so that page one's times are compared in the same run too.
			for (const server of portals) {
				const reader = await measureReader(browser, server.url, target);
				rows.push([
					target.label,
					server.name,
					Number.isNaN(reader.previewShown) ? 'none' : `${Math.round(reader.previewShown)} ms`,
					`${Math.round(reader.firstPage)} ms (open ${Math.round(reader.documentOpen)})`,
					`${Math.round(plainFirst)} ms`,
					`${Math.round(reader.highlightAfter)} ms (${reader.matches} matches)`,
					`${reader.heapMb.toFixed(1)} MB`,
					String(reader.canvases),
					reader.errors.length ? reader.errors.join('; ') : 'none'
				]);
			}
		}
		const deepRows: string[][] = [];
		for (const target of targets) {
			log(`measuring a deep link into ${target.label}, ${rounds} round(s)…`);
			const visits = new Map(
				portals.map((p) => [p.name, { first: [] as DeepVisit[], again: [] as DeepVisit[] }])
			);
			const plainTimes: number[] = [];
			const plainAtReaderScale: number[] = [];
			for (let round = 0; round < rounds; round++) {
				// Alternating order, so neither build always goes first on a machine that slows down.
				const order = round % 2 ? [...portals].reverse() : portals;
				for (const server of order) {
					const seen = visits.get(server.name)!;
					seen.first.push(
						await visitDeepLink(browser, server, target, { firstVisit: true, round, dataDir })
					);
					seen.again.push(
						await visitDeepLink(browser, server, target, { firstVisit: false, round, dataDir })
					);
				}
				plainTimes.push(await measurePlain(browser, plain.url, target, deepPage(target)));
				// The same page drawn at the reader's fit-width, to tell its bigger canvas from the rest.
				const readerScale = median(
					[...visits.values()].flatMap((v) => [...v.first, ...v.again].map((d) => d.scale))
				);
				if (!Number.isNaN(readerScale)) {
					plainAtReaderScale.push(
						await measurePlain(browser, plain.url, target, deepPage(target), readerScale)
					);
				}
			}
			const plainDeep = median(plainTimes);
			const plainDeepScaled = median(plainAtReaderScale);
			const ms = (time: number) => (Number.isNaN(time) ? 'none' : `${Math.round(time)} ms`);
			const size = statSync(target.pdfPath).size;
			const share = (bytes: number) =>
				`${Math.round(bytes / 1024)} KB (${Math.round((100 * bytes) / size)}%)`;
			for (const server of portals) {
				const { first, again } = visits.get(server.name)!;
				const at = (list: DeepVisit[], key: keyof DeepVisit) => median(list.map((v) => v[key]));
				// A JPEG the reader replaced before it came was never painted, and is left out of the median.
				const painted = (list: DeepVisit[]) => {
					const count = list.filter((v) => !Number.isNaN(v.shown)).length;
					return count === list.length ? '' : ` (painted in ${count} of ${list.length})`;
				};
				deepRows.push([
					`${target.label}, page ${deepPage(target)} (${Math.round(size / 1024)} KB)`,
					server.name,
					`${ms(at(first, 'shown'))}${painted(first)}, received ${ms(at(first, 'imageReceived'))}`,
					`${ms(at(again, 'shown'))}${painted(again)}`,
					`${ms(at(first, 'drawn'))} / ${ms(at(again, 'drawn'))}`,
					ms(plainDeep),
					`${(at(first, 'drawn') / plainDeep).toFixed(2)}× / ${(at(again, 'drawn') / plainDeep).toFixed(2)}×`,
					`${ms(plainDeepScaled)}: ${(at(first, 'drawn') / plainDeepScaled).toFixed(2)}× / ${(at(again, 'drawn') / plainDeepScaled).toFixed(2)}×`,
					share(at(first, 'bytesAtDraw')),
					share(at(first, 'bytesSettled'))
				]);
			}
		}
		const big = targets[targets.length - 1];
		const throttled = options['deep-only']
			? null
			: await (async () => {
					log(`measuring ${big.label} on a throttled 8 Mbit/s link…`);
					return measureThrottled(browser!, portal.url, big);
				})();
		if (rows.length) {
			printTable(
				[
					'PDF',
					'build',
					pageOneCold
						? 'reader: page one shown (JPEG drawn on request)'
						: 'reader: page one shown (JPEG drawn by the warm-up)',
					'reader: page one drawn by pdf.js',
					'plain pdf.js: page one',
					`highlight "${QUERY}" after first page`,
					'JS heap after scrolling to the end',
					'canvases alive',
					'page errors'
				],
				rows
			);
			console.log('(times since navigation start, headless Chromium, production build, same run)');
		}
		printTable(
			[
				'deep link (?page=N&q=)',
				'build',
				'page N JPEG shown, first visit (drawn then); its arrival',
				'page N JPEG shown, again (from file)',
				'page N drawn by pdf.js, first / again',
				'plain pdf.js: page N',
				'pdf.js in reader / plain, first / again',
				"plain at the reader's scale; reader / it, first / again",
				'PDF bytes fetched when page N drawn',
				'PDF bytes fetched once settled (find scan done)'
			],
			deepRows
		);
		console.log(
			`(medians of ${rounds} round(s)${portals.length > 1 ? ', the builds interleaved' : ''}, same run)`
		);
		if (throttled) {
			console.log(
				`8 Mbit/s link, ${big.label} (${(statSync(big.pdfPath).size / 1048576).toFixed(1)} MB): ` +
					`first page at ${Math.round(throttled.firstPage)} ms, whole file arrived at ` +
					`${Number.isNaN(throttled.wholeFile) ? 'not within 60 s' : `${Math.round(throttled.wholeFile)} ms`}`
			);
		}
		if (!options['deep-only'] && targets.some((target) => target.id === 'bench-50-pages-flat')) {
			const shots = await screenshots(browser, portal.url);
			console.log(`screenshots: ${shots.join(', ')}`);
		}
	} finally {
		await browser?.close();
		plainServer?.close();
		for (const stop of stops) stop();
		rmSync(work, { recursive: true, force: true });
	}
}

await main();
