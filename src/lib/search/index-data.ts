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
import { WORD, compoundParts, eachIndexTerm, fold, foldsToLowerCase } from '../text/normalise.ts';
import { INDEX_FORMAT_VERSION, miniSearchOptions } from './options.ts';
import { isAscii } from 'node:buffer';
import { PAIR_FILTER_WORDS, addPairs, isAsciiWordByte, phraseWords } from './phrase-filter.ts';

/** Every how many words of an ASCII page its byte offset is kept (see `wordCheckpoints`). */
export const WORD_CHECKPOINT = 32;

/** Largest term frequency stored per page (postings hold it in 16 bits). */
const MAX_TF = 0xffff;
/**
 * Largest word position stored (16 bits). A word further down a page than this is stored at
 * this position, which a phrase check treats as "anywhere": such a page is checked on its text.
 */
export const MAX_POSITION = 0xffff;

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

/** A growable typed array, so that millions of postings do not become millions of JS numbers. */
class Growable<T extends Uint32Array | Uint16Array> {
	data: T;
	length = 0;
	constructor(private readonly make: (length: number) => T) {
		this.data = make(1 << 16);
	}
	push(value: number): void {
		if (this.length === this.data.length) {
			const bigger = this.make(this.data.length * 2);
			bigger.set(this.data);
			this.data = bigger;
		}
		this.data[this.length++] = value;
	}
}

const growableU32 = () => new Growable((length) => new Uint32Array(length));

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
	const paperIds = [...byPaper.keys()];
	const ordered: PageDocument[] = [];
	const paperDocStart = new Uint32Array(paperIds.length + 1);
	paperIds.forEach((id, p) => {
		paperDocStart[p] = ordered.length;
		ordered.push(...byPaper.get(id)!.sort((a, b) => a.page - b.page));
	});
	paperDocStart[paperIds.length] = ordered.length;

	const docPaper = new Uint32Array(ordered.length);
	const docPage = new Uint32Array(ordered.length);
	const paperBodyLength = new Uint32Array(paperIds.length);
	const metadata = new MiniSearch<PageDocument>(miniSearchOptions);
	const termIds = new Map<string, number>();
	const postingTerm = growableU32();
	const postingDoc = growableU32();
	const postingTf = growableU32();
	const postingReferenceTf = growableU32();
	const docReferences = new Uint32Array(ordered.length * 2);
	const positions = new Growable((length) => new Uint16Array(length));
	/** Term ids (in order of first sight) seen written otherwise at least once. */
	const respelled = new Set<number>();
	const encoder = new TextEncoder();
	const texts: Uint8Array[] = [];
	const textOffsets = new Float64Array(ordered.length + 1);
	const docFoldsToLowerCase = new Uint8Array(ordered.length);
	const wordCheckpoints = growableU32();
	const wordCheckpointStart = new Uint32Array(ordered.length + 1);
	const pairFilter = new Uint32Array(ordered.length * PAIR_FILTER_WORDS);
	let textBytes = 0;

	for (let p = 0; p < paperIds.length; p++) {
		for (let d = paperDocStart[p]; d < paperDocStart[p + 1]; d++) {
			const doc = ordered[d];
			docPaper[d] = p;
			docPage[d] = doc.page;
			// Metadata is indexed once, from page 0, by MiniSearch; later pages repeat the title for
			// other tools, and only their body is indexed here.
			if (doc.page === 0) {
				if (d === paperDocStart[p]) metadata.add(doc);
			} else if (doc.body) {
				const termPositions = new Map<number, number[]>();
				const [referenceFrom, referenceTo] = doc.references
					? doc.references.map((at) => wordsBefore(doc.body, at))
					: [0, 0];
				if (doc.references) docReferences.set(doc.references, d * 2);
				eachIndexTerm(doc.body, (term, position, asWritten) => {
					paperBodyLength[p]++;
					let id = termIds.get(term);
					if (id === undefined) termIds.set(term, (id = termIds.size));
					if (!asWritten) respelled.add(id);
					const list = termPositions.get(id);
					if (list) list.push(position);
					else termPositions.set(id, [position]);
				});
				for (const [id, list] of termPositions) {
					const tf = Math.min(list.length, MAX_TF);
					let inReferences = 0;
					if (referenceTo > referenceFrom) {
						for (let k = 0; k < tf; k++)
							if (list[k] >= referenceFrom && list[k] < referenceTo) inReferences++;
					}
					postingTerm.push(id);
					postingDoc.push(d);
					postingTf.push(tf);
					postingReferenceTf.push(inReferences);
					for (let k = 0; k < tf; k++) positions.push(Math.min(list[k], MAX_POSITION));
				}
			}
			if (doc.page > 0) addPairs(pairFilter, d * PAIR_FILTER_WORDS, phraseWords(doc.body));
			const bytes = encoder.encode(doc.page === 0 ? '' : doc.body);
			if (foldsToLowerCase(bytes, 0, bytes.length)) docFoldsToLowerCase[d] = 1;
			wordCheckpointStart[d] = wordCheckpoints.length;
			addWordCheckpoints(bytes, wordCheckpoints);
			texts.push(bytes);
			textOffsets[d] = textBytes;
			textBytes += bytes.length;
		}
	}
	textOffsets[ordered.length] = textBytes;
	wordCheckpointStart[ordered.length] = wordCheckpoints.length;

	// Sort the vocabulary, then lay postings out term by term with a stable counting sort, which
	// keeps each term's postings in ascending document order.
	const vocabulary = [...termIds.keys()].sort();
	const rankOf = new Uint32Array(vocabulary.length);
	vocabulary.forEach((term, rank) => (rankOf[termIds.get(term)!] = rank));
	const termAsWritten = new Uint8Array(vocabulary.length).fill(1);
	for (const id of respelled) termAsWritten[rankOf[id]] = 0;
	const termOffsets = new Uint32Array(vocabulary.length + 1);
	for (let i = 0; i < postingTerm.length; i++) termOffsets[rankOf[postingTerm.data[i]] + 1]++;
	for (let t = 0; t < vocabulary.length; t++) termOffsets[t + 1] += termOffsets[t];
	const cursor = termOffsets.slice(0, vocabulary.length);
	const sortedDoc = new Uint32Array(postingTerm.length);
	const sortedTf = new Uint16Array(postingTerm.length);
	const sortedReferenceTf = new Uint16Array(postingTerm.length);
	const sortedFrom = new Uint32Array(postingTerm.length);
	for (let i = 0; i < postingTerm.length; i++) {
		const at = cursor[rankOf[postingTerm.data[i]]]++;
		sortedDoc[at] = postingDoc.data[i];
		sortedTf[at] = postingTf.data[i];
		sortedReferenceTf[at] = postingReferenceTf.data[i];
		sortedFrom[at] = i;
	}
	// Each posting's positions move with it: where they start, before and after the sort.
	const positionsFrom = new Float64Array(postingTerm.length + 1);
	for (let i = 0; i < postingTerm.length; i++)
		positionsFrom[i + 1] = positionsFrom[i] + postingTf.data[i];
	const postingPositions = new Uint16Array(positions.length);
	for (let at = 0, to = 0; at < postingTerm.length; at++) {
		const from = positionsFrom[sortedFrom[at]];
		postingPositions.set(positions.data.subarray(from, from + sortedTf[at]), to);
		to += sortedTf[at];
	}

	const pageText = new Uint8Array(textBytes);
	let at = 0;
	for (const bytes of texts) {
		pageText.set(bytes, at);
		at += bytes.length;
	}

	return {
		version: INDEX_FORMAT_VERSION,
		paperIds,
		paperDocStart,
		docPaper,
		docPage,
		paperBodyLength,
		vocabulary,
		termOffsets,
		postingDoc: sortedDoc,
		postingTf: sortedTf,
		postingReferenceTf: sortedReferenceTf,
		docReferences,
		postingPositions,
		termAsWritten,
		pageText,
		textOffsets,
		docFoldsToLowerCase,
		wordCheckpoints: wordCheckpoints.data.slice(0, wordCheckpoints.length),
		wordCheckpointStart,
		pairFilter,
		metadata
	};
}

/**
 * Adds the byte offsets of words `0, WORD_CHECKPOINT, …` of a page, if it is ASCII. There a word
 * (a run of letters and digits of the folded text, the unit `eachIndexTerm` counts) is a run of
 * `[A-Za-z0-9]` bytes; other pages fold to other lengths, and get none.
 */
function addWordCheckpoints(bytes: Uint8Array, checkpoints: Growable<Uint32Array>): void {
	if (!isAscii(bytes)) return;
	let word = 0;
	let inWord = false;
	for (let i = 0; i < bytes.length; i++) {
		const isWordByte = isAsciiWordByte(bytes[i]);
		if (isWordByte && !inWord && word++ % WORD_CHECKPOINT === 0) checkpoints.push(i);
		inWord = isWordByte;
	}
}

/** The word position (as `eachIndexTerm` counts) of the first word at or after `at` in `text`. */
function wordsBefore(text: string, at: number): number {
	let count = 0;
	for (const match of fold(text.slice(0, at)).matchAll(WORD))
		count += compoundParts(match[0]).length;
	return count;
}
