/**
 * The index segment of each PDF's pages, kept beside its page texts in the cache
 * (`cache/text/<sha256>.index.bin`, removed with them by prune.ts): tokenising every page of
 * every paper again was most of the index stage (24 s of 45 s when adding one paper to 1,000
 * with full text), and a PDF's pages change only when it does.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { textCacheDir, writeFileAtomic } from '../../src/lib/server/data-dir.ts';
import { bodyPages } from '../../src/lib/search/page-documents.ts';
import {
	buildIndexSegment,
	decodeIndexSegment,
	encodeIndexSegment,
	type IndexSegment
} from '../../src/lib/search/index-segment.ts';
import { INDEX_FORMAT_VERSION } from '../../src/lib/search/options.ts';
import { SAMPLE_TEXT, type PdfPages } from './term-cache.ts';
import { pagesHash } from './file-hash.ts';

/**
 * Sample pages that take every path of a segment: the fold's hard cases, a page longer than a
 * 16-bit position, a non-ASCII page, a page with nothing to index and a reference list.
 */
const SAMPLE_PAGES = [
	SAMPLE_TEXT,
	`Long page: ${'word '.repeat(70_000)}end.`,
	'Ærøskøbing — naïve Straße, 東京 and ﬁnal “quotes”.',
	' . , ',
	'Results follow.\nReferences\n[1] A. Author, Grad-CAM: saliency maps. In: MICCAI (2019).\n[2] B. Writer, t-SNE plots, 2020.'
];

/**
 * Names the way segments are made: a hash of the index format version and of the segment of
 * {@link SAMPLE_PAGES}. Any change to the fold, tokenizer, stemmer, page selection, reference
 * detection or segment layout that shows on the sample changes it, so that a kept segment is
 * never one of older code (a version number bumped by hand was forgotten once already).
 */
export function indexSegmentFingerprint(
	build: (pages: string[]) => IndexSegment = (pages) => buildIndexSegment(bodyPages(pages))
): string {
	const sample = encodeIndexSegment(build(SAMPLE_PAGES), { fingerprint: '', pages: '' });
	return createHash('sha256').update(`${INDEX_FORMAT_VERSION}\n`).update(sample).digest('hex');
}

/** The fingerprint of this code's segments, computed once. */
let currentFingerprint: string | undefined;

/** Where the segment of the PDF with this hash is kept. */
export function indexSegmentPath(dataDir: string, sha256: string): string {
	return join(textCacheDir(dataDir), `${sha256}.index.bin`);
}

/** What {@link indexSegments} did, for the report and the benchmark. */
export interface IndexSegmentsResult {
	/** Segment by paper id (papers sharing a PDF share one). */
	segments: Map<string, IndexSegment>;
	/** Distinct PDFs whose segment was read from the cache, and built (and kept). */
	reused: number;
	built: number;
}

/**
 * The index segment of every PDF's pages, by paper id: read from the cache where it holds one
 * made by this code from these very pages, built (and cached) otherwise.
 */
export async function indexSegments(
	dataDir: string,
	pdfs: Map<string, PdfPages>
): Promise<IndexSegmentsResult> {
	const fingerprint = (currentFingerprint ??= indexSegmentFingerprint());
	const byPdf = new Map<string, { pages: string[]; paperIds: string[] }>();
	for (const [paperId, { sha256, pages }] of pdfs) {
		if (pages.length === 0) continue;
		const entry = byPdf.get(sha256);
		if (entry) entry.paperIds.push(paperId);
		else byPdf.set(sha256, { pages, paperIds: [paperId] });
	}
	const result: IndexSegmentsResult = { segments: new Map(), reused: 0, built: 0 };
	await Promise.all(
		[...byPdf].map(async ([sha256, { pages, paperIds }]) => {
			const file = indexSegmentPath(dataDir, sha256);
			const hash = pagesHash(pages);
			const kept = decodeIndexSegment(await readFile(file).catch(() => new Uint8Array(0)));
			let segment: IndexSegment;
			if (kept && kept.label.fingerprint === fingerprint && kept.label.pages === hash) {
				segment = kept.segment;
				result.reused += 1;
			} else {
				segment = buildIndexSegment(bodyPages(pages));
				await writeFileAtomic(file, encodeIndexSegment(segment, { fingerprint, pages: hash }));
				result.built += 1;
			}
			for (const paperId of paperIds) result.segments.set(paperId, segment);
		})
	);
	return result;
}
