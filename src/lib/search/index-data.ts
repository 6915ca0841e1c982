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
import { indexTerms } from '../text/normalise.ts';
import { INDEX_FORMAT_VERSION, miniSearchOptions } from './options.ts';
import { PAIR_FILTER_WORDS, addPairs, phraseWords } from './phrase-filter.ts';

/** Largest term frequency stored per page (postings hold it in 16 bits). */
export const MAX_TF = 0xffff;

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
	/** UTF-8 text of every document's body, and byte offsets (`docs + 1` entries). */
	pageText: Uint8Array;
	textOffsets: Float64Array;
	/** `PAIR_FILTER_WORDS` words per document: its adjacent-word-pair filter (phrase-filter.ts). */
	pairFilter: Uint32Array;
	/** The metadata of every paper (its page 0 document), built with `miniSearchOptions`. */
	metadata: MiniSearch<PageDocument>;
}

/** A growable typed array, so that millions of postings do not become millions of JS numbers. */
class GrowableU32 {
	data = new Uint32Array(1 << 16);
	length = 0;
	push(value: number): void {
		if (this.length === this.data.length) {
			const bigger = new Uint32Array(this.data.length * 2);
			bigger.set(this.data);
			this.data = bigger;
		}
		this.data[this.length++] = value;
	}
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
	const postingTerm = new GrowableU32();
	const postingDoc = new GrowableU32();
	const postingTf = new GrowableU32();
	const encoder = new TextEncoder();
	const texts: Uint8Array[] = [];
	const textOffsets = new Float64Array(ordered.length + 1);
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
				const counts = new Map<number, number>();
				const terms = indexTerms(doc.body);
				paperBodyLength[p] += terms.length;
				for (const term of terms) {
					let id = termIds.get(term);
					if (id === undefined) termIds.set(term, (id = termIds.size));
					counts.set(id, (counts.get(id) ?? 0) + 1);
				}
				for (const [id, tf] of counts) {
					postingTerm.push(id);
					postingDoc.push(d);
					postingTf.push(Math.min(tf, MAX_TF));
				}
			}
			if (doc.page > 0) addPairs(pairFilter, d * PAIR_FILTER_WORDS, phraseWords(doc.body));
			const bytes = encoder.encode(doc.page === 0 ? '' : doc.body);
			texts.push(bytes);
			textOffsets[d] = textBytes;
			textBytes += bytes.length;
		}
	}
	textOffsets[ordered.length] = textBytes;

	// Sort the vocabulary, then lay postings out term by term with a stable counting sort, which
	// keeps each term's postings in ascending document order.
	const vocabulary = [...termIds.keys()].sort();
	const rankOf = new Uint32Array(vocabulary.length);
	vocabulary.forEach((term, rank) => (rankOf[termIds.get(term)!] = rank));
	const termOffsets = new Uint32Array(vocabulary.length + 1);
	for (let i = 0; i < postingTerm.length; i++) termOffsets[rankOf[postingTerm.data[i]] + 1]++;
	for (let t = 0; t < vocabulary.length; t++) termOffsets[t + 1] += termOffsets[t];
	const cursor = termOffsets.slice(0, vocabulary.length);
	const sortedDoc = new Uint32Array(postingTerm.length);
	const sortedTf = new Uint16Array(postingTerm.length);
	for (let i = 0; i < postingTerm.length; i++) {
		const at = cursor[rankOf[postingTerm.data[i]]]++;
		sortedDoc[at] = postingDoc.data[i];
		sortedTf[at] = postingTf.data[i];
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
		pageText,
		textOffsets,
		pairFilter,
		metadata
	};
}
