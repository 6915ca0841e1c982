/**
 * The portal on a phone, without JavaScript, and to assistive technology: no sideways scrolling at
 * phone widths, the search's filters behind a summary, the reader's one-row toolbar, the reader
 * without JavaScript, and axe-core on every kind of page in both colour schemes.
 */
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProceedingsPapersDir } from '../fixtures/import/proceedings-papers.ts';
import { hasSharedCorpus } from '../fixtures/shared-corpus.ts';
import { hasChromium, launchChromium, startPortal, type Portal } from './harness.ts';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** A paper of the fixture with a PDF (11 pages, two columns). */
const READER_PAPER = 'jin-evaluating-xai-multimodal';
const QUERY = 'explanation';

interface AxeViolation {
	id: string;
	impact: string | null;
	nodes: { target: string[] }[];
}

describe.skipIf(!hasChromium || !hasSharedCorpus)(
	'the portal on phones, without JavaScript, and to axe',
	() => {
		let portal: Portal;
		let browser: Browser;
		/** Every kind of page, found from the portal's own links (no hard-coded ids but the reader's). */
		let pages: Record<string, string>;
		/** Pages of the reader's paper holding the query, from the search API. */
		let hitPages: number[];

		beforeAll(async () => {
			portal = await startPortal({ papersDir: makeProceedingsPapersDir() });
			expect(portal.ingestStatus, portal.ingestOutput).toBe(0);
			browser = (await launchChromium())!;
			const firstLink = async (path: string, pattern: RegExp) => {
				const match = (await (await fetch(portal.url + path)).text()).match(pattern);
				expect(match, `a link ${pattern} on ${path}`).not.toBeNull();
				return match![1];
			};
			const search = await (await fetch(`${portal.url}/api/search?q=${QUERY}&limit=50`)).json();
			hitPages = search.hits.find((hit: { id: string }) => hit.id === READER_PAPER).pages;
			expect(hitPages.length).toBeGreaterThan(0);
			pages = {
				home: '/',
				search: `/search?q=${QUERY}`,
				'search without results': '/search?q=zzqxv',
				reader: `/papers/${READER_PAPER}?page=${hitPages[0]}&q=${QUERY}`,
				edition: await firstLink('/', /href="(\/editions\/[^"#]+)"/),
				topics: '/topics',
				topic: await firstLink('/topics', /href="(\/topics\/[^"#]+)"/),
				author: await firstLink('/authors', /href="(\/authors\/[^"#]+)"/),
				map: '/map',
				'not found': '/no-such-page'
			};
		});
		afterAll(async () => {
			await browser?.close();
			await portal?.stop();
		});

		async function open(
			path: string,
			options: { width?: number; javaScript?: boolean; dark?: boolean; axe?: boolean } = {}
		): Promise<{ page: Page; context: BrowserContext }> {
			const context = await browser.newContext({
				viewport: { width: options.width ?? 390, height: 844 },
				javaScriptEnabled: options.javaScript ?? true,
				colorScheme: options.dark ? 'dark' : 'light',
				// axe-core is injected as an inline script, which the portal's CSP rightly refuses.
				bypassCSP: options.axe ?? false
			});
			const page = await context.newPage();
			await page.goto(portal.url + path);
			if (options.javaScript !== false) await page.waitForSelector('html[data-hydrated]');
			if (options.javaScript !== false && path.startsWith('/papers/')) {
				await page.waitForSelector('.reader[data-status="ready"]');
			}
			return { page, context };
		}

		it('scrolls no page sideways at 320, 390 and 430 px', { timeout: 600_000 }, async () => {
			const overflowing: string[] = [];
			for (const width of [320, 390, 430]) {
				for (const path of Object.values(pages)) {
					const { page, context } = await open(path, { width });
					const sizes = await page.evaluate(() => ({
						scrollWidth: document.scrollingElement!.scrollWidth,
						innerWidth
					}));
					if (sizes.scrollWidth > sizes.innerWidth) {
						overflowing.push(`${path} at ${width} px: ${sizes.scrollWidth} px wide`);
					}
					await context.close();
				}
			}
			expect(overflowing).toEqual([]);
		});

		it('shows the results first on a phone, the filters behind "Filters (n active)" with live counts', async () => {
			const { page, context } = await open(`/search?q=${QUERY}`);
			const summary = page.locator('details.filters summary');
			await expect(summary.innerText()).resolves.toBe('Filters');
			expect(await page.locator('fieldset[data-facet="year"]').isVisible()).toBe(false);
			const firstResult = await page.locator('.results article.result').first().boundingBox();
			expect(firstResult!.y).toBeLessThan(400);

			await summary.click();
			const years = page.locator('fieldset[data-facet="year"] input:not(:disabled)');
			await expect(years.first().isVisible()).resolves.toBe(true);
			const total = Number(await page.locator('.summary').getAttribute('data-total'));
			await years.first().check();
			await page.waitForURL(/year=/);
			await page.waitForFunction(
				(before) =>
					Number(document.querySelector('.summary')!.getAttribute('data-total')) <= before,
				total
			);
			// Still open after the results changed, with the counts of the new results.
			await expect(summary.innerText()).resolves.toBe('Filters (1 active)');
			expect(await page.locator('fieldset[data-facet="year"]').isVisible()).toBe(true);
			const checkedCount = await page
				.locator('fieldset[data-facet="year"] label:has(input:checked) .count')
				.getAttribute('data-count');
			const newTotal = await page.locator('.summary').getAttribute('data-total');
			expect(checkedCount).toBe(newTotal);
			await context.close();

			const desktop = await browser.newContext({ viewport: { width: 1200, height: 900 } });
			const wide = await desktop.newPage();
			await wide.goto(`${portal.url}/search?q=${QUERY}`);
			expect(await wide.locator('fieldset[data-facet="year"]').isVisible()).toBe(true);
			expect(await wide.locator('details.filters summary').isVisible()).toBe(false);
			await desktop.close();
		});

		it('opens the filters without JavaScript too', async () => {
			const { page, context } = await open(`/search?q=${QUERY}&type=oral`, { javaScript: false });
			const summary = page.locator('details.filters summary');
			await expect(summary.innerText()).resolves.toBe('Filters (1 active)');
			expect(await page.locator('fieldset[data-facet="type"]').isVisible()).toBe(false);
			await summary.click();
			expect(await page.locator('fieldset[data-facet="type"]').isVisible()).toBe(true);
			await context.close();
		});

		it('announces only the result count, not the results', async () => {
			const { page, context } = await open(`/search?q=${QUERY}`);
			const live = await page.evaluate(() =>
				[...document.querySelectorAll('[aria-live], [role="status"]')]
					.filter((region) => region.closest('main'))
					.map((region) => region.textContent!.replace(/\s+/g, ' ').trim())
			);
			expect(live).toHaveLength(1);
			expect(live[0]).toMatch(/^\d+ papers? for/);
			await context.close();
		});

		it('fits the reader toolbar in one row of 44-px controls on a phone, the rest in a menu', async () => {
			for (const width of [320, 390]) {
				const { page, context } = await open(pages.reader, { width });
				const toolbar = page.locator('.reader .toolbar');
				const box = (await toolbar.boundingBox())!;
				expect(box.x + box.width).toBeLessThanOrEqual(width);
				const controls = await toolbar.evaluate((bar) =>
					[...bar.querySelectorAll<HTMLElement>('button, select, input, summary')]
						.filter((control) => !control.closest('.menu'))
						.filter((control) => control.getClientRects().length > 0)
						.map((control) => {
							const rect = control.getBoundingClientRect();
							const name = control.textContent?.trim() || control.id;
							return {
								name,
								top: rect.top,
								right: rect.right,
								width: rect.width,
								height: rect.height
							};
						})
				);
				const names = controls.map((control) => control.name).join(' ');
				for (const essential of ['Previous page', 'Next page', 'Find', 'More']) {
					expect(names).toContain(essential);
				}
				expect(await toolbar.locator('select').isVisible()).toBe(true);
				// One row: every control at the same height, inside the screen, 44 px or more.
				const tops = controls.map((control) => control.top);
				expect(Math.max(...tops) - Math.min(...tops), JSON.stringify(controls)).toBeLessThan(4);
				for (const control of controls) {
					expect(control.right, control.name).toBeLessThanOrEqual(width);
					expect(Math.min(control.width, control.height), control.name).toBeGreaterThanOrEqual(44);
				}
				const download = toolbar.locator('a[download]');
				expect(await download.isVisible()).toBe(false);
				await toolbar.locator('summary').click();
				expect(await download.isVisible()).toBe(true);
				const downloadBox = (await download.boundingBox())!;
				expect(downloadBox.x).toBeGreaterThanOrEqual(0);
				await context.close();
			}
		});

		it('fits the find bar in two rows of 44-px controls on a phone, its options as named toggles', async () => {
			for (const width of [320, 390]) {
				const { page, context } = await open(pages.reader, { width });
				const bar = page.locator('.reader .findbar');
				await bar.waitFor();
				const controls = await bar.evaluate((findbar) =>
					[...findbar.querySelectorAll<HTMLElement>('input[type="search"], button, label.option')]
						.filter((control) => control.getClientRects().length > 0)
						.map((control) => {
							const rect = control.getBoundingClientRect();
							return {
								name: control.title || control.tagName,
								top: Math.round(rect.top),
								right: rect.right,
								width: rect.width,
								height: rect.height
							};
						})
				);
				expect(controls).toHaveLength(6);
				const rows = new Set(controls.map((control) => control.top));
				expect(rows.size, JSON.stringify(controls)).toBeLessThanOrEqual(2);
				for (const control of controls) {
					expect(control.right, control.name).toBeLessThanOrEqual(width);
					expect(Math.min(control.width, control.height), control.name).toBeGreaterThanOrEqual(44);
				}
				// The toggle shows "Aa" and is still called "Match case"; a tap turns it on.
				const matchCase = page.getByRole('checkbox', { name: /Match case/ });
				expect(await matchCase.isChecked()).toBe(false);
				await bar.locator('label.option', { hasText: 'Aa' }).click();
				expect(await matchCase.isChecked()).toBe(true);
				await context.close();
			}
		});

		it('reads without JavaScript: the page, links to the pages around it, its snippets, the download', async () => {
			const shown = hitPages[0];
			const { page, context } = await open(pages.reader, { javaScript: false });
			const image = page.locator(`.page[data-page="${shown}"] img`);
			await expect(
				image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)
			).resolves.toBe(true);
			// Only that page is laid out, not blank boxes for the others.
			const laidOut = await page
				.locator('.reader .page')
				.evaluateAll((all) => all.filter((slot) => slot.getClientRects().length > 0).length);
			expect(laidOut).toBe(1);

			const snippets = await page.locator('.noscript-snippets li').allInnerTexts();
			expect(snippets.length).toBeGreaterThan(0);
			const marks = await page.locator('.noscript-snippets mark').allInnerTexts();
			expect(marks.every((mark) => mark.toLowerCase().startsWith(QUERY.slice(0, 7)))).toBe(true);
			await expect(page.locator('.noscript-bar a[download]').getAttribute('href')).resolves.toBe(
				`/papers/${READER_PAPER}/pdf`
			);
			// Nothing that needs JavaScript is shown: no toolbar, no "Searching…" find bar.
			expect(await page.locator('.reader .toolbar').isVisible()).toBe(false);
			expect(await page.locator('.reader .findbar').isVisible()).toBe(false);
			expect(await page.locator('.reader').innerText()).not.toContain('Searching');

			const next = page.locator('.noscript-bar a[rel="next"]');
			expect(await next.getAttribute('href')).toContain(`page=${shown + 1}`);
			await next.click();
			await page.waitForURL(new RegExp(`page=${shown + 1}`));
			const nextImage = page.locator(`.page[data-page="${shown + 1}"] img`);
			await expect(
				nextImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)
			).resolves.toBe(true);
			expect(await page.locator('.noscript-bar a[rel="prev"]').getAttribute('href')).toContain(
				`page=${shown}`
			);
			// A page without the query says so instead of showing nothing.
			if (!hitPages.includes(shown + 1)) {
				expect(await page.locator('.noscript-snippets').innerText()).toContain('No words of');
			}
			await context.close();
		});

		it.each([
			['light', false],
			['dark', true]
		])(
			'has no serious or critical axe violations on any page, %s, at 390 px',
			{ timeout: 600_000 },
			async (_, dark) => {
				const found: string[] = [];
				for (const [name, path] of Object.entries(pages)) {
					const { page, context } = await open(path, { dark, axe: true });
					await page.addScriptTag({ path: AXE_SCRIPT });
					const violations: AxeViolation[] = await page.evaluate(async () => {
						const axe = (
							window as unknown as { axe: { run: () => Promise<{ violations: unknown[] }> } }
						).axe;
						return (await axe.run()).violations as AxeViolation[];
					});
					for (const violation of violations) {
						if (violation.impact === 'serious' || violation.impact === 'critical') {
							const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(' '));
							found.push(
								`${name} (${dark ? 'dark' : 'light'}): ${violation.id} at ${targets.join(', ')}`
							);
						}
					}
					await context.close();
				}
				expect(found).toEqual([]);
			}
		);

		it('lets keyboards and screen readers follow the links of the heat maps and the map', async () => {
			const topics = await open('/topics');
			const heatLink = topics.page.locator('svg.heatmap a').first();
			expect(await heatLink.evaluate((link) => link.closest('[role="img"]'))).toBeNull();
			await topics.page.keyboard.press('Tab');
			let reached = false;
			for (let press = 0; press < 60 && !reached; press++) {
				reached = await topics.page.evaluate(
					() => !!document.activeElement?.closest('svg.heatmap')
				);
				if (!reached) await topics.page.keyboard.press('Tab');
			}
			expect(reached).toBe(true);
			await topics.context.close();

			const map = await open('/map');
			const dot = map.page.locator('svg a').first();
			expect(await dot.evaluate((link) => link.closest('[role="img"]'))).toBeNull();
			const name = await dot.getAttribute('aria-label');
			expect(name).toBeTruthy();
			await dot.focus();
			await expect(map.page.locator('figure.map figcaption').innerText()).resolves.toContain(
				name!.split(' (')[0]
			);
			await map.context.close();
		});

		it('draws the heat map legend as the cells are in dark mode: busier is the legend\'s "more"', async () => {
			const { page, context } = await open('/topics', { dark: true });
			const shades = await page.evaluate(() => {
				const cells = [
					...document.querySelectorAll('svg.heatmap')[0].querySelectorAll<SVGRectElement>('.cell')
				];
				const busiest = cells.reduce((a, b) =>
					Number(getComputedStyle(b).fillOpacity) > Number(getComputedStyle(a).fillOpacity) ? b : a
				);
				const swatches = [
					...document.querySelectorAll('.scale')[0].querySelectorAll<HTMLElement>('.swatch')
				];
				const more = swatches[swatches.length - 1];
				return {
					cell: [getComputedStyle(busiest).fill, Number(getComputedStyle(busiest).fillOpacity)],
					more: [getComputedStyle(more).backgroundColor, Number(getComputedStyle(more).opacity)],
					opacities: swatches.map((swatch) => Number(getComputedStyle(swatch).opacity))
				};
			});
			expect(shades.more).toEqual(shades.cell);
			expect(shades.opacities).toEqual([...shades.opacities].sort((a, b) => a - b));
			await expect(page.locator('.heat p.muted').innerText()).resolves.not.toContain('darker');
			await context.close();
		});

		it('says "Not found" once on the 404 page', async () => {
			const { page, context } = await open(pages['not found'], { javaScript: false });
			const text = await page.locator('main').innerText();
			expect(text.match(/not found/gi)).toHaveLength(1);
			await context.close();
		});

		it('focuses the search box with "/" on every page', async () => {
			for (const path of [pages.home, pages.search, pages.reader, pages.edition, pages.map]) {
				const { page, context } = await open(path, { width: 1200 });
				await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
				await page.keyboard.press('/');
				const focused = await page.evaluate(() => document.activeElement?.getAttribute('type'));
				expect(focused, path).toBe('search');
				await context.close();
			}
		});

		it('puts a space between an author and their affiliation', async () => {
			const { page, context } = await open('/papers/choi-recent-advances-xai', {
				javaScript: false
			});
			await expect(page.locator('ul.authors').innerText()).resolves.toContain(
				'Jaesik Choi (KAIST)'
			);
			await context.close();
		});
	}
);
