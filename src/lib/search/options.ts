/**
 * The one set of index options of Glassbox: which fields of a page document are indexed, how
 * their text becomes terms, and how much each field and each kind of match weighs. The ingest
 * (building) and the server (loading, querying) both import this module, so an index is always
 * read with the options it was written with; `INDEX_FORMAT_VERSION` guards that at load.
 */
import type { Options as MiniSearchOptions } from 'minisearch';
import type { PageDocument } from '../types.ts';
import { indexTerms } from '../text/normalise.ts';

/** Bumped whenever the stored format or the term pipeline changes meaning. */
export const INDEX_FORMAT_VERSION = 2;

export const INDEXED_FIELDS = [
	'title',
	'keywords',
	'topics',
	'authors',
	'abstract',
	'body'
] as const;
export type IndexedField = (typeof INDEXED_FIELDS)[number];

/** Title > keywords/topics > authors > abstract > body, per the ranking rules. */
export const FIELD_BOOSTS: Record<IndexedField, number> = {
	title: 6,
	keywords: 3.5,
	topics: 3,
	authors: 3,
	abstract: 2,
	body: 1
};

/**
 * BM25 parameters per field. Body text is scored once per paper over all its pages, so `b`
 * normalises by the paper's length: a 50-page paper does not win by length alone.
 */
export const BM25 = { k1: 1.2, b: 0.75 };

/** Weights of the kinds of match relative to the typed word, strictly decreasing. */
export const MATCH_WEIGHTS = {
	exact: 1,
	/** A compound written apart or together (`grad cam` ~ `gradcam`). */
	compound: 0.9,
	prefix: 0.35,
	synonym: 0.5,
	fuzzy1: 0.25,
	fuzzy2: 0.15
};

/** Most vocabulary terms a prefix or a fuzzy term expands to (the most frequent are kept). */
export const MAX_EXPANSIONS = 24;

/** Allowed edit distance for a typed term: none for 1–3 letters, 1 up to 7, then 2. */
export function fuzzyDistance(term: string): number {
	if (term.length <= 3) return 0;
	if (term.length <= 7) return 1;
	return 2;
}

/** Shortest typed term that is also matched as a prefix. */
export const MIN_PREFIX_LENGTH = 3;

/** The text of one field of a page document. */
export function fieldText(doc: PageDocument, field: IndexedField): string {
	return doc[field] ?? '';
}

/**
 * The same fields and term pipeline expressed as MiniSearch options, for tools that want a
 * MiniSearch view of the corpus (the relevance bench compares against it).
 */
export const miniSearchOptions: MiniSearchOptions<PageDocument> = {
	fields: [...INDEXED_FIELDS],
	storeFields: ['paperId', 'page'],
	tokenize: (text) => indexTerms(text),
	processTerm: (term) => term,
	searchOptions: { boost: { ...FIELD_BOOSTS }, prefix: true, fuzzy: 0.2 }
};
