/**
 * The in-memory form of a Glassbox search index, and how it is built from page documents.
 *
 * Two parts, one per kind of field. Metadata (title, keywords, topics, authors, abstract of page
 * 0) is a MiniSearch index: small (a few hundred words a paper), and MiniSearch gives it BM25
 * per field, prefix and typo matching. Body text of the PDF pages is a compact inverted index:
 * postings live in typed arrays, so loading is reading a few files (no object graph to
 * rebuild) and the heap stays small even at 10,000 papers of 6,000 words. Page texts are kept
 * as one UTF-8 buffer for snippets and phrase checks.
 */
import MiniSearch from 'minisearch';
import type { PageDocument } from '../types.ts';
import { foldsToLowerCase } from '../text/normalise.ts';
import { INDEX_FORMAT_VERSION, miniSearchOptions } from './options.ts';
import { PAIR_FILTER_WORDS } from './phrase-filter.ts';
import { buildIndexSegment, type IndexSegment } from './index-segment.ts';

export { MAX_POSITION, WORD_CHECKPOINT } from './index-segment.ts';

export interface IndexData {
	version: number;
	/** Paper ids in index order; a paper's documents are contiguous. */
	paperIds: string[];
	/** `paperDocStart[p]..paperDocStart[p+1]` are the documents of paper `p`. */
	paperDocStart: Uint32Array;
	docPaper: Uint32Array;
	docPage: Uint32Array;
	/** Body terms per paper, summed over its pages. */
	paperBodyLength: Uint32Array;
	/** Sorted vocabulary of the body text. */
	vocabulary: string[];
	/** `termOffsets[t]..termOffsets[t+1]` are the postings of term `t`, by ascending document. */
	termOffsets: Uint32Array;
	postingDoc: Uint32Array;
	/** Term frequency on the page, `min(tf, MAX_TF)`. */
	postingTf: Uint16Array;
	/** How many of a posting's `postingTf` occurrences are in the paper's reference list. */
	postingReferenceTf: Uint16Array;
	/**
	 * Per document, `[start, end)` in its body text (UTF-16 units) of the part in the paper's
	 * reference list; `0, 0` when none.
	 */
	docReferences: Uint32Array;
	/**
	 * Word positions of every posting's occurrences on its page, ascending, `postingTf[i]` of
	 * them per posting, in posting order (see `eachIndexTerm`); capped at `MAX_POSITION`.
	 */
	postingPositions: Uint16Array;
	/**
	 * 1 for a term that every one of its occurrences has as written (see `eachIndexTerm`): where
	 * it is at a phrase's word position, that word is the term, so the page's text need not be
	 * read to confirm the phrase.
	 */
	termAsWritten: Uint8Array;
	/** UTF-8 text of every document's body, and byte offsets (`docs + 1` entries). */
	pageText: Uint8Array;
	textOffsets: Float64Array;
	/**
	 * 1 for a document whose text the fold only lower-cases, position for position
	 * (`foldsToLowerCase`: printable ASCII with single spaces, most pages), so a search can mark
	 * matches in it without scanning or mapping it first.
	 */
	docFoldsToLowerCase: Uint8Array;
	/**
	 * Where words `0, WORD_CHECKPOINT, 2 * WORD_CHECKPOINT, …` of each ASCII page start, in bytes
	 * from the page's start (`wordCheckpointStart[d]..wordCheckpointStart[d + 1]` are document
	 * `d`'s; none for other pages): a phrase at a word position is read there, not searched for.
	 */
	wordCheckpoints: Uint32Array;
	wordCheckpointStart: Uint32Array;
	/** `PAIR_FILTER_WORDS` words per document: its adjacent-word-pair filter (phrase-filter.ts). */
	pairFilter: Uint32Array;
	/** The metadata of every paper (its page 0 document), built with `miniSearchOptions`. */
	metadata: MiniSearch<PageDocument>;
}

/**
 * The first of postings `from..end` (sorted by document, as a term's are) in document `doc` or
 * later; `end` when none. It gallops (steps 1, 2, 4, … then halves), so that skipping far ahead
 * in a common term's postings costs a few reads, not one per posting passed.
 */
export function postingAtOrAfter(
	postingDoc: Uint32Array,
	from: number,
	end: number,
	doc: number
): number {
	let low = from;
	let step = 1;
	while (low + step < end && postingDoc[low + step] < doc) {
		low += step;
		step *= 2;
	}
	if (low < end && postingDoc[low] >= doc) return low;
	let high = Math.min(low + step, end);
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (postingDoc[middle] < doc) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** What the index holds of one paper: its metadata document(s) (page 0) and its body segment. */
export interface PaperIndexInput {
	paperId: string;
	/** Its page 0 document(s); the first is indexed as the paper's metadata. */
	metadataDocs: PageDocument[];
	/** Its body pages' segment; null for a paper without text. */
	segment: IndexSegment | null;
}

/**
 * Builds the index of a set of page documents (page 0: a paper's metadata; pages 1..n: its
 * PDF text). Documents of one paper are grouped and ordered by page whatever their input order.
 */
export function buildIndexData(docs: PageDocument[]): IndexData {
	const byPaper = new Map<string, PageDocument[]>();
	for (const doc of docs) {
		const list = byPaper.get(doc.paperId);
		if (list) list.push(doc);
		else byPaper.set(doc.paperId, [doc]);
	}
	return mergeIndexSegments(
		[...byPaper].map(([paperId, list]) => {
			const sorted = list.sort((a, b) => a.page - b.page);
			const body = sorted.filter((doc) => doc.page > 0);
			return {
				paperId,
				metadataDocs: sorted.filter((doc) => doc.page === 0),
				segment: body.length ? buildIndexSegment(body) : null
			};
		})
	);
}

/**
 * Lays out the index of papers given their segments, in the order given: local term ids become
 * ranks in the sorted union of the vocabularies, then a counting sort puts the postings term by
 * term, each term's in ascending document order. The result equals `buildIndexData` of the
 * papers' documents, array for array.
 */
export function mergeIndexSegments(papers: PaperIndexInput[]): IndexData {
	const paperIds = papers.map((paper) => paper.paperId);
	const paperDocStart = new Uint32Array(papers.length + 1);
	let docCount = 0;
	for (let p = 0; p < papers.length; p++) {
		paperDocStart[p] = docCount;
		docCount += papers[p].metadataDocs.length + (papers[p].segment?.docPage.length ?? 0);
	}
	paperDocStart[papers.length] = docCount;

	// The vocabulary: each distinct segment's local ids mapped to ranks once (papers may share one).
	const segments = [...new Set(papers.flatMap((paper) => (paper.segment ? [paper.segment] : [])))];
	const termIds = new Map<string, number>();
	const respelled: number[] = [];
	const localIds = segments.map((segment) => {
		const ids = new Uint32Array(segment.terms.length);
		const { terms, termRespelled } = segment;
		for (let local = 0; local < terms.length; local++) {
			let id = termIds.get(terms[local]);
			if (id === undefined) termIds.set(terms[local], (id = termIds.size));
			ids[local] = id;
			if (termRespelled[local]) respelled.push(id);
		}
		return ids;
	});
	const vocabulary = [...termIds.keys()].sort();
	const rankOf = new Uint32Array(vocabulary.length);
	vocabulary.forEach((term, rank) => (rankOf[termIds.get(term)!] = rank));
	const termAsWritten = new Uint8Array(vocabulary.length).fill(1);
	for (const id of respelled) termAsWritten[rankOf[id]] = 0;
	const ranksOf = new Map(
		segments.map((segment, s) => [segment, localIds[s].map((id) => rankOf[id])])
	);

	// Postings and positions per term, then where each term's start.
	const termOffsets = new Uint32Array(vocabulary.length + 1);
	const positionsStart = new Float64Array(vocabulary.length + 1);
	let textBytes = 0;
	let checkpointCount = 0;
	for (const { segment } of papers) {
		if (!segment) continue;
		const ranks = ranksOf.get(segment)!;
		const { postingTerm, postingTf } = segment;
		for (let k = 0; k < postingTerm.length; k++) {
			const rank = ranks[postingTerm[k]];
			termOffsets[rank + 1]++;
			positionsStart[rank + 1] += postingTf[k];
		}
		textBytes += segment.pageText.byteLength;
		checkpointCount += segment.wordCheckpoints.length;
	}
	for (let t = 0; t < vocabulary.length; t++) {
		termOffsets[t + 1] += termOffsets[t];
		positionsStart[t + 1] += positionsStart[t];
	}
	const postingCount = termOffsets[vocabulary.length];
	const cursor = termOffsets.slice(0, vocabulary.length);
	const positionsCursor = positionsStart.slice(0, vocabulary.length);
	const postingDoc = new Uint32Array(postingCount);
	const postingTf = new Uint16Array(postingCount);
	const postingReferenceTf = new Uint16Array(postingCount);
	const postingPositions = new Uint16Array(positionsStart[vocabulary.length]);

	const docPaper = new Uint32Array(docCount);
	const docPage = new Uint32Array(docCount);
	const paperBodyLength = new Uint32Array(papers.length);
	const docReferences = new Uint32Array(docCount * 2);
	const pageText = new Uint8Array(textBytes);
	const textOffsets = new Float64Array(docCount + 1);
	const docFoldsToLowerCase = new Uint8Array(docCount);
	const wordCheckpoints = new Uint32Array(checkpointCount);
	const wordCheckpointStart = new Uint32Array(docCount + 1);
	const pairFilter = new Uint32Array(docCount * PAIR_FILTER_WORDS);
	const metadata = new MiniSearch<PageDocument>(miniSearchOptions);
	const emptyFoldsToLowerCase = foldsToLowerCase(new Uint8Array(0), 0, 0) ? 1 : 0;
	let textAt = 0;
	let checkpointAt = 0;

	for (let p = 0; p < papers.length; p++) {
		const { metadataDocs, segment } = papers[p];
		let d = paperDocStart[p];
		// Metadata is indexed once, from page 0, by MiniSearch; its body is not indexed here.
		if (metadataDocs.length) metadata.add(metadataDocs[0]);
		for (let m = 0; m < metadataDocs.length; m++, d++) {
			docPaper[d] = p;
			textOffsets[d] = textAt;
			docFoldsToLowerCase[d] = emptyFoldsToLowerCase;
			wordCheckpointStart[d] = checkpointAt;
		}
		if (!segment) continue;
		paperBodyLength[p] = segment.bodyLength;
		const ranks = ranksOf.get(segment)!;
		const first = d;
		docPage.set(segment.docPage, first);
		docPaper.fill(p, first, first + segment.docPage.length);
		docReferences.set(segment.docReferences, first * 2);
		docFoldsToLowerCase.set(segment.docFoldsToLowerCase, first);
		pairFilter.set(segment.pairFilter, first * PAIR_FILTER_WORDS);
		pageText.set(segment.pageText, textAt);
		wordCheckpoints.set(segment.wordCheckpoints, checkpointAt);
		// Locals, not property reads, in the loop that runs once per posting.
		const {
			docPostingStart,
			postingTerm,
			postingTf: tfs,
			postingReferenceTf: referenceTfs
		} = segment;
		const positions = segment.postingPositions;
		let fromPosition = 0;
		for (let i = 0; i < segment.docPage.length; i++, d++) {
			textOffsets[d] = textAt + segment.textOffsets[i];
			wordCheckpointStart[d] = checkpointAt + segment.wordCheckpointStart[i];
			for (let k = docPostingStart[i]; k < docPostingStart[i + 1]; k++) {
				const rank = ranks[postingTerm[k]];
				const at = cursor[rank]++;
				const tf = tfs[k];
				postingDoc[at] = d;
				postingTf[at] = tf;
				postingReferenceTf[at] = referenceTfs[k];
				const to = positionsCursor[rank];
				// A loop, not `set(subarray)`: most postings hold a few positions, and a view apiece
				// was a third of the merge's time in garbage collection.
				for (let j = 0; j < tf; j++) postingPositions[to + j] = positions[fromPosition + j];
				positionsCursor[rank] = to + tf;
				fromPosition += tf;
			}
		}
		textAt += segment.pageText.byteLength;
		checkpointAt += segment.wordCheckpoints.length;
	}
	textOffsets[docCount] = textAt;
	wordCheckpointStart[docCount] = checkpointAt;

	return {
		version: INDEX_FORMAT_VERSION,
		paperIds,
		paperDocStart,
		docPaper,
		docPage,
		paperBodyLength,
		vocabulary,
		termOffsets,
		postingDoc,
		postingTf,
		postingReferenceTf,
		docReferences,
		postingPositions,
		termAsWritten,
		pageText,
		textOffsets,
		docFoldsToLowerCase,
		wordCheckpoints,
		wordCheckpointStart,
		pairFilter,
		metadata
	};
}
