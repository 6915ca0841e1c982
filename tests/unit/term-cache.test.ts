import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { beforeEach, describe, expect, it } from 'vitest';
import {
	paperTermLists,
	termCountsFingerprint,
	termListsFile,
	type PdfPages
} from '../../scripts/ingest/term-cache.ts';
import {
	computeSimilarity,
	countTerms,
	GENERIC_TERMS,
	similarityOfTerms
} from '../../src/lib/corpus/similar.ts';
import type { TermList } from '../../src/lib/corpus/term-lists.ts';
import type { Paper } from '../../src/lib/types.ts';
import { STOP_WORDS } from '../../src/lib/text/normalise.ts';
import { makePaper } from '../fixtures/paper.ts';

const subjects = [
	'Grad-CAM saliency heatmaps of chest X-rays and pneumonia',
	'Monte Carlo dropout uncertainty and calibration of brain tumour segmentation',
	'Prototype layers for echocardiography and ejection fraction'
];

/** Nine papers on three subjects, two in three with pages, in the order the ingest sorts them. */
function corpus(count = 9) {
	const papers: Paper[] = [];
	const pdfs = new Map<string, PdfPages>();
	for (let i = 0; i < count; i++) {
		const subject = subjects[i % subjects.length];
		const id = `paper-${i}`;
		papers.push(makePaper({ id, title: `${subject.split(' ').slice(0, 3).join(' ')} ${i}` }));
		if (i % 3 !== 2) {
			pdfs.set(id, { sha256: String(i).repeat(64).slice(0, 64), pages: [subject, `Study ${i}.`] });
		}
	}
	return { papers, pdfs };
}

const pageTextsOf = (pdfs: Map<string, PdfPages>) =>
	new Map([...pdfs].map(([id, { pages }]) => [id, pages]));

function readKeptFile(dataDir: string) {
	return deserialize(readFileSync(termListsFile(dataDir))) as {
		fingerprint: string;
		strings: string[];
		lists: Map<string, TermList>;
	};
}

describe('paperTermLists', () => {
	let dataDir: string;

	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-term-lists-'));
	});

	it('gives the similarity of counting every text afresh', async () => {
		const { papers, pdfs } = corpus();
		const first = await paperTermLists(dataDir, papers, pdfs);
		const again = await paperTermLists(dataDir, papers, pdfs);
		const expected = computeSimilarity(papers, pageTextsOf(pdfs));
		expect(Object.values(expected.similar).flat().length).toBeGreaterThan(0);
		expect(similarityOfTerms(papers, first.terms, first.strings)).toEqual(expected);
		expect(similarityOfTerms(papers, again.terms, again.strings)).toEqual(expected);
	});

	it('reads the kept lists back instead of counting again', async () => {
		const { papers, pdfs } = corpus();
		await paperTermLists(dataDir, papers, pdfs);
		// Mark the kept lists: a second run that returns the mark has read them, not recounted.
		const kept = readKeptFile(dataDir);
		for (const list of kept.lists.values()) list.counts.fill(7);
		writeFileSync(termListsFile(dataDir), serialize(kept));
		const second = await paperTermLists(dataDir, papers, pdfs);
		for (const { metadata } of second.terms) expect([...new Set(metadata.counts)]).toEqual([7]);
	});

	it('after papers are added, changed and removed, gives what counting afresh gives, and keeps only their lists', async () => {
		const before = corpus(9);
		await paperTermLists(dataDir, before.papers, before.pdfs);
		const after = corpus(11);
		after.papers.splice(4, 1);
		after.pdfs.delete('paper-4');
		after.papers[0] = { ...after.papers[0], title: 'Calibration of dropout uncertainty' };
		after.pdfs.set('paper-1', { sha256: 'f'.repeat(64), pages: [subjects[2]] });
		const lists = await paperTermLists(dataDir, after.papers, after.pdfs);
		expect(similarityOfTerms(after.papers, lists.terms, lists.strings)).toEqual(
			computeSimilarity(after.papers, pageTextsOf(after.pdfs))
		);
		const texts = new Set([
			...after.papers.map((p) => `metadata:${p.title}`),
			...[...after.pdfs.values()].map(({ pages }) => `pages:${pages.join('\n')}`)
		]);
		const kept = readKeptFile(dataDir);
		expect(kept.lists.size).toBe(texts.size);
		// Strings of texts no longer counted (paper-4's, the old title and pages) are gone too.
		const used = new Set(
			[...kept.lists.values()].flatMap((list) => [...list.terms, ...list.formStrings])
		);
		expect(used.size).toBe(kept.strings.length);
	});

	it('counts again when the kept file is damaged or of other code', async () => {
		const { papers, pdfs } = corpus();
		const expected = computeSimilarity(papers, pageTextsOf(pdfs));
		await paperTermLists(dataDir, papers, pdfs);
		const kept = readKeptFile(dataDir);
		for (const list of kept.lists.values()) list.counts.fill(7);
		writeFileSync(
			termListsFile(dataDir),
			serialize({ ...kept, fingerprint: termCountsFingerprint(countTerms, [[]]) })
		);
		const recounted = await paperTermLists(dataDir, papers, pdfs);
		expect(similarityOfTerms(papers, recounted.terms, recounted.strings)).toEqual(expected);
		writeFileSync(termListsFile(dataDir), readFileSync(termListsFile(dataDir)).subarray(0, 100));
		const afterDamage = await paperTermLists(dataDir, papers, pdfs);
		expect(similarityOfTerms(papers, afterDamage.terms, afterDamage.strings)).toEqual(expected);
		const outOfRange = readKeptFile(dataDir);
		for (const list of outOfRange.lists.values()) list.terms.fill(outOfRange.strings.length);
		writeFileSync(termListsFile(dataDir), serialize(outOfRange));
		const afterBadIds = await paperTermLists(dataDir, papers, pdfs);
		expect(similarityOfTerms(papers, afterBadIds.terms, afterBadIds.strings)).toEqual(expected);
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
});
