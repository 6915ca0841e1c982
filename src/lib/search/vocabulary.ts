/**
 * The body vocabulary (sorted terms of the PDF pages): term ids, postings counts, and the
 * expansions of a typed word to prefix completions and typo corrections.
 */
import { WORK_COSTS, type WorkBudget } from './budget.ts';
import { boundedEditDistance } from './edit-distance.ts';
import type { IndexData } from './index-data.ts';
import { MAX_EXPANSIONS, fuzzyDistance } from './options.ts';

/** Most cached typo expansions (the vocabulary never changes once loaded). */
const MAX_CACHED_FUZZY = 20_000;

/** A body term within a typo's reach, and how far. */
interface NearTerm {
	id: number;
	distance: number;
}

export class BodyVocabulary {
	readonly #data: IndexData;
	readonly #termsByLength: number[][] = [];
	readonly #fuzzyCache = new Map<string, NearTerm[]>();
	readonly #budget: WorkBudget;

	constructor(data: IndexData, budget: WorkBudget) {
		this.#data = data;
		this.#budget = budget;
		data.vocabulary.forEach((term, id) => (this.#termsByLength[term.length] ??= []).push(id));
	}

	/** The term with id `id`. */
	term(id: number): string {
		return this.#data.vocabulary[id];
	}

	/** Id of a term in the sorted vocabulary, or -1. */
	termId(term: string): number {
		const at = this.#lowerBound(term);
		return this.#data.vocabulary[at] === term ? at : -1;
	}

	/** How many page documents hold the term with id `termId`. */
	postingCount(termId: number): number {
		return this.#data.termOffsets[termId + 1] - this.#data.termOffsets[termId];
	}

	/** The page documents holding the term with id `termId`, at most `count` of them, in order. */
	firstDocuments(termId: number, count: number): Uint32Array {
		const from = this.#data.termOffsets[termId];
		return this.#data.postingDoc.subarray(
			from,
			Math.min(from + count, this.#data.termOffsets[termId + 1])
		);
	}

	/** The most frequent terms that start with `prefix` (itself included when present). */
	prefixTerms(prefix: string): number[] {
		const vocabulary = this.#data.vocabulary;
		const ids: number[] = [];
		for (
			let id = this.#lowerBound(prefix);
			id < vocabulary.length && vocabulary[id].startsWith(prefix);
			id++
		) {
			ids.push(id);
		}
		// Listed in full, then cut: what a short prefix costs is its number of completions.
		this.#budget.charge(ids.length * WORK_COSTS.vocabularyTerm);
		if (ids.length > MAX_EXPANSIONS) {
			ids.sort((a, b) => this.postingCount(b) - this.postingCount(a));
			ids.length = MAX_EXPANSIONS;
		}
		return ids;
	}

	/** Terms within the typo distance allowed for `term`'s length, most frequent first. */
	fuzzyTerms(term: string): NearTerm[] {
		// Compiling and "did you mean" ask for the same term; the vocabulary scan is the cost.
		let found = this.#fuzzyCache.get(term);
		if (!found) {
			if (!this.#budget.spend(this.#fuzzyScanSize(term) * WORK_COSTS.vocabularyTerm)) return [];
			if (this.#fuzzyCache.size >= MAX_CACHED_FUZZY) this.#fuzzyCache.clear();
			found = this.#scanFuzzyTerms(term);
			this.#fuzzyCache.set(term, found);
		}
		return found;
	}

	#lowerBound(term: string): number {
		const vocabulary = this.#data.vocabulary;
		let low = 0;
		let high = vocabulary.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (vocabulary[mid] < term) low = mid + 1;
			else high = mid;
		}
		return low;
	}

	/** How many vocabulary terms a typo scan for `term` compares it with, at most. */
	#fuzzyScanSize(term: string): number {
		const maxDistance = fuzzyDistance(term);
		let size = 0;
		for (let length = term.length - maxDistance; length <= term.length + maxDistance; length++)
			size += this.#termsByLength[length]?.length ?? 0;
		return size;
	}

	#scanFuzzyTerms(term: string): NearTerm[] {
		const maxDistance = fuzzyDistance(term);
		if (maxDistance === 0) return [];
		const found: NearTerm[] = [];
		const vocabulary = this.#data.vocabulary;
		const first = term.charCodeAt(0);
		const second = term.charCodeAt(1);
		for (let length = term.length - maxDistance; length <= term.length + maxDistance; length++) {
			for (const id of this.#termsByLength[length] ?? []) {
				// Typos rarely hit both of the first two letters; skipping those saves most comparisons.
				const candidate = vocabulary[id];
				if (
					candidate.charCodeAt(0) !== first &&
					candidate.charCodeAt(1) !== second &&
					!(candidate.charCodeAt(0) === second && candidate.charCodeAt(1) === first)
				) {
					continue;
				}
				const distance = boundedEditDistance(term, vocabulary[id], maxDistance);
				if (distance > 0 && distance <= maxDistance) found.push({ id, distance });
			}
		}
		found.sort(
			(a, b) => a.distance - b.distance || this.postingCount(b.id) - this.postingCount(a.id)
		);
		return found.slice(0, MAX_EXPANSIONS);
	}
}
