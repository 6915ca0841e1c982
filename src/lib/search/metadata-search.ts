/**
 * Searching the papers' metadata (title, authors, abstract, keywords, topics) with MiniSearch,
 * one typed term at a time, kept compact and cached: compiling a query asks about the same
 * terms several times, and queries repeat words.
 */
import type MiniSearch from 'minisearch';
import type { PageDocument } from '../types.ts';
import { WORK_COSTS, type WorkBudget } from './budget.ts';
import { MATCH_WEIGHTS, MAX_EXPANSIONS, type IndexedField } from './options.ts';
import { adjacentSwaps, boundedEditDistance } from './edit-distance.ts';

/** Most cached metadata searches (the metadata index never changes once loaded). */
const MAX_CACHED_SEARCHES = 20_000;
/** Most papers held by all cached metadata searches together (12 bytes each). */
const MAX_CACHED_PAPERS = 4_000_000;
/** Most cached document frequencies (a number each). */
const MAX_CACHED_FREQUENCIES = 50_000;

/** MiniSearch's answer to one search of the metadata, compact: papers, scores, terms matched. */
interface MetadataMatches {
	/** Paper indexes, with their scores in `scores`. */
	papers: Uint32Array;
	scores: Float64Array;
	/** Every index term the search matched, in any paper. */
	terms: string[];
}

const NO_MATCHES: MetadataMatches = {
	papers: new Uint32Array(0),
	scores: new Float64Array(0),
	terms: []
};

/** The terms of MiniSearch's index: its completions of a prefix, its terms near a typo. */
interface MetadataVocabulary {
	get(term: string): Map<number, Map<number, number>> | undefined;
	atPrefix(prefix: string): Iterable<[string, unknown]>;
	fuzzyGet(term: string, maxDistance: number): Map<string, [unknown, number]>;
}

/**
 * MiniSearch's term index (the radix tree it searches, `_index`), which it does not expose: it
 * gives completions and near terms, so that per-term searches are reused. Null if a MiniSearch
 * version keeps it elsewhere; prefix and typo searches then go to MiniSearch whole.
 */
function metadataVocabulary(index: object): MetadataVocabulary | null {
	const tree = (index as { _index?: Partial<MetadataVocabulary> })._index;
	return tree &&
		typeof tree.get === 'function' &&
		typeof tree.atPrefix === 'function' &&
		typeof tree.fuzzyGet === 'function'
		? (tree as MetadataVocabulary)
		: null;
}

/** MiniSearch's numbers of its fields (`_fieldIds`, also private), which key its term index. */
function metadataFieldIds(index: object): Record<string, number> | null {
	const ids = (index as { _fieldIds?: unknown })._fieldIds;
	return ids && typeof ids === 'object' ? (ids as Record<string, number>) : null;
}

export class MetadataSearch {
	readonly #index: MiniSearch<PageDocument>;
	readonly #paperIndex: Map<string, number>;
	/** The metadata index's terms, for expanding prefixes and typos (null: not reachable). */
	readonly #vocabulary: MetadataVocabulary | null;
	readonly #fieldIds: Record<string, number> | null;
	readonly #frequencies = new Map<string, number>();
	/** Scratch for {@link #distinctDocuments}: the last count that saw each document. */
	#seen: Uint32Array;
	#seenStamp = 0;
	readonly #cache = new Map<string, MetadataMatches>();
	/** Papers held by the cached searches, which bounds the cache's memory. */
	#cachedPapers = 0;
	/** Scratch: per-paper sums of an expanded search, zero between searches. */
	readonly #sum: Float64Array;
	readonly #budget: WorkBudget;

	constructor(index: MiniSearch<PageDocument>, paperIds: string[], budget: WorkBudget) {
		this.#index = index;
		this.#budget = budget;
		this.#paperIndex = new Map(paperIds.map((id, p) => [id, p]));
		this.#vocabulary = metadataVocabulary(index);
		this.#fieldIds = metadataFieldIds(index);
		this.#sum = new Float64Array(paperIds.length);
		this.#seen = new Uint32Array(paperIds.length);
	}

	/** The papers whose metadata (one field, or any) holds `term` exactly. */
	exact(term: string, field: IndexedField | null): MetadataMatches {
		return this.search(term, field, false, 0);
	}

	/**
	 * How many papers' metadata (one field, or any) holds `term` exactly, read from MiniSearch's
	 * term index: unlike {@link exact} it builds no results and costs no budget, so compiling a
	 * query of very common words does not spend the budget its scoring needs.
	 */
	documentFrequency(term: string, field: IndexedField | null): number {
		if (field === 'body') return 0;
		const vocabulary = this.#vocabulary;
		const fieldIds = this.#fieldIds;
		if (!vocabulary || !fieldIds) return this.exact(term, field).papers.length;
		const key = `${field ?? ''}|${term}`;
		let count = this.#frequencies.get(key);
		if (count === undefined) {
			const byField = vocabulary.get(term);
			if (!byField) count = 0;
			else if (field !== null) count = byField.get(fieldIds[field])?.size ?? 0;
			else if (byField.size === 1) count = byField.values().next().value!.size;
			else count = this.#distinctDocuments(byField.values());
			if (this.#frequencies.size >= MAX_CACHED_FREQUENCIES) this.#frequencies.clear();
			this.#frequencies.set(key, count);
		}
		return count;
	}

	/** How many distinct documents some of MiniSearch's per-field posting maps hold together. */
	#distinctDocuments(fields: Iterable<Map<number, number>>): number {
		// A stamp per document rather than a Set: a word in every paper's abstract and title is
		// tens of thousands of entries on a big corpus.
		const stamp = ++this.#seenStamp;
		let count = 0;
		for (const documents of fields) {
			for (const doc of documents.keys()) {
				if (doc >= this.#seen.length) {
					const grown = new Uint32Array(Math.max(doc + 1, this.#seen.length * 2));
					grown.set(this.#seen);
					this.#seen = grown;
				}
				if (this.#seen[doc] !== stamp) {
					this.#seen[doc] = stamp;
					count++;
				}
			}
		}
		return count;
	}

	/** MiniSearch's search of the metadata for one term (one field, or all), prefix and typos as asked. */
	search(
		term: string,
		field: IndexedField | null,
		prefix: boolean,
		fuzzy: number
	): MetadataMatches {
		if (field === 'body') return NO_MATCHES;
		const key = `${field ?? ''}|${prefix ? 'p' : ''}${fuzzy}|${term}`;
		let matches = this.#cache.get(key);
		if (!matches) {
			// A prefix or typo search walks MiniSearch's terms; an exact one is a lookup. Past the
			// budget a term not searched yet is taken as absent (and not remembered so).
			const cost =
				prefix || fuzzy
					? WORK_COSTS.metadataSearch
					: WORK_COSTS.metadataSearch / 4 + this.#exactCount(term) * WORK_COSTS.metadataPaper;
			if (!this.#budget.spend(cost)) return NO_MATCHES;
			matches =
				(prefix || fuzzy) && this.#vocabulary
					? this.#expandedSearch(term, field, prefix, fuzzy, this.#vocabulary)
					: this.#miniSearch(term, field, prefix, fuzzy);
			if (this.#cache.size >= MAX_CACHED_SEARCHES || this.#cachedPapers > MAX_CACHED_PAPERS) {
				this.#cache.clear();
				this.#cachedPapers = 0;
			}
			this.#cache.set(key, matches);
			if (prefix || fuzzy) this.#budget.charge(matches.papers.length * WORK_COSTS.metadataPaper);
			this.#cachedPapers += matches.papers.length + 16;
		}
		return matches;
	}

	/** How many (paper, field) entries MiniSearch holds for `term`: what searching it costs. */
	#exactCount(term: string): number {
		let count = 0;
		for (const documents of this.#vocabulary?.get(term)?.values() ?? []) count += documents.size;
		return count;
	}

	/** One MiniSearch search of the metadata, made compact (its result objects would weigh on the heap). */
	#miniSearch(
		term: string,
		field: IndexedField | null,
		prefix: boolean,
		fuzzy: number
	): MetadataMatches {
		const results = this.#index.search(term, {
			fields: field ? [field] : undefined,
			prefix,
			fuzzy: fuzzy || false
		});
		const papers: number[] = [];
		const scores: number[] = [];
		const terms = new Set<string>();
		for (const result of results) {
			const p = this.#paperIndex.get(result.id as string);
			if (p === undefined) continue;
			papers.push(p);
			scores.push(result.score);
			for (const matched of result.terms) terms.add(matched);
		}
		return {
			papers: Uint32Array.from(papers),
			scores: Float64Array.from(scores),
			terms: [...terms]
		};
	}

	/**
	 * A prefix or typo search scored as MiniSearch scores it — each matched index term's exact
	 * score times its weight (MiniSearch's prefix and typo weights, by how much longer or how far
	 * it is), summed per paper — but from the cached exact searches of those terms: a common
	 * completion is searched once, not again by every prefix that leads to it. Unlike
	 * MiniSearch, only the {@link MAX_EXPANSIONS} most frequent completions count.
	 */
	#expandedSearch(
		term: string,
		field: IndexedField | null,
		prefix: boolean,
		fuzzy: number,
		vocabulary: MetadataVocabulary
	): MetadataMatches {
		const weights = new Map<string, number>([[term, 1]]);
		if (prefix) {
			// Like the body's, a prefix expands to its most frequent completions only: a short
			// prefix has hundreds, and the rare ones would cost more than they add.
			let completions: { term: string; count: number }[] = [];
			for (const [completion, fields] of vocabulary.atPrefix(term)) {
				if (completion.length === term.length) continue;
				let count = 0;
				for (const documents of (fields as Map<number, Map<number, number>>).values())
					count += documents.size;
				completions.push({ term: completion, count });
			}
			if (completions.length > MAX_EXPANSIONS)
				completions = completions.sort((a, b) => b.count - a.count).slice(0, MAX_EXPANSIONS);
			for (const { term: completion } of completions) {
				const longer = completion.length - term.length;
				weights.set(
					completion,
					(MATCH_WEIGHTS.prefix * completion.length) / (completion.length + 0.3 * longer)
				);
			}
		}
		if (fuzzy) {
			// MiniSearch counts a swap of two letters as two edits; here it is one typo, as in the
			// body: its distances are measured again, and the swaps it cannot reach are looked up.
			const near = new Map<string, number>();
			for (const [match] of vocabulary.fuzzyGet(term, fuzzy))
				near.set(match, boundedEditDistance(term, match, fuzzy));
			if (fuzzy === 1)
				for (const swapped of adjacentSwaps(term))
					if (vocabulary.get(swapped)) near.set(swapped, 1);
			for (const [match, distance] of near) {
				// A completion is scored as one, as MiniSearch does.
				if (distance === 0 || weights.has(match)) continue;
				weights.set(match, (MATCH_WEIGHTS.fuzzy1 * match.length) / (match.length + distance));
			}
		}
		const sum = this.#sum;
		const papers: number[] = [];
		const terms: string[] = [];
		for (const [matched, weight] of weights) {
			const exact = this.exact(matched, field);
			if (exact.papers.length) terms.push(matched);
			for (let i = 0; i < exact.papers.length; i++) {
				const p = exact.papers[i];
				if (sum[p] === 0) papers.push(p);
				sum[p] += weight * exact.scores[i];
			}
		}
		const scores = Float64Array.from(papers, (p) => sum[p]);
		for (const p of papers) sum[p] = 0;
		return { papers: Uint32Array.from(papers), scores, terms };
	}
}
