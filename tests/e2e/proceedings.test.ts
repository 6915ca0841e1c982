import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBibtex } from '../../scripts/import/bibtex.ts';
import { parseRis } from '../../src/lib/cite/index.ts';
import { makeProceedingsPapersDir } from '../fixtures/import/proceedings-papers.ts';
import { hasChromium, launchChromium, startPortal, type Portal } from './harness.ts';

describe.skipIf(!hasChromium)('proceedings pages', () => {
	let portal: Portal;
	let browser: Browser;

	beforeAll(async () => {
		portal = await startPortal({ papersDir: makeProceedingsPapersDir() });
		expect(portal.ingestStatus, portal.ingestOutput).toBe(0);
		browser = (await launchChromium())!;
	});
	afterAll(async () => {
		await browser?.close();
		await portal?.stop();
	});

	async function staticPage(path: string) {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		const response = await page.goto(portal.url + path);
		return { page, context, status: response?.status() };
	}

	it('shows an edition programme: facts, awards best paper first, sessions in order', async () => {
		const { page, context } = await staticPage('/editions/imimic-2025');
		await expect(page.locator('h1').innerText()).resolves.toContain('iMIMIC 2025');
		const head = await page.locator('.edition-head').innerText();
		expect(head).toContain('Daejeon, South Korea');
		expect(head).toContain('27 September 2025');
		expect(head).toContain('Lecture Notes in Computer Science, vol. 16000');
		expect(head).toContain('10.1007/978-3-032-05001-1');
		expect(head).not.toContain('Partial listing');
		const awards = await page.locator('section.awards li').allInnerTexts();
		expect(awards[0]).toMatch(/Best Paper Award[\s\S]*ProtoENet/);
		expect(awards[1]).toMatch(/Runner-up[\s\S]*Minimum Data/);
		const sessions = await page.locator('section.session h2').allInnerTexts();
		expect(sessions.map((s) => s.replace(/\s*\d+$/, ''))).toEqual([
			'Keynotes',
			'Oral presentations',
			'Posters'
		]);
		await context.close();

		const partial = await staticPage('/editions/imimic-2019');
		await expect(partial.page.locator('.partial').innerText()).resolves.toContain(
			'Partial listing'
		);
		await partial.context.close();
	});

	it('serves the edition as one BibTeX file and each paper as BibTeX, RIS and CSL-JSON', async () => {
		const bib = await (await fetch(`${portal.url}/editions/imimic-2025.bib`)).text();
		const { records, errors } = parseBibtex(bib);
		expect(errors).toEqual([]);
		expect(records).toHaveLength(4);
		const gallee = records.find((e) => e.fields.title.startsWith('Minimum Data'))!;
		expect(gallee.authors).toEqual(['Luisa Gallée', 'Henning Müller', 'Wei Li']);

		const ris = await fetch(`${portal.url}/papers/gallee-minimum-data/cite.ris`);
		expect(ris.headers.get('content-disposition')).toContain('gallee-minimum-data.ris');
		expect(parseRis(await ris.text())[0].AU).toEqual([
			'Gallée, Luisa',
			'Müller, Henning',
			'Li, Wei'
		]);
		const csl = await (await fetch(`${portal.url}/papers/gallee-minimum-data/cite.json`)).json();
		expect(csl[0].author[0]).toEqual({ family: 'Gallée', given: 'Luisa' });
		expect((await fetch(`${portal.url}/papers/gallee-minimum-data/cite.doc`)).status).toBe(404);
	});

	it('lists the awards of every edition', async () => {
		const { page, context } = await staticPage('/awards');
		const text = await page.locator('main').innerText();
		expect(text.indexOf('Best Paper Award')).toBeLessThan(text.indexOf('Best Paper Runner-up'));
		await context.close();
	});

	it('draws the topic × edition heat map on the server and lists curated papers first', async () => {
		const { page, context } = await staticPage('/topics');
		const cells = await page.locator('svg.heatmap g > title').allTextContents();
		expect(cells).toContain('Prototypes, 2025: 1 paper');
		expect(cells).toContain('Uncertainty, 2019: 1 paper');
		await page.getByRole('link', { name: 'Prototypes', exact: true }).first().click();
		await page.waitForURL(/\/topics\/prototypes$/);
		await expect(page.locator('#curated-title + * a').first().innerText()).resolves.toMatch(
			/^ProtoENet/
		);
		// One bar per edition, oldest first, adding up to the papers listed on the page.
		const bars = await page.locator('svg.bars g > title').allTextContents();
		expect(bars.map((b) => b.split(':')[0])).toEqual(['2019', '2025']);
		const barTotal = bars.reduce((sum, b) => sum + Number(/: (\d+) paper/.exec(b)![1]), 0);
		const listed = await page.locator('article.paper-card').count();
		expect(barTotal).toBe(listed);
		expect(Number(/: (\d+)/.exec(bars[1])![1])).toBeGreaterThanOrEqual(1);
		await context.close();
	});

	it('merges name variants on author pages and keeps namesakes with different ORCIDs apart', async () => {
		const { page, context } = await staticPage('/authors/henning-muller');
		await expect(page.locator('h1').innerText()).resolves.toBe('Henning Müller');
		const papers = await page.locator('#papers-title ~ article h3').allInnerTexts();
		expect(papers).toHaveLength(2);
		const coauthors = await page.locator('.coauthors li').allInnerTexts();
		expect(coauthors.filter((c) => c.startsWith('Wei Li'))).toHaveLength(2);

		await page.goto(`${portal.url}/authors?q=gallee`);
		const found = await page.locator('ul.people li').allInnerTexts();
		expect(found).toHaveLength(1);
		expect(found[0]).toMatch(/Luisa Gallée\s+2 papers/);
		await context.close();
	});

	it('shows the paper map without JavaScript and filters by edition with it', async () => {
		const still = await staticPage('/map?edition=imimic-2019');
		await expect(still.page.locator('svg a circle').count()).resolves.toBe(2);
		await still.context.close();

		const page = await browser.newPage();
		await page.goto(`${portal.url}/map`);
		await expect(page.locator('svg a circle').count()).resolves.toBe(6);
		await page.getByRole('checkbox', { name: '2025', exact: true }).uncheck();
		await expect.poll(() => page.locator('svg a circle').count()).toBe(2);
		expect(page.url()).toContain('edition=imimic-2019');
		// Focus names the paper as hover does; points may overlap, which would block a pointer.
		await page.locator('svg a').first().focus();
		await expect(page.locator('figcaption strong').count()).resolves.toBe(1);
		await page.close();
	});

	it('publishes a sitemap, an Atom feed, robots.txt and the open-data catalog', async () => {
		const sitemap = await (await fetch(`${portal.url}/sitemap.xml`)).text();
		// Without ORIGIN, adapter-node assumes https, so compare paths only.
		expect(sitemap).toMatch(/<loc>https?:\/\/[^<]+\/editions\/imimic-2025<\/loc>/);
		expect(sitemap).toMatch(/<loc>https?:\/\/[^<]+\/authors\/henning-muller<\/loc>/);
		const feed = await (await fetch(`${portal.url}/feed.xml?edition=imimic-2019`)).text();
		expect(feed.match(/<entry>/g)).toHaveLength(2);
		expect(feed).toContain('<name>H. Müller</name>');
		const robots = await (await fetch(`${portal.url}/robots.txt`)).text();
		expect(robots).toMatch(/^Sitemap: https?:\/\/\S+\/sitemap\.xml$/m);
		const data = await (await fetch(`${portal.url}/data/catalog.json`)).json();
		expect(data.papers).toHaveLength(6);
		expect(data.authors.filter((a: { name: string }) => a.name === 'Wei Li')).toHaveLength(2);
		expect((await fetch(`${portal.url}/catalog.schema.json`)).status).toBe(200);
	});
});
