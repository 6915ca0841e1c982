/**
 * Finding the papers and pages that hold a quoted phrase, checked on the text itself, not on
 * co-occurrence of its words. A phrase is found on the postings and confirmed on word
 * positions (consecutive words have consecutive positions); where positions cannot settle it
 * (other spellings, stop words), the page text is read at the word they point to, or searched.
 */
import type { Paper } from '../types.ts';
import { fold, WORD_PART } from '../text/normalise.ts';
import { MAX_WORDLESS_PHRASE_PAGES, WORK_COSTS, type WorkBudget } from './budget.ts';
import { MAX_POSITION, WORD_CHECKPOINT, postingAtOrAfter, type IndexData } from './index-data.ts';
import type { MetadataSearch } from './metadata-search.ts';
import { INDEXED_FIELDS, isMetadataField, type IndexedField } from './options.ts';
import type { PageTexts } from './page-texts.ts';
import {
	PAIR_FILTER_WORDS,
	PageKind,
	addPairs,
	bytesHavePhrase,
	mayHavePairBits,
	skipWords
} from './phrase-filter.ts';
import type { PhraseNode } from './score-nodes.ts';
import { phraseAtBytes, phraseMatcher, phraseOccursIn } from '../text/phrase.ts';

/**
 * Postings a phrase's cursor passes one by one before it jumps instead: finding a posting's
 * word positions after a jump sums up to 63 term frequencies (see `positionCheckpoints`).
 */
const SKIP = 64;

/** What a page's word positions say about a phrase. */
const LineUp = { No: 0, Yes: 1, Maybe: 2 } as const;
type LineUp = (typeof LineUp)[keyof typeof LineUp];

/** Positions in the postings of a phrase's distinct terms, walked together page by page. */
interface PhraseCursors {
	/** Current posting of each term, and the end of its postings. */
	at: Uint32Array;
	end: Uint32Array;
	/** Where the current posting's word positions start in `postingPositions`. */
	positionAt: Uint32Array;
	/** Scratch for {@link PhraseChecker.#positionsLineUp}: how far each term's positions are read. */
	reading: Uint32Array;
	/** Which cursor each of the node's positional terms reads. */
	cursorOf: number[];
}

/** `postingPositions` offsets of postings 0, 64, 128, …: running sums of term frequencies. */
function positionCheckpoints(postingTf: Uint16Array): Float64Array {
	const checkpoints = new Float64Array((postingTf.length >>> 6) + 1);
	let sum = 0;
	for (let i = 0; i < postingTf.length; i++) {
		if ((i & 63) === 0) checkpoints[i >>> 6] = sum;
		sum += postingTf[i];
	}
	return checkpoints;
}

/** The metadata texts of a paper a phrase is checked against (one field, or all). */
function metadataTexts(paper: Paper): Record<IndexedField, string[]> {
	return {
		title: [paper.title],
		authors: paper.authors.map((author) => author.name),
		abstract: [paper.abstract ?? ''],
		keywords: paper.keywords,
		topics: paper.topics.map((topic) => topic.label),
		body: []
	};
}

export class PhraseChecker {
	readonly #data: IndexData;
	readonly #pages: PageTexts;
	readonly #metadata: MetadataSearch;
	readonly #papers: (Paper | undefined)[];
	/** Which phrase check each page last had (a phrase node's stamp), and whether it held. */
	readonly #checkStamp: Uint32Array;
	readonly #checkHolds: Uint8Array;
	#stamp = 0;
	/**
	 * Where the word positions of postings `64k..` start in `postingPositions`, so that any
	 * posting's positions are found by summing at most 63 term frequencies.
	 */
	readonly #positionCheckpoints: Float64Array;
	/** Papers' metadata texts folded for phrase checks, filled as phrases are checked. */
	readonly #foldedMetadataTexts: (Record<IndexedField | 'all', string[]> | undefined)[] = [];
	/** Papers' metadata pair filters (see {@link #metadataMayHave}), filled as phrases are checked. */
	readonly #metadataPairFilters: (Uint32Array | undefined)[] = [];
	/** The query's work budget: pages checked and postings walked are paid from it. */
	readonly #budget: WorkBudget;

	constructor(
		data: IndexData,
		pages: PageTexts,
		metadata: MetadataSearch,
		papers: (Paper | undefined)[],
		budget: WorkBudget
	) {
		this.#data = data;
		this.#budget = budget;
		this.#pages = pages;
		this.#metadata = metadata;
		this.#papers = papers;
		this.#checkStamp = new Uint32Array(data.docPaper.length);
		this.#checkHolds = new Uint8Array(data.docPaper.length);
		this.#positionCheckpoints = positionCheckpoints(data.postingTf);
	}

	/** Fills `node.papers` with the papers holding the phrase, for this query. */
	findPapers(node: PhraseNode): void {
		node.papers.clear();
		node.stamp = ++this.#stamp;
		if (node.impossible) return;
		// A phrase of stop words or single letters is a candidate on every page: only a few are
		// checked per query, and none once the budget is spent (a phrase left out requires nothing).
		const budget = this.#budget;
		if (budget.exhausted || (node.wordTerms.length === 0 && !budget.admitWordlessPhrase())) {
			budget.drop(node);
			return;
		}
		const field = node.field;
		if (field === null || field === 'body') this.#findInBody(node);
		// Metadata, for the papers whose pages lack the phrase (finding it twice scores the same):
		// MiniSearch's exact results for each word's term give the papers holding all of them; the
		// text check does the rest. A phrase of stop words only is checked on every paper.
		if (field !== null && !isMetadataField(field)) return;
		const matcher = phraseMatcher(node.phrase);
		const holds = (p: number) =>
			!node.papers.has(p) &&
			this.#metadataMayHave(node, p) &&
			this.#foldedMetadata(p, field).some((text) => phraseOccursIn(text, matcher));
		if (node.wordTerms.length === 0) {
			for (let p = 0; p < this.#papers.length; p++) {
				if (!budget.spend(WORK_COSTS.metadataText)) return;
				if (holds(p)) node.papers.add(p);
			}
			return;
		}
		// Papers holding every term, from the metadata's term index: no search is needed to know
		// them, and a word no metadata holds rules the metadata out at once.
		const candidates = Math.min(
			...node.wordTerms.map((term) => this.#metadata.documentFrequency(term, field))
		);
		if (candidates === 0) return;
		if (!budget.spend(candidates * WORK_COSTS.metadataText)) return;
		for (const p of this.#metadata.papersHoldingAll(node.wordTerms, field)) {
			if (holds(p)) node.papers.add(p);
		}
	}

	/** Every PDF page of paper `p` that holds the phrase (for the hits shown). */
	pages(node: PhraseNode, p: number): number[] {
		const pages: number[] = [];
		if (isMetadataField(node.field) || node.impossible) return pages;
		const data = this.#data;
		for (let doc = data.paperDocStart[p]; doc < data.paperDocStart[p + 1]; doc++) {
			if (data.docPage[doc] > 0 && this.#onPage(node, doc)) pages.push(data.docPage[doc]);
		}
		return pages;
	}

	/** Adds to `node.papers` the papers with a PDF page holding the phrase (one page is enough). */
	#findInBody(node: PhraseNode): void {
		const data = this.#data;
		const positional = node.positional;
		if (!positional) return;
		// One verified page is enough to rank a paper; all its pages are checked only if it is shown.
		// A paper's documents are contiguous, so whether it is found changes only between papers.
		let checked = 0;
		let paper = -1;
		let found = false;
		const budget = this.#budget;
		const maxPages = positional.length === 0 ? MAX_WORDLESS_PHRASE_PAGES : Infinity;
		const check = (doc: number, cursors: PhraseCursors | null): boolean => {
			const p = data.docPaper[doc];
			if (p !== paper) {
				paper = p;
				found = node.papers.has(p);
			}
			if (found) return true;
			if (++checked > maxPages) {
				budget.markPartial();
				return false;
			}
			if (budget.exhausted) return false;
			if (this.#onPage(node, doc, cursors)) {
				node.papers.add(p);
				found = true;
			}
			return true;
		};
		if (positional.length === 0) {
			// Stop words and single letters only: every page is a candidate (the pair filter helps).
			for (let doc = 0; doc < data.docPage.length; doc++) {
				if (data.docPage[doc] > 0 && !check(doc, null)) break;
			}
			return;
		}
		// The pages holding every term are found by walking the terms' postings together in page
		// order, led by the rarest term. Each of its pages is first tried on the pair filter (two
		// bit tests a pair), which rules out most pages lacking the phrase before the other terms'
		// cursors move there; a paper already found is passed over whole.
		const { postingDoc, docPaper, paperDocStart, pairFilter } = data;
		const cursors = this.#cursors(node);
		const count = cursors.at.length;
		// Walking the terms' postings together costs at most all of them.
		let postings = 0;
		for (let k = 0; k < count; k++) postings += cursors.end[k] - cursors.at[k];
		if (!budget.spend(postings * WORK_COSTS.phrasePosting)) return;
		const { at, end, positionAt } = cursors;
		const bits = node.pairBits;
		/** Moves cursor `k` to its first posting on page `doc` or after; false at its end. */
		const reach = (k: number, doc: number): boolean => {
			if (at[k] + SKIP < end[k] && postingDoc[at[k] + SKIP] < doc) {
				// Far behind (a common word next to a rare one): jump.
				at[k] = postingAtOrAfter(postingDoc, at[k] + SKIP + 1, end[k], doc);
			}
			while (at[k] < end[k] && postingDoc[at[k]] < doc) at[k]++;
			return at[k] < end[k];
		};
		while (at[0] < end[0]) {
			const doc = postingDoc[at[0]];
			const p = docPaper[doc];
			if (p === paper && found) {
				if (!reach(0, paperDocStart[p + 1])) return;
				continue;
			}
			if (!mayHavePairBits(pairFilter, doc * PAIR_FILTER_WORDS, bits)) {
				at[0]++;
				continue;
			}
			let next = doc;
			for (let k = 1; k < count && next === doc; k++) {
				if (!reach(k, doc)) return;
				next = postingDoc[at[k]];
			}
			if (next !== doc) {
				if (!reach(0, next)) return;
				continue;
			}
			// Every term is on page `doc`: where their word positions start, for #onPage.
			for (let k = 0; k < count; k++) positionAt[k] = this.#positionStart(at[k]);
			if (!check(doc, cursors)) return;
			at[0]++;
		}
	}

	/**
	 * Cursors on the postings of a phrase's distinct positional terms, at their first postings,
	 * the rarest term first: it leads the walk, and the others jump to its pages.
	 */
	#cursors(node: PhraseNode): PhraseCursors {
		const { termOffsets } = this.#data;
		const postings = (id: number) => termOffsets[id + 1] - termOffsets[id];
		const ids = [...new Set(node.positional!.map(({ id }) => id))].sort(
			(a, b) => postings(a) - postings(b)
		);
		return {
			at: Uint32Array.from(ids, (id) => termOffsets[id]),
			end: Uint32Array.from(ids, (id) => termOffsets[id + 1]),
			positionAt: Uint32Array.from(ids, (id) => this.#positionStart(termOffsets[id])),
			reading: new Uint32Array(node.positional!.length),
			cursorOf: node.positional!.map(({ id }) => ids.indexOf(id))
		};
	}

	/** Where posting `i`'s word positions start in `postingPositions`. */
	#positionStart(i: number): number {
		const { postingTf } = this.#data;
		let start = this.#positionCheckpoints[i >>> 6];
		for (let j = i & ~63; j < i; j++) start += postingTf[j];
		return start;
	}

	/**
	 * Whether page document `doc` holds the phrase, from the cursors' postings (all on `doc`):
	 * where its terms are at consecutive word positions, as the phrase has its words, the phrase
	 * is there if its words are plain (`settledByPositions`), or if the page's text has them at
	 * that word (ASCII pages). Maybe: the text must be searched (other pages, a position at the cap).
	 */
	#positionsLineUp(node: PhraseNode, cursors: PhraseCursors, doc: number): LineUp {
		const { postingPositions, postingTf } = this.#data;
		const positional = node.positional!;
		const { at, positionAt, cursorOf } = cursors;
		// The rarest term on the page leads; the others are looked for where it puts them.
		let lead = 0;
		for (let c = 1; c < positional.length; c++) {
			if (postingTf[at[cursorOf[c]]] < postingTf[at[cursorOf[lead]]]) lead = c;
		}
		for (let c = 0; c < positional.length; c++) {
			const k = cursorOf[c];
			if (postingPositions[positionAt[k] + postingTf[at[k]] - 1] === MAX_POSITION) {
				return LineUp.Maybe;
			}
		}
		// Each term's positions are read once, in step with the lead's (all ascending).
		const reading = cursors.reading;
		for (let c = 0; c < positional.length; c++) reading[c] = positionAt[cursorOf[c]];
		const leadCursor = cursorOf[lead];
		const leadEnd = positionAt[leadCursor] + postingTf[at[leadCursor]];
		next: for (let i = positionAt[leadCursor]; i < leadEnd; i++) {
			const phraseStart = postingPositions[i] - positional[lead].offset;
			if (phraseStart < 0) continue;
			for (let c = 0; c < positional.length; c++) {
				if (c === lead) continue;
				const k = cursorOf[c];
				const wanted = phraseStart + positional[c].offset;
				const end = positionAt[k] + postingTf[at[k]];
				let j = reading[c];
				while (j < end && postingPositions[j] < wanted) j++;
				reading[c] = j;
				if (j === end) return LineUp.No;
				if (postingPositions[j] !== wanted) continue next;
			}
			if (node.settledByPositions) return LineUp.Yes;
			const atWord = this.#phraseAtWord(node, doc, phraseStart);
			if (atWord !== false) return atWord === true ? LineUp.Yes : LineUp.Maybe;
		}
		return LineUp.No;
	}

	/**
	 * Whether ASCII page document `doc` has the phrase's words from word `position` on, read at
	 * that word (found from the nearest word checkpoint); null when it cannot be read so.
	 */
	#phraseAtWord(node: PhraseNode, doc: number, position: number): boolean | null {
		const data = this.#data;
		const checkpoint = data.wordCheckpointStart[doc] + Math.floor(position / WORD_CHECKPOINT);
		if (!node.bytes || checkpoint >= data.wordCheckpointStart[doc + 1]) return null;
		const start = data.textOffsets[doc];
		const end = data.textOffsets[doc + 1];
		const word = skipWords(
			data.pageText,
			start + data.wordCheckpoints[checkpoint],
			end,
			position % WORD_CHECKPOINT
		);
		return phraseAtBytes(data.pageText, word, start, end, node.bytes.words);
	}

	/** {@link #positionsLineUp} for one page, its postings found by binary search. */
	#positionsLineUpOn(node: PhraseNode, doc: number): LineUp {
		const { postingDoc } = this.#data;
		const cursors = this.#cursors(node);
		for (let k = 0; k < cursors.at.length; k++) {
			const low = postingAtOrAfter(postingDoc, cursors.at[k], cursors.end[k], doc);
			if (low === cursors.end[k] || postingDoc[low] !== doc) return LineUp.No;
			cursors.at[k] = low;
			cursors.positionAt[k] = this.#positionStart(low);
		}
		return this.#positionsLineUp(node, cursors, doc);
	}

	/**
	 * Whether PDF page document `doc` holds the phrase (remembered while the query runs).
	 * `cursors`: the phrase's postings, when the caller has them at this page.
	 */
	#onPage(node: PhraseNode, doc: number, cursors: PhraseCursors | null = null): boolean {
		if (this.#checkStamp[doc] === node.stamp) return this.#checkHolds[doc] === 1;
		// Past the budget a page is taken not to hold the phrase (and not remembered so).
		if (!this.#budget.spend(WORK_COSTS.pageCheck)) return false;
		let holds = false;
		// The pair filter (two bit tests a pair), then word positions, rule out most pages lacking
		// the phrase without reading them; positions alone settle it when its words are plain.
		if (mayHavePairBits(this.#data.pairFilter, doc * PAIR_FILTER_WORDS, node.pairBits)) {
			const positions =
				node.positional === null
					? LineUp.No
					: node.positional.length === 0
						? LineUp.Maybe
						: cursors
							? this.#positionsLineUp(node, cursors, doc)
							: this.#positionsLineUpOn(node, doc);
			if (positions === LineUp.Yes) holds = true;
			else if (positions === LineUp.Maybe) holds = this.#textHasPhrase(node, doc);
		}
		this.#checkStamp[doc] = node.stamp;
		this.#checkHolds[doc] = holds ? 1 : 0;
		return holds;
	}

	/** Whether the text of PDF page document `doc` holds the phrase. */
	#textHasPhrase(node: PhraseNode, doc: number): boolean {
		const pages = this.#pages;
		if (!this.#budget.spend((pages.end(doc) - pages.start(doc)) * WORK_COSTS.textByte))
			return false;
		const kind = pages.kind(doc);
		if (!node.bytes || kind === PageKind.Other) {
			return phraseOccursIn(fold(pages.text(doc)), phraseMatcher(node.phrase));
		}
		// ASCII pages are checked on their bytes, without decoding; where their capitals are is
		// looked at only when the plain spellings of the first word do not settle it.
		const start = pages.start(doc);
		const end = pages.end(doc);
		let found = bytesHavePhrase(pages.bytes, start, end, kind, node.bytes);
		if (found === null) {
			found = bytesHavePhrase(pages.bytes, start, end, pages.learnCapitals(doc), node.bytes);
		}
		return found === true;
	}

	/**
	 * False when paper `p`'s metadata texts surely lack the phrase: the pair filter of its texts
	 * (as a page's, built the first time a phrase is checked on it) lacks one of its word pairs.
	 * Queries of common words check the same papers' metadata again and again.
	 */
	#metadataMayHave(node: PhraseNode, p: number): boolean {
		if (node.pairBits.length === 0) return true;
		let filter = this.#metadataPairFilters[p];
		if (!filter) {
			filter = new Uint32Array(PAIR_FILTER_WORDS);
			for (const text of this.#foldedMetadata(p, null)) {
				addPairs(filter, 0, text.match(WORD_PART) ?? []);
			}
			this.#metadataPairFilters[p] = filter;
		}
		return mayHavePairBits(filter, 0, node.pairBits);
	}

	/** The metadata texts of paper `p` (one field, or all), folded; remembered per paper. */
	#foldedMetadata(p: number, field: IndexedField | null): string[] {
		let folded = this.#foldedMetadataTexts[p];
		if (!folded) {
			const paper = this.#papers[p];
			if (!paper) return [];
			const texts = metadataTexts(paper);
			const byField = Object.fromEntries(
				INDEXED_FIELDS.map((name) => [name, texts[name].map((text) => fold(text))])
			) as Record<IndexedField, string[]>;
			folded = { ...byField, all: INDEXED_FIELDS.flatMap((name) => byField[name]) };
			this.#foldedMetadataTexts[p] = folded;
		}
		return folded[field ?? 'all'];
	}
}
