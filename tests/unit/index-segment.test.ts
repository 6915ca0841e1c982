import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractPdf } from '../../scripts/ingest/extract.ts';
import {
	indexSegmentFingerprint,
	indexSegmentPath,
	indexSegments
} from '../../scripts/ingest/index-segments.ts';
import {
	buildIndexData,
	mergeIndexSegments,
	type IndexData,
	type PaperIndexInput
} from '../../src/lib/search/index-data.ts';
import {
	buildIndexSegment,
	decodeIndexSegment,
	encodeIndexSegment,
	type IndexSegment
} from '../../src/lib/search/index-segment.ts';
import { bodyPages, metadataDocument, pageDocuments } from '../../src/lib/search/page-documents.ts';
import { textCacheDir } from '../../src/lib/server/data-dir.ts';
import type { Paper } from '../../src/lib/types.ts';
import { hasSharedCorpus, SHARED_CORPUS, sharedPapers } from '../fixtures/shared-corpus.ts';

function paper(id: string): Paper {
	return {
		id,
		title: `Saliency maps, study ${id}`,
		authors: [{ name: 'Ada Lovelace', aliases: ['A. Lovelace'] }],
		keywords: ['saliency'],
		topics: [],
		abstract: `What study ${id} found.`
	} as unknown as Paper;
}

/** Page texts that take the unusual paths: references, non-ASCII, long and empty pages. */
const TRICKY: string[][] = [
	[
		'Grad-CAM and GradCAM saliency maps; the ﬁrst classiﬁers’ “explanations”.',
		'',
		'Results: saliency helps.\nReferences\n[1] A. Author. Grad-CAM: visual explanations. ICCV (2017).\n[2] B. Writer. t-SNE. JMLR (2008).'
	],
	['Ærøskøbing — naïve Straße, 東京, Dvořák and Łukasz wrote about Æther.', ' . , '],
	// More than 65,535 words on one page: positions past 16 bits are capped.
	[`Long page ${Array.from({ length: 70_000 }, (_, i) => `w${i % 50}`).join(' ')} end`],
	[]
];

/** The segment of `pages` after a trip through the binary form, as the ingest keeps it. */
function keptSegment(pages: string[]): IndexSegment {
	const bytes = encodeIndexSegment(buildIndexSegment(bodyPages(pages)), {
		fingerprint: 'f',
		pages: 'p'
	});
	return decodeIndexSegment(bytes)!.segment;
}

/** Every array and the vocabulary of two indexes are equal (the metadata index too). */
function expectSameIndex(actual: IndexData, expected: IndexData): void {
	const { metadata: actualMetadata, ...actualRest } = actual;
	const { metadata: expectedMetadata, ...expectedRest } = expected;
	expect(Object.keys(actualRest).sort()).toEqual(Object.keys(expectedRest).sort());
	for (const key of Object.keys(expectedRest) as (keyof typeof expectedRest)[]) {
		expect(actualRest[key], key).toEqual(expectedRest[key]);
	}
	expect(JSON.stringify(actualMetadata)).toBe(JSON.stringify(expectedMetadata));
}

/**
 * The index built the cold way (every page document tokenised) and the incremental way (each
 * PDF's kept segment merged), for papers with these page texts; `shared` papers reuse one
 * segment object, as papers with the same PDF do.
 */
function bothWays(texts: string[][]): { cold: IndexData; merged: IndexData } {
	const papers = texts.map((_, i) => paper(`p${i}`));
	const cold = buildIndexData(papers.flatMap((p, i) => pageDocuments(p, texts[i])));
	const segments = texts.map((pages) => (pages.length ? keptSegment(pages) : null));
	const inputs: PaperIndexInput[] = papers.map((p, i) => ({
		paperId: p.id,
		metadataDocs: [metadataDocument(p)],
		segment: segments[i]
	}));
	return { cold, merged: mergeIndexSegments(inputs) };
}

describe('mergeIndexSegments', () => {
	it('gives the index built from the documents, array for array, on tricky page texts', () => {
		const { cold, merged } = bothWays(TRICKY);
		// The cases are there: a term that is not ASCII, a capped position, a reference list.
		expect(cold.vocabulary.some((term) => /[^\x20-\x7e]/.test(term))).toBe(true);
		expect(cold.postingPositions).toContain(0xffff);
		expect(cold.docReferences.some((at) => at > 0)).toBe(true);
		expectSameIndex(merged, cold);
	});

	it('gives the same index when papers share one segment (papers with the same PDF)', () => {
		const shared = keptSegment(TRICKY[0]);
		const papers = [paper('a'), paper('b')];
		const merged = mergeIndexSegments(
			papers.map((p) => ({ paperId: p.id, metadataDocs: [metadataDocument(p)], segment: shared }))
		);
		const cold = buildIndexData(papers.flatMap((p) => pageDocuments(p, TRICKY[0])));
		expectSameIndex(merged, cold);
	});

	describe.skipIf(!hasSharedCorpus)('on real PDFs', () => {
		let texts: string[][];

		beforeAll(async () => {
			const files = sharedPapers()
				.sort((a, b) => a.pages - b.pages)
				.slice(0, 3)
				.map((p) => p.file);
			texts = await Promise.all(
				files.map(async (file) => {
					const result = await extractPdf(join(SHARED_CORPUS, file), {
						maxBytes: 50 * 1024 * 1024,
						maxPages: 500
					});
					if (!result.ok) throw new Error(`${file}: ${result.reason}`);
					return result.pages;
				})
			);
		}, 120_000);

		it('gives the index built from the documents, array for array', () => {
			const { cold, merged } = bothWays([...texts, ...TRICKY]);
			expect(cold.vocabulary.length).toBeGreaterThan(500);
			expectSameIndex(merged, cold);
		});
	});
});

describe('encodeIndexSegment', () => {
	it('reads back the segment it wrote, with its label', () => {
		const segment = buildIndexSegment(bodyPages(TRICKY[0]));
		const bytes = encodeIndexSegment(segment, { fingerprint: 'code', pages: 'texts' });
		const decoded = decodeIndexSegment(bytes)!;
		expect(decoded.label).toEqual({ fingerprint: 'code', pages: 'texts' });
		expect(decoded.segment).toEqual(segment);
	});

	it('is not read from a cut or foreign file', () => {
		const bytes = encodeIndexSegment(buildIndexSegment(bodyPages(TRICKY[0])), {
			fingerprint: 'code',
			pages: 'texts'
		});
		expect(decodeIndexSegment(bytes.subarray(0, bytes.length - 16))).toBeNull();
		expect(decodeIndexSegment(new TextEncoder().encode('{"pages": []}'))).toBeNull();
		expect(decodeIndexSegment(new Uint8Array(0))).toBeNull();
		// A header whose lengths do not fit the arrays' element sizes.
		const header = new TextEncoder().encode(
			JSON.stringify({
				fingerprint: 'code',
				pages: 'texts',
				bodyLength: 0,
				bytes: Array(15).fill(3)
			})
		);
		const forged = new Uint8Array(8 + header.length + 64);
		new DataView(forged.buffer).setUint32(0, new DataView(bytes.buffer).getUint32(0, true), true);
		new DataView(forged.buffer).setUint32(4, header.length, true);
		forged.set(header, 8);
		expect(decodeIndexSegment(forged)).toBeNull();
	});
});

describe('indexSegments', () => {
	const SHA = 'b'.repeat(64);
	const pages = TRICKY[0];
	let dataDir: string;

	beforeEach(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-index-segments-'));
		await mkdir(textCacheDir(dataDir), { recursive: true });
	});

	it('builds the segment of a PDF once, keeps it beside its text, and reads it back', async () => {
		const first = await indexSegments(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		expect(first).toMatchObject({ built: 1, reused: 0 });
		const second = await indexSegments(
			dataDir,
			new Map([
				['p1', { sha256: SHA, pages }],
				['p2', { sha256: SHA, pages }]
			])
		);
		expect(second).toMatchObject({ built: 0, reused: 1 });
		expect(second.segments.get('p1')).toEqual(buildIndexSegment(bodyPages(pages)));
		expect(second.segments.get('p2')).toBe(second.segments.get('p1'));
	});

	it('builds again when the kept segment is of other page texts, other code, or damaged', async () => {
		await indexSegments(dataDir, new Map([['p1', { sha256: SHA, pages }]]));
		const reextracted = [...pages, 'Integrated gradients.'];
		const rebuilt = await indexSegments(
			dataDir,
			new Map([['p1', { sha256: SHA, pages: reextracted }]])
		);
		expect(rebuilt.built).toBe(1);
		expect(rebuilt.segments.get('p1')).toEqual(buildIndexSegment(bodyPages(reextracted)));

		// A segment made by other code: same texts, another fingerprint.
		const file = indexSegmentPath(dataDir, SHA);
		const kept = decodeIndexSegment(readFileSync(file))!;
		writeFileSync(file, encodeIndexSegment(kept.segment, { ...kept.label, fingerprint: 'old' }));
		expect(
			(await indexSegments(dataDir, new Map([['p1', { sha256: SHA, pages: reextracted }]]))).built
		).toBe(1);

		writeFileSync(file, readFileSync(file).subarray(0, 100));
		const afterDamage = await indexSegments(
			dataDir,
			new Map([['p1', { sha256: SHA, pages: reextracted }]])
		);
		expect(afterDamage.built).toBe(1);
		expect(afterDamage.segments.get('p1')).toEqual(buildIndexSegment(bodyPages(reextracted)));
	});
});

describe('indexSegmentFingerprint', () => {
	const segmentOf = (pages: string[]) => buildIndexSegment(bodyPages(pages));

	it('is the same for the same code, from run to run', () => {
		expect(indexSegmentFingerprint()).toBe(indexSegmentFingerprint(segmentOf));
	});

	it('changes when tokenising, reference finding or the page bytes change', () => {
		const fingerprints = new Set([
			indexSegmentFingerprint(),
			// Ligatures kept apart instead of folded.
			indexSegmentFingerprint((pages) => segmentOf(pages.map((p) => p.replace(/ﬁ/g, 'ﬁ ')))),
			// No reference list found.
			indexSegmentFingerprint((pages) =>
				buildIndexSegment(bodyPages(pages).map(({ page, body }) => ({ page, body })))
			),
			// Long pages cut short.
			indexSegmentFingerprint((pages) => segmentOf(pages.map((p) => p.slice(0, 60_000))))
		]);
		expect(fingerprints.size).toBe(4);
	});
});
