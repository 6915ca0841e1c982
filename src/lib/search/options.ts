/**
 * The one set of index options of Glassbox: which fields of a page document are indexed, how
 * their text becomes terms, and how much each field and each kind of match weighs. The ingest
 * (building) and the server (loading, querying) both import this module, so an index is always
 * read with the options it was written with; `INDEX_FORMAT_VERSION` guards that at load.
 *
 * The index is a hybrid: a paper's metadata (page 0) lives in a MiniSearch index built and
 * loaded with {@link miniSearchOptions}; the PDF pages' body text lives in compact page-level
 * postings (index-data.ts), because 60 million words of body text as MiniSearch JSON load too
 * slowly and take too much heap. Each field is indexed in exactly one of the two.
 */
import type { Options as MiniSearchOptions } from 'minisearch';
import type { PageDocument } from '../types.ts';
import { indexTerms } from '../text/normalise.ts';

/** Bumped whenever the stored format or the term pipeline changes meaning. */
export const INDEX_FORMAT_VERSION = 8;

export const INDEXED_FIELDS = [
	'title',
	'keywords',
	'topics',
	'authors',
	'abstract',
	'body'
] as const;
export type IndexedField = (typeof INDEXED_FIELDS)[number];

/** The fields MiniSearch indexes (page 0 of each paper); `body` is in the compact postings. */
const METADATA_FIELDS = ['title', 'keywords', 'topics', 'authors', 'abstract'] as const;
type MetadataField = (typeof METADATA_FIELDS)[number];

export function isMetadataField(field: IndexedField | null): field is MetadataField {
	return field !== null && field !== 'body';
}

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

/** Most vocabulary terms a prefix (body and metadata) or a fuzzy term (body) expands to; the most frequent are kept. */
export const MAX_EXPANSIONS = 24;

/** Allowed edit distance for a typed term: none for 1–3 letters, 1 up to 7, then 2. */
export function fuzzyDistance(term: string): number {
	if (term.length <= 3) return 0;
	if (term.length <= 7) return 1;
	return 2;
}

/** Shortest typed term that is also matched as a prefix. */
export const MIN_PREFIX_LENGTH = 3;

/**
 * MiniSearch options of the metadata index, used to build it (ingest), to load it
 * (`MiniSearch.loadJSON(json, miniSearchOptions)` on the server) and to query it. One document
 * per paper, identified by its paper id. The engine decides per typed word whether to allow
 * prefix and typo matches (see compile.ts) and passes them with each search.
 */
export const miniSearchOptions: MiniSearchOptions<PageDocument> = {
	idField: 'paperId',
	fields: [...METADATA_FIELDS],
	tokenize: (text) => indexTerms(text),
	processTerm: (term) => term,
	searchOptions: {
		boost: Object.fromEntries(METADATA_FIELDS.map((field) => [field, FIELD_BOOSTS[field]])),
		bm25: { k: BM25.k1, b: BM25.b, d: 0.5 },
		weights: { prefix: MATCH_WEIGHTS.prefix, fuzzy: MATCH_WEIGHTS.fuzzy1 },
		prefix: false,
		fuzzy: false,
		maxFuzzy: 2,
		combineWith: 'OR',
		// Queries reach MiniSearch as index terms already folded and stemmed by the engine's query
		// pipeline (query.ts, termsOfToken); processing them again would stem twice.
		tokenize: (query) => query.split(' ').filter(Boolean),
		processTerm: (term) => term
	}
};
