import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';
import { hasChromium, launchChromium, ROOT, startPortal, type Portal } from './harness.ts';

/** A small papers folder whose answers are known: two PDFs, one metadata-only paper. */
function searchPapersDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-search-e2e-'));
	copyFileSync(join(ROOT, 'papers/taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
	for (const [edition, year] of [
		['demo-2025', 2025],
		['demo-2024', 2024]
	] as const) {
		mkdirSync(join(dir, edition));
		writeFileSync(
			join(dir, edition, 'edition.yaml'),
			`title: Demo ${year}\nyear: ${year}\ncomplete: true\n`
		);
	}
	writeFileSync(
		join(dir, 'demo-2025', 'lung-gradcam.yaml'),
		'title: Explaining chest radiograph classifiers\nauthors: [Ana Reyes]\ntype: oral\ntopics: [uncertainty]\n'
	);
	writeFileSync(
		join(dir, 'demo-2025', 'lung-gradcam.pdf'),
		makePdf([
			singleColumnPage(['Introduction. We study radiograph classifiers and their failure modes.']),
			singleColumnPage(['Grad-CAM heatmaps highlight the lung fields of each radiograph.']),
			singleColumnPage(['Conclusion. The lung fields matter again on this page.'])
		])
	);
	writeFileSync(
		join(dir, 'demo-2025', 'knee-prototypes.yaml'),
		'title: Prototype learning for knee MRI\nauthors: [Tom Becker]\ntype: poster\n'
	);
	writeFileSync(
		join(dir, 'demo-2025', 'knee-prototypes.pdf'),
		makePdf([singleColumnPage(['Learned prototypes of cartilage lesions in knee MRI.'])])
	);
	writeFileSync(
		join(dir, 'demo-2024', 'brain-uncertainty.yaml'),
		'title: Calibrated uncertainty for brain tumour segmentation\nauthors: [Li Wei]\ntype: oral\ntopics: [uncertainty]\n'
	);
	return dir;
}

describe.skipIf(!hasChromium)('search in the browser', () => {
	let portal: Portal;
	let browser: Browser;

	beforeAll(async () => {
		portal = await startPortal({ papersDir: searchPapersDir() });
		browser = (await launchChromium())!;
	});
	afterAll(async () => {
		await browser?.close();
		await portal?.stop();
	});

	it('searches without JavaScript: a GET form, results with marked snippets, facets as checkboxes', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${portal.url}/search`);
		await page.fill('#q', 'grad-cam');
		await Promise.all([page.waitForURL(/\/search\?q=grad-cam/), page.press('#q', 'Enter')]);
		const first = page.locator('article.result').first();
		expect(await first.locator('h2').innerText()).toBe('Explaining chest radiograph classifiers');
		expect(await first.locator('mark').first().innerText()).toBe('Grad-CAM');

		await page.goto(`${portal.url}/search`);
		await page.check('input[name="type"][value="oral"]');
		await Promise.all([
			page.waitForURL(/type=oral/),
			page.click('button:has-text("Apply filters")')
		]);
		expect(await page.locator('article.result').count()).toBe(2);
		await context.close();
	});

	it('searches as you type, keeps the URL in sync and goes back with the back button', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}/search`);
		await page.locator('#q').pressSequentially('prototypes', { delay: 30 });
		await page.waitForURL(/q=prototypes/);
		await page.waitForSelector('article.result h2:has-text("Prototype learning for knee MRI")');
		expect(await page.locator('article.result').count()).toBe(1);

		// A pause ends the typing burst, so the next query gets its own history entry.
		await page.waitForTimeout(1600);
		await page.fill('#q', '');
		await page.locator('#q').pressSequentially('calibrated', { delay: 30 });
		await page.waitForURL(/q=calibrated/);
		await page.waitForSelector('article.result h2:has-text("Calibrated uncertainty")');

		await page.goBack();
		await page.waitForURL(/q=prototypes/);
		await page.waitForSelector('article.result h2:has-text("Prototype learning for knee MRI")');
		expect(await page.inputValue('#q')).toBe('prototypes');
		await page.close();
	});

	it('shows facet counts for the query and other filters, with empty values disabled', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}/search`);
		const count = (facet: string, value: string) =>
			page
				.locator(`fieldset[data-facet="${facet}"] label:has(input[value="${value}"]) .count`)
				.innerText();
		expect(await count('type', 'oral')).toBe('2');
		expect(await count('type', 'poster')).toBe('1');
		expect(await page.isDisabled('input[name="type"][value="keynote"]')).toBe(true);

		await page.check('input[name="year"][value="2024"]');
		await page.waitForURL(/year=2024/);
		await page.waitForSelector('p.summary[data-total="1"]');
		// Other facets now count within 2024; the year facet still offers 2025.
		expect(await count('type', 'poster')).toBe('0');
		expect(await count('year', '2025')).toBe('2');
		await page.close();
	});

	it('links a snippet to its page of the paper with the query', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}/search?q=${encodeURIComponent('lung fields')}`);
		const hit = page.locator('article.result').first();
		const link = hit.locator('.snippets a.page').first();
		const href = await link.getAttribute('href');
		const url = new URL(href!, portal.url);
		expect(url.pathname).toBe('/papers/lung-gradcam');
		expect(url.searchParams.get('page')).toBe('2');
		expect(url.searchParams.get('q')).toBe('lung fields');
		expect(await hit.locator('.snippets a.page').allInnerTexts()).toEqual(['p. 2', 'p. 3']);
		await Promise.all([page.waitForURL(/\/papers\/lung-gradcam\?page=2&q=lung/), link.click()]);
		// The hit's page is in view: the window scrolled down to the reader (at the top of the window,
		// give or take the landing's centring of the match), at page 2, with the page's
		// first match selected below the toolbar, even though the router scrolls a page it has just
		// shown to the top.
		await page.waitForSelector(
			'.reader[data-status="ready"] .page[data-page="2"] mark.hit.selected'
		);
		const reader = await page.evaluate(() => {
			const toolbar = document.querySelector('.reader-bar')!.getBoundingClientRect();
			const mark = document.querySelector('mark.hit.selected')!.getBoundingClientRect();
			return {
				top: document.querySelector('.reader')!.getBoundingClientRect().top,
				toolbarTop: toolbar.top,
				scrolled: window.scrollY,
				current: document.querySelector<HTMLElement>('.reader')!.dataset.currentPage,
				markInView: mark.top >= toolbar.bottom && mark.bottom <= window.innerHeight
			};
		});
		expect(reader.scrolled).toBeGreaterThan(0);
		// The reader starts near the top of the window and its toolbar is whole on screen.
		expect(Math.abs(reader.top)).toBeLessThan(50);
		expect(reader.toolbarTop).toBeGreaterThanOrEqual(0);
		expect(reader.markInView).toBe(true);
		expect(reader.current).toBe('2');
		await page.close();
	});

	it('moves through results with the keyboard: / focuses, arrows move, Enter opens', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}/search?q=uncertainty`);
		await page
			.locator('h1')
			.first()
			.evaluate((element) => (element as HTMLElement).blur());
		await page.keyboard.press('/');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
		await page.keyboard.press('ArrowDown');
		const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
		expect(focused).toMatch(/^\/papers\//);
		await Promise.all([page.waitForURL(new RegExp(focused!)), page.keyboard.press('Enter')]);
		await page.close();
	});

	it('answers /api/search with JSON, and 400 with a message for bad parameters', async () => {
		const ok = await fetch(`${portal.url}/api/search?q=lung&limit=5`);
		expect(ok.status).toBe(200);
		const body = await ok.json();
		expect(body.hits[0]).toMatchObject({
			id: 'lung-gradcam',
			pages: [2, 3],
			pdf: '/papers/lung-gradcam/pdf'
		});
		expect(body.facets).toHaveProperty('method');
		const bad = await fetch(`${portal.url}/api/search?limit=lots`);
		expect(bad.status).toBe(400);
		expect((await bad.json()).error).toMatch(/^limit: /);
	});

	it('says when a search was too large to run in full, in /api/search and on the page', async () => {
		// More words than the parser reads: the answer holds the papers found for the first ones.
		const tooLong = ['lung', ...Array.from({ length: 40 }, (_, i) => `word${i}`)].join(' ');
		const api = (q: string) =>
			fetch(`${portal.url}/api/search?q=${encodeURIComponent(q)}`).then((response) =>
				response.json()
			);
		const cut = await api(tooLong);
		expect(cut.partial).toBe(true);
		expect(cut.hits[0].id).toBe('lung-gradcam');
		expect((await api('lung')).partial).toBe(false);

		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${portal.url}/search?q=${encodeURIComponent(tooLong)}`);
		expect(await page.locator('.partial').innerText()).toMatch(/too large to run in full/);
		await page.goto(`${portal.url}/search?q=lung`);
		expect(await page.locator('.partial').count()).toBe(0);
		await context.close();
	});
});
