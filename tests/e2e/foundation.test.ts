import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedCorpus, makeSharedCorpusPapersDir } from '../fixtures/shared-corpus.ts';
import { hasChromium, launchChromium, ROOT, startPortal, type Portal } from './harness.ts';

/** A copy of the shipped catalog, so tests can add files without touching the project. */
function shippedPapersCopy(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-papers-'));
	cpSync(join(ROOT, 'papers'), dir, { recursive: true });
	return dir;
}

describe.skipIf(!hasChromium)('the portal on the shipped catalog', () => {
	let portal: Portal;
	let browser: Browser;
	let papersDir: string;

	beforeAll(async () => {
		papersDir = shippedPapersCopy();
		portal = await startPortal({ papersDir });
		browser = (await launchChromium())!;
	});
	afterAll(async () => {
		await browser?.close();
		await portal?.stop();
	});

	it('lists the 2025 programme on the home page: keynote, orals and the best paper', async () => {
		const page = await browser.newPage();
		await page.goto(portal.url);
		const edition = page.locator('section#imimic-2025');
		await expect(edition.getByRole('heading', { name: 'iMIMIC 2025' }).count()).resolves.toBe(1);
		const text = await edition.innerText();
		expect(text).toContain('Recent Advances in Explainable Artificial Intelligence');
		expect(text).toContain('VLEER: Vision and Language Embeddings');
		expect(text).toMatch(/ProtoEFNet[\s\S]*Best Paper/i);
		expect(await edition.locator('article').count()).toBeGreaterThanOrEqual(9);
		await page.close();
	});

	it('finds a paper from the search form without JavaScript', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(portal.url);
		await page.fill('#home-q', 'prototype echocardiography');
		await Promise.all([page.waitForURL(/\/search\?q=/), page.press('#home-q', 'Enter')]);
		const first = page.locator('main a[href^="/papers/"]').first();
		expect(await first.innerText()).toMatch(/ProtoEFNet/);
		await context.close();
	});

	it('serves a paper added to papers/ after the next ingest, without a restart', async () => {
		const before = await (await fetch(`${portal.url}/api/papers/new-arrival-2025`)).status;
		expect(before).toBe(404);
		writeFileSync(
			join(papersDir, 'imimic-2025', 'new-arrival-2025.yaml'),
			'title: A Newly Accepted Paper on Counterfactual Heatmaps\nauthors: [Grace Hopper]\ntype: poster\n'
		);
		writeFileSync(join(papersDir, 'imimic-2025', 'broken-upload.yaml'), 'title: [unclosed\n');
		const result = portal.reingest();
		expect(result.status).toBe(2);
		expect(result.output).toContain('imimic-2025/broken-upload.yaml');

		let status = 0;
		for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
			status = (await fetch(`${portal.url}/api/papers/new-arrival-2025`)).status;
			if (status !== 200) await new Promise((wake) => setTimeout(wake, 100));
		}
		expect(status).toBe(200);
		const page = await browser.newPage();
		await page.goto(portal.url);
		expect(await page.locator('section#imimic-2025').innerText()).toContain(
			'A Newly Accepted Paper on Counterfactual Heatmaps'
		);
		// The rest of the corpus is still there.
		expect(await page.locator('section#imimic-2018 article').count()).toBeGreaterThan(0);
		await page.close();
	});
});

describe.skipIf(!hasChromium || !hasSharedCorpus)('a paper page with full text', () => {
	let portal: Portal;
	let browser: Browser;

	beforeAll(async () => {
		portal = await startPortal({
			papersDir: makeSharedCorpusPapersDir({ only: ['graziani-2018-regression-concept-vectors'] })
		});
		browser = (await launchChromium())!;
	});
	afterAll(async () => {
		await browser?.close();
		await portal?.stop();
	});

	it('shows its inferred topics with the evidence terms and the pages they are on', async () => {
		const page = await browser.newPage();
		await page.goto(`${portal.url}/papers/graziani-2018-regression-concept-vectors`);
		const topics = page.locator('section[aria-labelledby="topics-title"]');
		const concept = topics.locator('li', { has: page.locator('a[href="/topics/concepts"]') });
		expect(await concept.count()).toBe(1);
		const text = await concept.innerText();
		expect(text).toMatch(/inferred, score \d/);
		expect(text).toMatch(/because of .*concept.* ×\d+/i);
		expect(text).toMatch(/\(p\. \d/);
		await page.close();
	});
});
