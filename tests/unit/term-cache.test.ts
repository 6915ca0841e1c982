import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { pageTermCounts, termCountsFingerprint } from '../../scripts/ingest/term-cache.ts';
import { countTerms, GENERIC_TERMS } from '../../src/lib/corpus/similar.ts';
import { STOP_WORDS } from '../../src/lib/text/normalise.ts';
import { textCacheDir } from '../../src/lib/server/data-dir.ts';

const SHA = 'a'.repeat(64);
const pages = ['Grad-CAM saliency heatmaps of chest X-rays.', 'Saliency faithfulness; GradCAM.'];

describe('pageTermCounts', () => {
	let dataDir: string;
	const cacheFile = () => join(textCacheDir(dataDir), `${SHA}.terms.json`);

	beforeEach(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-term-cache-'));
		await mkdir(textCacheDir(dataDir), { recursive: true });
	});

	it('counts the pages of a PDF once, keeps the counts beside its text, and reads them back', async () => {
		const first = await pageTermCounts(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		expect(first.get('p1')).toEqual(countTerms(pages.join('\n')));
		// Mark the kept counts: a second run that returns the mark has read them, not recounted.
		const kept = JSON.parse(readFileSync(cacheFile(), 'utf8'));
		kept.counts.push(['kept-mark', 7]);
		writeFileSync(cacheFile(), JSON.stringify(kept));
		const second = await pageTermCounts(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		expect(second.get('p1')!.counts.get('kept-mark')).toBe(7);
		expect(second.get('p1')!.surfaces).toEqual(first.get('p1')!.surfaces);
	});

	it('counts again when the kept counts are of other page texts or unreadable', async () => {
		await pageTermCounts(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		// Same PDF, text extracted differently (a newer extraction): the old counts do not apply.
		const reextracted = [...pages, 'Integrated gradients.'];
		const recounted = await pageTermCounts(
			dataDir,
			new Map([['p1', { sha256: SHA, pages: reextracted }]])
		);
		expect(recounted.get('p1')).toEqual(countTerms(reextracted.join('\n')));
		writeFileSync(cacheFile(), '{"counts": [');
		const afterDamage = await pageTermCounts(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		expect(afterDamage.get('p1')).toEqual(countTerms(pages.join('\n')));
	});
});

describe('termCountsFingerprint', () => {
	const stemsPastTense = (text: string) => countTerms(text.replace(/(\p{L}{3,})led\b/gu, '$1l'));
	const keepsLigatures = (text: string) => countTerms(text.replace(/ﬁ/g, 'ﬁ '));
	const keepsShortTerms = (text: string) => {
		const counts = countTerms(text);
		counts.counts.set('ab', 1);
		return counts;
	};

	it('is the same for the same way of counting, from run to run', () => {
		expect(termCountsFingerprint()).toBe(termCountsFingerprint(countTerms));
	});

	it('changes when the stemmer, the fold or the rules of counting change', () => {
		const shipped = termCountsFingerprint();
		for (const variant of [stemsPastTense, keepsLigatures, keepsShortTerms]) {
			expect(termCountsFingerprint(variant)).not.toBe(shipped);
		}
	});

	it('changes when a word becomes generic or a stop word', () => {
		const shipped = termCountsFingerprint();
		expect(
			termCountsFingerprint(countTerms, [STOP_WORDS, [...GENERIC_TERMS, 'saliency']])
		).not.toBe(shipped);
		expect(termCountsFingerprint(countTerms, [[...STOP_WORDS, 'chest'], GENERIC_TERMS])).not.toBe(
			shipped
		);
	});

	it('makes counts kept by other code be counted again', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-term-cache-'));
		await mkdir(textCacheDir(dataDir), { recursive: true });
		const file = join(textCacheDir(dataDir), `${SHA}.terms.json`);
		await pageTermCounts(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		const kept = JSON.parse(readFileSync(file, 'utf8'));
		expect(kept.fingerprint).toBe(termCountsFingerprint());
		kept.counts.push(['kept-mark', 7]);
		writeFileSync(
			file,
			JSON.stringify({ ...kept, fingerprint: termCountsFingerprint(stemsPastTense) })
		);
		const recounted = await pageTermCounts(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		expect(recounted.get('p1')!.counts.has('kept-mark')).toBe(false);
		expect(recounted.get('p1')).toEqual(countTerms(pages.join('\n')));
	});
});
