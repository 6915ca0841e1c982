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

/**
 * What MiniSearch scores an exact term with, from its private fields as above: its documents'
 * short ids and field lengths, and its search options. Null if a MiniSearch version keeps them
 * elsewhere, or documents were removed (its scores then count them differently).
 */
interface MetadataScoring {
	documentIds: Map<number, unknown>;
	documentCount: number;
	fieldLength: Map<number, number[]>;
	averageFieldLength: number[];
	/** The fields in MiniSearch's order, which is the order it sums a term's field scores in. */
	fields: string[];
	boost: Record<string, number | undefined>;
	bm25: { k: number; b: number; d: number };
}

function metadataScoring(index: object): MetadataScoring | null {
	const inside = index as {
		_documentIds?: unknown;
		_documentCount?: unknown;
		_fieldLength?: unknown;
		_avgFieldLength?: unknown;
		_dirtCount?: unknown;
		_options?: { fields?: unknown; searchOptions?: { boost?: unknown; bm25?: unknown } };
	};
	const { boost, bm25 } = inside._options?.searchOptions ?? {};
	const fields = inside._options?.fields;
	if (
		!(inside._documentIds instanceof Map) ||
		typeof inside._documentCount !== 'number' ||
		!(inside._fieldLength instanceof Map) ||
		!Array.isArray(inside._avgFieldLength) ||
		inside._dirtCount !== 0 ||
		!Array.isArray(fields) ||
		!bm25 ||
		typeof bm25 !== 'object'
	)
		return null;
	return {
		documentIds: inside._documentIds as Map<number, unknown>,
		documentCount: inside._documentCount,
		fieldLength: inside._fieldLength as Map<number, number[]>,
		averageFieldLength: inside._avgFieldLength as number[],
		fields: fields as string[],
		boost: (boost ?? {}) as Record<string, number | undefined>,
		bm25: bm25 as MetadataScoring['bm25']
	};
}

/**
 * MiniSearch's score of a document for a term in one field: its BM25+ (calcBM25Score) times the
 * field's boost, operation for operation, so that sums of them equal its own to the last bit.
 */
function fieldScore(
	scoring: MetadataScoring,
	field: string,
	fieldId: number,
	matching: number,
	doc: number,
	termFrequency: number
): number {
	const { documentCount, fieldLength, averageFieldLength, bm25 } = scoring;
	const inverseFrequency = Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5));
	const length = fieldLength.get(doc)![fieldId];
	const raw =
		inverseFrequency *
		(bm25.d +
			(termFrequency * (bm25.k + 1)) /
				(termFrequency + bm25.k * (1 - bm25.b + (bm25.b * length) / averageFieldLength[fieldId])));
	return (scoring.boost[field] || 1) * raw;
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
	/** What MiniSearch scores with, for {@link addExactScores} (null: not reachable). */
	readonly #scoring: MetadataScoring | null;
	/** Paper index of each of MiniSearch's short document ids (-1: none), and the reverse. */
	readonly #paperOfDocument: Int32Array;
	readonly #documentOfPaper: Int32Array;
	readonly #frequencies = new Map<string, number>();
	/** Scratch for {@link #distinctDocuments}: the last count that saw each document. */
	#seen: Uint32Array;
	#seenStamp = 0;
	/** Scratch for {@link papersHoldingAll}: the last search that saw each paper. */
	readonly #paperSeen: Uint32Array;
	#paperStamp = 0;
	readonly #cache = new Map<string, MetadataMatches>();
	/** Papers held by the cached searches, which bounds the cache's memory. */
	#cachedPapers = 0;
	/** Scratch: per-paper sums of an expanded search, zero between searches. */
	readonly #sum: Float64Array;
	/** Scratch: per-paper sums of an exact search (one runs inside an expanded search). */
	readonly #exactSum: Float64Array;
	readonly #budget: WorkBudget;

	constructor(index: MiniSearch<PageDocument>, paperIds: string[], budget: WorkBudget) {
		this.#index = index;
		this.#budget = budget;
		this.#paperIndex = new Map(paperIds.map((id, p) => [id, p]));
		this.#vocabulary = metadataVocabulary(index);
		this.#fieldIds = metadataFieldIds(index);
		this.#scoring = metadataScoring(index);
		this.#documentOfPaper = new Int32Array(paperIds.length).fill(-1);
		let lastDocument = -1;
		for (const shortId of this.#scoring?.documentIds.keys() ?? []) {
			lastDocument = Math.max(lastDocument, shortId);
		}
		this.#paperOfDocument = new Int32Array(lastDocument + 1).fill(-1);
		for (const [shortId, id] of this.#scoring?.documentIds ?? []) {
			const p = this.#paperIndex.get(id as string);
			if (p === undefined) continue;
			this.#paperOfDocument[shortId] = p;
			this.#documentOfPaper[p] = shortId;
		}
		this.#sum = new Float64Array(paperIds.length);
		this.#exactSum = new Float64Array(paperIds.length);
		this.#seen = new Uint32Array(paperIds.length);
		this.#paperSeen = new Uint32Array(paperIds.length);
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

	/**
	 * The papers whose metadata (one field, or any) holds every one of `terms` exactly, as
	 * {@link exact} would find them, but read from MiniSearch's term index: no search is run and
	 * nothing is scored (a phrase's candidates need only be known).
	 */
	papersHoldingAll(terms: string[], field: IndexedField | null): number[] {
		const vocabulary = this.#vocabulary;
		const fieldIds = this.#fieldIds;
		if (field === 'body' || terms.length === 0) return [];
		if (!vocabulary || !fieldIds || !this.#scoring)
			return this.#papersHoldingAllFound(terms, field);
		const byTerm: Map<number, Map<number, number>>[] = [];
		for (const term of terms) {
			const byField = vocabulary.get(term);
			if (!byField) return [];
			byTerm.push(byField);
		}
		const fieldId = field === null ? -1 : fieldIds[field];
		const holds = (byField: Map<number, Map<number, number>>, doc: number): boolean => {
			if (fieldId >= 0) return byField.get(fieldId)?.has(doc) ?? false;
			for (const documents of byField.values()) if (documents.has(doc)) return true;
			return false;
		};
		// The rarest term's documents are the candidates; the others are looked up in them.
		let rarest = 0;
		for (let t = 1; t < terms.length; t++) {
			if (this.documentFrequency(terms[t], field) < this.documentFrequency(terms[rarest], field))
				rarest = t;
		}
		const stamp = ++this.#paperStamp;
		const papers: number[] = [];
		const lead = fieldId >= 0 ? [byTerm[rarest].get(fieldId)] : byTerm[rarest].values();
		for (const documents of lead) {
			for (const doc of documents?.keys() ?? []) {
				const p = doc < this.#paperOfDocument.length ? this.#paperOfDocument[doc] : -1;
				if (p < 0 || this.#paperSeen[p] === stamp) continue;
				this.#paperSeen[p] = stamp;
				if (byTerm.every((byField, t) => t === rarest || holds(byField, doc))) papers.push(p);
			}
		}
		return papers;
	}

	/** {@link papersHoldingAll} from MiniSearch's searches, when its term index is not reachable. */
	#papersHoldingAllFound(terms: string[], field: IndexedField | null): number[] {
		const counts = new Map<number, number>();
		terms.forEach((term, index) => {
			for (const p of this.exact(term, field).papers) {
				if ((counts.get(p) ?? 0) === index) counts.set(p, index + 1);
			}
		});
		return [...counts].filter(([, count]) => count === terms.length).map(([p]) => p);
	}

	/**
	 * Adds to `out`, for each paper of `papers`, the score MiniSearch's exact search of `term`
	 * (one field, or all) gives it, computed as MiniSearch computes it (BM25 per field with the
	 * field boosts, summed in field order) but for these papers only: a phrase's few papers, out
	 * of the thousands a common word is in. Calls `matched` for each paper it scores. False (and
	 * nothing added) when MiniSearch's figures are not reachable: search with {@link exact} then.
	 */
	addExactScores(
		term: string,
		field: IndexedField | null,
		papers: Iterable<number>,
		out: Float64Array,
		matched: (p: number) => void
	): boolean {
		const scoring = this.#scoring;
		const fieldIds = this.#fieldIds;
		if (!scoring || !fieldIds || !this.#vocabulary) return false;
		if (field === 'body') return true;
		const byField = this.#vocabulary.get(term);
		if (!byField) return true;
		const fields = field === null ? scoring.fields : [field];
		for (const p of papers) {
			const doc = this.#documentOfPaper[p];
			if (doc < 0) continue;
			let score = 0;
			let found = false;
			for (const name of fields) {
				const fieldId = fieldIds[name];
				const documents = byField.get(fieldId);
				const termFrequency = documents?.get(doc);
				if (documents === undefined || termFrequency === undefined) continue;
				score += fieldScore(scoring, name, fieldId, documents.size, doc, termFrequency);
				found = true;
			}
			if (!found) continue;
			out[p] += score;
			matched(p);
		}
		return true;
	}

	/**
	 * MiniSearch's exact search of one term (one field, or all), computed from its term index as
	 * it computes it (the same scores, and the papers in the same order: by score, ties in the
	 * order it meets them) without the result objects it builds and sorts. Null when its figures
	 * are not reachable.
	 */
	#exactFromIndex(term: string, field: IndexedField | null): MetadataMatches | null {
		const scoring = this.#scoring;
		const fieldIds = this.#fieldIds;
		if (!scoring || !fieldIds || !this.#vocabulary) return null;
		const byField = this.#vocabulary.get(term);
		if (!byField) return NO_MATCHES;
		const sum = this.#exactSum;
		const stamp = ++this.#paperStamp;
		const met: number[] = [];
		for (const name of field === null ? scoring.fields : [field]) {
			const fieldId = fieldIds[name];
			const documents = byField.get(fieldId);
			if (!documents) continue;
			for (const [doc, termFrequency] of documents) {
				const p = doc < this.#paperOfDocument.length ? this.#paperOfDocument[doc] : -1;
				if (p < 0) continue;
				if (this.#paperSeen[p] !== stamp) {
					this.#paperSeen[p] = stamp;
					sum[p] = 0;
					met.push(p);
				}
				sum[p] += fieldScore(scoring, name, fieldId, documents.size, doc, termFrequency);
			}
		}
		// Array sorts are stable: ties keep the order met, as in MiniSearch's sort of its results.
		met.sort((a, b) => sum[b] - sum[a]);
		return {
			papers: Uint32Array.from(met),
			scores: Float64Array.from(met, (p) => sum[p]),
			terms: met.length ? [term] : []
		};
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
			const found =
				prefix || fuzzy
					? this.#vocabulary && this.#expandedSearch(term, field, prefix, fuzzy, this.#vocabulary)
					: this.#exactFromIndex(term, field);
			matches = found || this.#miniSearch(term, field, prefix, fuzzy);
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
