/**
 * Scoring papers: BM25 per field with field boosts, computed per paper. Metadata fields are
 * scored by MiniSearch; body text by the compact page postings, summed over pages and
 * normalised by the paper's length, so long papers do not win by length.
 */
import { WORK_COSTS, type WorkBudget } from './budget.ts';
import { postingAtOrAfter, type IndexData } from './index-data.ts';
import type { MetadataSearch } from './metadata-search.ts';
import { BM25, FIELD_BOOSTS, MATCH_WEIGHTS, type IndexedField } from './options.ts';
import type { PhraseChecker } from './phrase-check.ts';
import type { MetadataQuery, PhraseNode, ScoreNode } from './score-nodes.ts';

const BODY_BOOST = FIELD_BOOSTS.body;
/** What a word in a paper's reference list counts for, against one in its own text. */
export const REFERENCE_WEIGHT = 0.1;
/** Score arrays kept for reuse between queries. */
const MAX_POOLED_SCORES = 32;

export class Scorer {
	readonly #data: IndexData;
	readonly #metadata: MetadataSearch;
	readonly #phrases: PhraseChecker;
	readonly #paperCount: number;
	readonly #averageBodyLength: number;
	/** Scratch for {@link #scoreBodyTerm}: which term last touched a paper, and its frequency. */
	readonly #stamp: Uint32Array;
	readonly #bodyTf: Float64Array;
	#stampValue = 0;
	/** Per body term, how many papers hold it (-1: not counted yet), for the idf of a phrase's words. */
	readonly #paperFrequency: Int32Array;
	readonly #freeScores: Float64Array[] = [];
	readonly #budget: WorkBudget;
	/**
	 * 1 for the papers that matched a word of the query outside their reference list (body or
	 * metadata) since {@link startQuery}; the others matched only where they cite.
	 */
	readonly matchedOutsideReferences: Uint8Array;

	constructor(
		data: IndexData,
		metadata: MetadataSearch,
		phrases: PhraseChecker,
		budget: WorkBudget
	) {
		this.#data = data;
		this.#budget = budget;
		this.#metadata = metadata;
		this.#phrases = phrases;
		const paperCount = data.paperIds.length;
		this.#paperCount = paperCount;
		let bodyLength = 0;
		for (let p = 0; p < paperCount; p++) bodyLength += data.paperBodyLength[p];
		this.#averageBodyLength = paperCount ? Math.max(1, bodyLength / paperCount) : 1;
		this.#stamp = new Uint32Array(paperCount);
		this.#bodyTf = new Float64Array(paperCount);
		this.matchedOutsideReferences = new Uint8Array(paperCount);
		this.#paperFrequency = new Int32Array(data.vocabulary.length).fill(-1);
	}

	/** Clears {@link matchedOutsideReferences} for a new query. */
	startQuery(): void {
		this.matchedOutsideReferences.fill(0);
	}

	/** A zeroed per-paper score array from the pool (queries would otherwise allocate dozens). */
	take(): Float64Array {
		const reused = this.#freeScores.pop();
		if (!reused) return new Float64Array(this.#paperCount);
		reused.fill(0);
		return reused;
	}

	/** Returns score arrays to the pool once nothing reads them any more. */
	give(...arrays: Float64Array[]): void {
		for (const array of arrays)
			if (this.#freeScores.length < MAX_POOLED_SCORES) this.#freeScores.push(array);
	}

	/** Per-paper scores of a node, in an array from the pool (the caller gives it back). */
	evaluate(node: ScoreNode): Float64Array {
		const paperCount = this.#paperCount;
		if (node.kind !== 'terms' && node.kind !== 'phrase') {
			this.#budget.charge(node.children.length * paperCount * WORK_COSTS.paperPass);
		}
		switch (node.kind) {
			case 'terms': {
				const out = this.take();
				for (const variant of node.variants)
					this.#scoreBodyTerm(variant.termId, variant.weight, out);
				if (node.metadata) this.#addMetadataScores(node.metadata, node.field, out);
				return out;
			}
			case 'all': {
				const parts = node.children.map((child) => this.evaluate(child));
				const out = this.take();
				for (let p = 0; p < paperCount; p++) {
					let sum = 0;
					for (const part of parts) {
						if (part[p] === 0) {
							sum = 0;
							break;
						}
						sum += part[p];
					}
					out[p] = sum;
				}
				this.give(...parts);
				return out;
			}
			case 'best': {
				const out = this.take();
				for (const child of node.children) {
					const part = this.evaluate(child.node);
					for (let p = 0; p < paperCount; p++) out[p] = Math.max(out[p], part[p] * child.weight);
					this.give(part);
				}
				return out;
			}
			case 'any': {
				const out = this.take();
				for (const child of node.children) {
					const part = this.evaluate(child);
					for (let p = 0; p < paperCount; p++) out[p] += part[p];
					this.give(part);
				}
				return out;
			}
			case 'phrase':
				return this.#evaluatePhrase(node);
		}
	}

	/** Raises each paper's score in `out` to `weight ×` body BM25 of one term if higher (max). */
	#scoreBodyTerm(termId: number, weight: number, out: Float64Array): void {
		const data = this.#data;
		const postings = data.termOffsets[termId + 1] - data.termOffsets[termId];
		if (!this.#budget.spend(postings * WORK_COSTS.posting)) return;
		const stamp = ++this.#stampValue;
		const touched: number[] = [];
		for (let i = data.termOffsets[termId], end = data.termOffsets[termId + 1]; i < end; i++) {
			const p = data.docPaper[data.postingDoc[i]];
			if (this.#stamp[p] !== stamp) {
				this.#stamp[p] = stamp;
				this.#bodyTf[p] = 0;
				touched.push(p);
			}
			const inReferences = data.postingReferenceTf[i];
			const outside = data.postingTf[i] - inReferences;
			this.#bodyTf[p] += outside + REFERENCE_WEIGHT * inReferences;
			if (outside > 0) this.matchedOutsideReferences[p] = 1;
		}
		const paperCount = this.#paperCount;
		const idf = Math.log(1 + (paperCount - touched.length + 0.5) / (touched.length + 0.5));
		for (const p of touched) {
			const score = weight * idf * BODY_BOOST * this.#saturate(this.#bodyTf[p], p);
			if (score > out[p]) out[p] = score;
		}
	}

	/**
	 * {@link #scoreBodyTerm} for the papers in `papers` only (a phrase's, out of a term's many),
	 * with the same figures: the term's idf counts every paper holding it.
	 */
	#scoreBodyTermOn(termId: number, weight: number, papers: Set<number>, out: Float64Array): void {
		const data = this.#data;
		const first = data.termOffsets[termId];
		const last = data.termOffsets[termId + 1];
		if (!this.#budget.spend((last - first) * WORK_COSTS.posting)) return;
		if (papers.size === 0) return;
		const holding = this.#papersHolding(termId);
		const idf = Math.log(1 + (this.#paperCount - holding + 0.5) / (holding + 0.5));
		for (const p of papers) {
			const end = data.paperDocStart[p + 1];
			let i = postingAtOrAfter(data.postingDoc, first, last, data.paperDocStart[p]);
			if (i === last || data.postingDoc[i] >= end) continue;
			let tf = 0;
			for (; i < last && data.postingDoc[i] < end; i++) {
				const inReferences = data.postingReferenceTf[i];
				const outside = data.postingTf[i] - inReferences;
				tf += outside + REFERENCE_WEIGHT * inReferences;
				if (outside > 0) this.matchedOutsideReferences[p] = 1;
			}
			const score = weight * idf * BODY_BOOST * this.#saturate(tf, p);
			if (score > out[p]) out[p] = score;
		}
	}

	/** How many papers hold body term `termId` (counted once, then remembered). */
	#papersHolding(termId: number): number {
		let count = this.#paperFrequency[termId];
		if (count < 0) {
			const { docPaper, postingDoc, termOffsets } = this.#data;
			count = 0;
			let last = -1;
			for (let i = termOffsets[termId]; i < termOffsets[termId + 1]; i++) {
				const p = docPaper[postingDoc[i]];
				if (p !== last) {
					count++;
					last = p;
				}
			}
			this.#paperFrequency[termId] = count;
		}
		return count;
	}

	/**
	 * Adds MiniSearch's metadata score of a typed term to `out`: BM25 per field with the field
	 * boosts, the exact term at full weight, prefix completions and typo corrections (as the
	 * query allows) at their lower weights. Remembers which index terms matched, for snippets.
	 */
	#addMetadataScores(
		query: MetadataQuery,
		field: IndexedField | null,
		out: Float64Array,
		onlyOn?: Iterable<number>
	): void {
		const { papers, scores, terms } = this.#metadata.search(
			query.term,
			field,
			query.prefix,
			query.fuzzy
		);
		// Paid even when the search was cached: the papers are still walked.
		if (!this.#budget.spend(papers.length * WORK_COSTS.posting)) return;
		if (onlyOn) {
			// A phrase's word counts only on the phrase's papers: elsewhere it matched nothing.
			const found = this.take();
			for (let i = 0; i < papers.length; i++) found[papers[i]] += scores[i];
			for (const p of onlyOn) {
				if (found[p] === 0) continue;
				out[p] += found[p];
				this.matchedOutsideReferences[p] = 1;
			}
			this.give(found);
		} else {
			for (let i = 0; i < papers.length; i++) {
				out[papers[i]] += scores[i];
				this.matchedOutsideReferences[papers[i]] = 1;
			}
		}
		for (const term of terms) {
			if (query.matched.has(term)) continue;
			const weight =
				term === query.term
					? MATCH_WEIGHTS.exact
					: term.startsWith(query.term)
						? MATCH_WEIGHTS.prefix
						: MATCH_WEIGHTS.fuzzy1;
			query.matched.set(term, weight);
		}
	}

	/**
	 * {@link #addMetadataScores} of a phrase's word (an exact term) on the phrase's papers only,
	 * computed for those papers rather than searched: a common word is in thousands of papers'
	 * metadata, a phrase in a few.
	 */
	#addPhraseMetadataScores(
		query: MetadataQuery,
		field: IndexedField | null,
		node: PhraseNode,
		out: Float64Array
	): void {
		if (node.papers.size === 0) return;
		if (!this.#budget.spend(node.papers.size * WORK_COSTS.posting)) return;
		const added = this.#metadata.addExactScores(query.term, field, node.papers, out, (p) => {
			this.matchedOutsideReferences[p] = 1;
			if (!query.matched.has(query.term)) query.matched.set(query.term, MATCH_WEIGHTS.exact);
		});
		if (!added) this.#addMetadataScores(query, field, out, node.papers);
	}

	#saturate(tf: number, paper: number): number {
		const length = this.#data.paperBodyLength[paper];
		const norm = 1 - BM25.b + (BM25.b * length) / this.#averageBodyLength;
		return (tf * (BM25.k1 + 1)) / (tf + BM25.k1 * norm);
	}

	/** Scores the papers whose text holds the phrase (see `PhraseChecker`). */
	#evaluatePhrase(node: PhraseNode): Float64Array {
		const out = this.take();
		this.#phrases.findPapers(node);
		if (node.impossible) return out;
		if (node.terms.length === 0) {
			// Nothing to weigh a phrase of stop words by: the papers holding it tie.
			for (const p of node.papers) out[p] = 1;
			return out;
		}
		const termScores = this.take();
		for (const termNode of node.termNodes) {
			// Scored like a word, but on the papers holding the phrase only: the others score 0.
			const scores = this.take();
			for (const variant of termNode.variants)
				this.#scoreBodyTermOn(variant.termId, variant.weight, node.papers, scores);
			if (termNode.metadata)
				this.#addPhraseMetadataScores(termNode.metadata, termNode.field, node, scores);
			for (const p of node.papers) termScores[p] = Math.max(termScores[p], scores[p]);
			this.give(scores);
		}
		for (const p of node.papers) {
			// Scored like its words together, and a little above loose co-occurrence of them.
			out[p] = termScores[p] * 1.5 + 1e-9;
		}
		this.give(termScores);
		return out;
	}
}
