import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndexData, type IndexData } from '../../src/lib/search/index-data.ts';
import { PageTexts } from '../../src/lib/search/page-texts.ts';
import { readIndexData, writeIndexData } from '../../src/lib/server/search-storage.ts';
import { fold } from '../../src/lib/text/normalise.ts';
import type { PageDocument } from '../../src/lib/types.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';

/** Page texts of every kind the fold treats differently: plain ASCII, runs of whitespace, accents. */
function randomPage(random: () => number): string {
	const words = ['Saliency', 'maps', 'GradCAM', 'of', 'U-Net', 'T1-weighted', 'e.g.', '2021'];
	const odd = ['Müller', 'ﬁndings', 'naïve', 'α-level', '—', '“quoted”', 'Søren'];
	const spaces = ['  ', '\t', '\n', ' \r\n '];
	const plain = random() < 0.5;
	let text = '';
	for (let i = 0; i < 60; i++) {
		const word =
			!plain && random() < 0.1 ? odd[Math.floor(random() * odd.length)] : words[i % words.length];
		const space = !plain && random() < 0.05 ? spaces[Math.floor(random() * spaces.length)] : ' ';
		text += word + space;
	}
	return text.trimEnd();
}

function docsOf(pages: string[]): PageDocument[] {
	const common = { paperId: 'p', title: 'T', authors: '', keywords: '', topics: '' };
	return [
		{ ...common, id: 'p#0', page: 0, abstract: '', body: '' },
		...pages.map((body, i) => ({ ...common, id: `p#${i + 1}`, page: i + 1, abstract: '', body }))
	];
}

/** Every page's haystack, compared with the fold of its text, character by character. */
function expectHaystacksFold(data: IndexData): { lowerCase: number; mapped: number } {
	const texts = new PageTexts(data);
	const counts = { lowerCase: 0, mapped: 0 };
	for (let doc = 1; doc < data.docPage.length; doc++) {
		const text = texts.text(doc);
		const folded = fold(text, { withMap: true });
		// Asked twice: the second answer may come from what the first kept.
		for (let round = 0; round < 2; round++) {
			const haystack = texts.haystack(doc);
			expect(haystack.text).toBe(folded.text);
			for (let at = 0; at <= folded.text.length; at++)
				expect(haystack.position(at)).toBe(folded.sourceIndex(at));
		}
		if (data.docFoldsToLowerCase[doc]) counts.lowerCase++;
		else counts.mapped++;
	}
	return counts;
}

describe('PageTexts.haystack', () => {
	const random = seededRandom(11);
	const pages = Array.from({ length: 40 }, () => randomPage(random));

	it('is the fold of the page with its position map, on pages of every kind', () => {
		const counts = expectHaystacksFold(buildIndexData(docsOf(pages)));
		// Both ways of folding were taken.
		expect(counts.lowerCase).toBeGreaterThan(5);
		expect(counts.mapped).toBeGreaterThan(5);
	});

	it('is the same after the index is written and read back', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'glassbox-page-texts-'));
		try {
			await writeIndexData(dir, buildIndexData(docsOf(pages)));
			expectHaystacksFold(await readIndexData(dir));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('keeps no stale fold when more pages are folded than it keeps', () => {
		const many = Array.from({ length: 300 }, (_, i) => `Müller ${'x'.repeat(i % 17)} page ${i}`);
		const data = buildIndexData(docsOf(many));
		const texts = new PageTexts(data);
		for (let round = 0; round < 2; round++) {
			for (let doc = 1; doc < data.docPage.length; doc++)
				expect(texts.haystack(doc).text).toBe(fold(texts.text(doc)));
		}
	});
});
