/**
 * The Glassbox search engine: query → ranked papers with snippets and facet counts.
 *
 * Scoring is BM25 per field with field boosts (title > keywords/topics > authors > abstract >
 * body), computed per paper. Metadata fields are scored by MiniSearch (one search per typed
 * word, with the word's field restriction, prefix and typo allowance); body text by the compact
 * page postings, summed over pages and normalised by the paper's length, so long papers do not
 * win by length. Each typed word expands to its exact term, a compound written apart or
 * together, prefix completions and typo corrections at decreasing weights; papers matching more
 * of the typed words always rank first.
 */
import { Buffer } from 'node:buffer';
import type {
	Catalog,
	FacetCounts,
	PageDocument,
	Paper,
	SearchHit,
	SearchParams,
	SearchResponse,
	Snippet
} from '../types.ts';
import {
	foldWhole,
	indexTerms,
	positionalTerm,
	stem,
	termsOfToken,
	tokenize
} from '../text/normalise.ts';
import { MAX_POSITION, WORD_CHECKPOINT, buildIndexData, type IndexData } from './index-data.ts';
import {
	BM25,
	FIELD_BOOSTS,
	INDEXED_FIELDS,
	MATCH_WEIGHTS,
	MAX_EXPANSIONS,
	MIN_PREFIX_LENGTH,
	fuzzyDistance,
	isMetadataField,
	type IndexedField
} from './options.ts';
import {
	parseQuery,
	type Clause,
	type ParsedQuery,
	type PhraseClause,
	type TermClause
} from './query.ts';
import { boundedEditDistance } from './edit-distance.ts';
import { canServePdf } from '../pdf-access.ts';
import {
	buildSnippets,
	inflectedForms,
	phraseMatcher,
	phraseOccursIn,
	wordsOfPhrase,
	type Highlight,
	type Phrase
} from './snippets.ts';
import {
	PAIR_FILTER_WORDS,
	PageKind,
	bytePhrase,
	bytesHavePhrase,
	capitalsKind,
	mayHavePairBits,
	pageKind,
	pairBits,
	phraseAt,
	skipWords,
	type BytePhrase
} from './phrase-filter.ts';

const BODY_BOOST = FIELD_BOOSTS.body;
/** Most cached metadata lookups of single terms (the metadata index never changes once loaded). */
const MAX_CACHED_LOOKUPS = 20_000;
const PAPER_TYPES = ['oral', 'poster', 'keynote', 'invited'];
/** Most pages a phrase is checked on in one query: a bound on the worst case (later papers are not matched). */
const MAX_PHRASE_PAGES = 20_000;
/** Most papers held by all cached metadata searches together (12 bytes each). */
const MAX_CACHED_METADATA_PAPERS = 4_000_000;
/** Score arrays kept for reuse between queries. */
const MAX_POOLED_SCORES = 32;

/** One body term a typed word expands to, with the weight of that kind of match. */
interface Variant {
	termId: number;
	weight: number;
}

/** MiniSearch's answer to one search of the metadata, compact: papers, scores, terms matched. */
interface MetadataMatches {
	/** Paper indexes, with their scores in `scores`. */
	papers: Uint32Array;
	scores: Float64Array;
	/** Every index term the search matched, in any paper. */
	terms: string[];
}

const NO_METADATA_MATCHES: MetadataMatches = {
	papers: new Uint32Array(0),
	scores: new Float64Array(0),
	terms: []
};

/** The terms of MiniSearch's index: its completions of a prefix, its terms near a typo. */
interface MetadataVocabulary {
	atPrefix(prefix: string): Iterable<[string, unknown]>;
	fuzzyGet(term: string, maxDistance: number): Map<string, [unknown, number]>;
}

/**
 * MiniSearch's term index (the radix tree it searches, `_index`), which it does not expose: the
 * engine reads completions and near terms from it to reuse per-term searches. Null if a
 * MiniSearch version keeps it elsewhere; prefix and typo searches then go to MiniSearch whole.
 */
function metadataVocabulary(index: object): MetadataVocabulary | null {
	const tree = (index as { _index?: Partial<MetadataVocabulary> })._index;
	return tree && typeof tree.atPrefix === 'function' && typeof tree.fuzzyGet === 'function'
		? (tree as MetadataVocabulary)
		: null;
}

/** One MiniSearch search of the metadata for a typed term, and the index terms it matched. */
interface MetadataQuery {
	term: string;
	prefix: boolean;
	/** Edit distance allowed (0: none). */
	fuzzy: number;
	matched: Map<string, number>;
}

/** How a part of the query scores papers; evaluated to one score per paper (0 = no match). */
type ScoreNode =
	| {
			kind: 'terms';
			/** Body terms (compact postings); the best weighted one counts. */
			variants: Variant[];
			field: IndexedField | null;
			/** The metadata search, absent when the word is restricted to the body. */
			metadata: MetadataQuery | null;
	  }
	| { kind: 'all'; children: ScoreNode[] }
	| { kind: 'best'; children: { node: ScoreNode; weight: number }[] }
	| { kind: 'any'; children: ScoreNode[] }
	| {
			kind: 'phrase';
			phrase: Phrase;
			field: IndexedField | null;
			/** The phrase's distinct index terms (none when it is made of stop words only). */
			terms: string[];
			/** The distinct terms any text holding the phrase has (see {@link phraseWordTerms}). */
			wordTerms: string[];
			/**
			 * The terms a page holding the phrase has at the phrase's word positions, with body
			 * term ids; null when one of them is in no PDF page.
			 */
			positional: PositionalTerm[] | null;
			/**
			 * Whether word positions settle the phrase without its text: every word of it has a
			 * positional term that is always written as itself (see `termAsWritten`).
			 */
			settledByPositions: boolean;
			/** A word of the phrase is in no document: it cannot occur anywhere. */
			impossible: boolean;
			/** Papers found to hold the phrase. */
			papers: Set<number>;
			/** The pair filter bits of its words (none for an inflected phrase: the filter knows exact words). */
			pairBits: Uint32Array;
			/** Marks the documents checked for this phrase in this query (see #phraseOnPage). */
			stamp: number;
			/** The phrase prepared to check ASCII pages without decoding (null: not possible). */
			bytes: BytePhrase | null;
	  };

/** A term a page holding a phrase has `offset` words after the phrase's start. */
interface PositionalTerm {
	term: string;
	/** Its body term id. */
	id: number;
	offset: number;
}

/**
 * The index terms a text holding the phrase has at the phrase's words, by word (offset from the
 * phrase's start): what lets a phrase be checked on word positions before its text is read.
 * Stop words and single letters leave no such term. An inflected word (`map` ~ `maps`) has the
 * terms of its forms, usually one.
 */
function phraseWordTerms(
	words: string[],
	inflected: boolean
): { terms: string[]; offset: number }[] {
	const found: { terms: string[]; offset: number }[] = [];
	words.forEach((word, offset) => {
		const forms = inflected ? inflectedForms(word) : [word];
		const terms = forms.map(positionalTerm);
		if (terms.every((term) => term !== null)) found.push({ terms: [...new Set(terms)], offset });
	});
	return found;
}

type PhraseNode = Extract<ScoreNode, { kind: 'phrase' }>;

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
	/** Scratch for {@link SearchEngine.#positionsLineUp}: how far each term's positions are read. */
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

interface CompiledClause {
	node: ScoreNode;
	/** How many typed words the clause stands for. */
	width: number;
}

interface SynonymPhrase {
	text: string;
	/** Folded tokens, stop words included. */
	tokens: string[];
	/** Index terms of each token joined, for matching typed words written either way. */
	key: string;
	terms: string[];
	group: number;
}

export class SearchEngine {
	readonly #data: IndexData;
	readonly #catalog: Catalog;
	readonly #papers: (Paper | undefined)[];
	/** Position in the catalog (newest edition first), the order of browsing. */
	readonly #catalogRank: Uint32Array;
	readonly #paperIndex: Map<string, number>;
	readonly #averageBodyLength: number;
	/** Papers whose metadata holds a term exactly, per `field|term` (MiniSearch results). */
	readonly #metadataSearches = new Map<string, MetadataMatches>();
	/** The metadata index's terms, for expanding prefixes and typos (null: not reachable). */
	readonly #metadataTerms: MetadataVocabulary | null;
	/** Papers held by the cached metadata searches, which bounds the cache's memory. */
	#metadataCached = 0;
	readonly #fuzzyCache = new Map<string, { id: number; distance: number }[]>();
	readonly #termsByLength: number[][] = [];
	readonly #synonyms: SynonymPhrase[] = [];
	readonly #decoder = new TextDecoder();
	// Scratch space reused by every query (a search runs synchronously, so it is never shared).
	readonly #stamp: Uint32Array;
	readonly #bodyTf: Float64Array;
	/** The {@link PageKind} of each page, learnt as phrases are checked. */
	readonly #pageKinds: Uint8Array;
	/** Which phrase check each page last had (a phrase node's stamp), and whether it held. */
	readonly #checkStamp: Uint32Array;
	readonly #checkHolds: Uint8Array;
	#phraseStamp = 0;
	/**
	 * Where the word positions of postings `64k..` start in `postingPositions`, so that any
	 * posting's positions are found by summing at most 63 term frequencies.
	 */
	readonly #positionCheckpoints: Float64Array;
	/** The page texts as a Buffer (a view, not a copy), for native substring search. */
	readonly #pageBytes: Buffer;
	readonly #matchedWidth: Uint16Array;
	readonly #candidate: Uint8Array;
	/** Scratch: how many of a phrase's terms each paper's metadata holds. */
	readonly #paperMark: Uint8Array;
	readonly #freeScores: Float64Array[] = [];
	/** Papers' metadata texts folded for phrase checks, filled as phrases are checked. */
	readonly #foldedMetadataTexts: (Record<IndexedField | 'all', string[]> | undefined)[] = [];
	#stampValue = 0;

	constructor(data: IndexData, catalog: Catalog) {
		this.#data = data;
		this.#catalog = catalog;
		const byId = new Map(catalog.papers.map((paper, rank) => [paper.id, { paper, rank }]));
		this.#papers = data.paperIds.map((id) => byId.get(id)?.paper);
		this.#catalogRank = Uint32Array.from(data.paperIds, (id) => byId.get(id)?.rank ?? 1e9);
		this.#paperIndex = new Map(data.paperIds.map((id, p) => [id, p]));
		const paperCount = data.paperIds.length;
		let bodyLength = 0;
		for (let p = 0; p < paperCount; p++) bodyLength += data.paperBodyLength[p];
		this.#averageBodyLength = paperCount ? Math.max(1, bodyLength / paperCount) : 1;
		data.vocabulary.forEach((term, id) => (this.#termsByLength[term.length] ??= []).push(id));
		catalog.taxonomy.synonyms.forEach((group, index) => {
			for (const text of group) {
				const tokens = tokenize(text).map((token) => token.text);
				const key = tokens.map((token) => termsOfToken(token)[0] ?? '').join('');
				this.#synonyms.push({ text, tokens, key, terms: indexTerms(text), group: index });
			}
		});
		this.#metadataTerms = metadataVocabulary(data.metadata);
		this.#stamp = new Uint32Array(paperCount);
		this.#bodyTf = new Float64Array(paperCount);
		this.#pageKinds = new Uint8Array(data.docPaper.length);
		this.#checkStamp = new Uint32Array(data.docPaper.length);
		this.#checkHolds = new Uint8Array(data.docPaper.length);
		this.#pageBytes = Buffer.from(
			data.pageText.buffer,
			data.pageText.byteOffset,
			data.pageText.byteLength
		);
		this.#positionCheckpoints = positionCheckpoints(data.postingTf);
		this.#matchedWidth = new Uint16Array(paperCount);
		this.#candidate = new Uint8Array(paperCount);
		this.#paperMark = new Uint8Array(paperCount);
	}

	/** Loads the index written by the ingest in `dir` (see search-storage.ts). */
	static async load(dir: string, catalog: Catalog): Promise<SearchEngine> {
		const { loadSearchEngine } = await import('../server/search-storage.ts');
		return loadSearchEngine(dir, catalog);
	}

	/** Builds an engine in memory, without files (tests, benches). */
	static fromDocuments(docs: PageDocument[], catalog: Catalog): SearchEngine {
		return new SearchEngine(buildIndexData(docs), catalog);
	}

	get paperCount(): number {
		return this.#data.paperIds.length;
	}

	/** Runs a search; never throws on any query text. */
	search(params: SearchParams): SearchResponse {
		const parsed = parseQuery(params.q);
		const expansions: string[] = [];
		const clauses = this.#compile(parsed, expansions);
		const paperCount = this.paperCount;
		const score = this.#take();
		const matchedWidth = this.#matchedWidth.fill(0);
		const candidate = this.#candidate.fill(0);
		// Words that match nothing in the index give no results; only an empty query browses.
		const browsing = parsed.clauses.length === 0;

		if (browsing) candidate.fill(1);
		const hardPhrase: Float64Array[] = [];
		for (const clause of clauses) {
			const scores = this.#evaluate(clause.node);
			if (clause.node.kind === 'phrase') hardPhrase.push(scores);
			for (let p = 0; p < paperCount; p++) {
				if (scores[p] > 0) {
					score[p] += scores[p];
					matchedWidth[p] += clause.width;
					candidate[p] = 1;
				}
			}
			if (clause.node.kind !== 'phrase') this.#give(scores);
		}
		// A quoted phrase is a requirement, not a preference.
		for (const scores of hardPhrase) {
			for (let p = 0; p < paperCount; p++) if (scores[p] === 0) candidate[p] = 0;
		}
		this.#give(...hardPhrase);
		for (const excluded of parsed.excluded) {
			const node = this.#compileText(excluded, true);
			if (!node) continue;
			const scores = this.#evaluate(node);
			for (let p = 0; p < paperCount; p++) if (scores[p] > 0) candidate[p] = 0;
			this.#give(scores);
		}
		for (let p = 0; p < paperCount; p++) {
			const paper = this.#papers[p];
			if (!paper || (candidate[p] && !this.#passesQueryFilters(paper, parsed))) candidate[p] = 0;
		}

		const facets = this.#facetCounts(candidate, params);
		const results: number[] = [];
		for (let p = 0; p < paperCount; p++) {
			if (candidate[p] && this.#passesFacets(this.#papers[p]!, params, null)) results.push(p);
		}
		const byRelevance = (a: number, b: number) =>
			matchedWidth[b] - matchedWidth[a] ||
			score[b] - score[a] ||
			this.#catalogRank[a] - this.#catalogRank[b];
		const order =
			params.sort === 'year'
				? (a: number, b: number) =>
						this.#papers[b]!.year - this.#papers[a]!.year || byRelevance(a, b)
				: byRelevance;
		// Only the papers up to the end of the requested page need ordering.
		const page = firstInOrder(results, params.offset + params.limit, order).slice(params.offset);
		const highlight = this.#highlight(clauses);
		const hits = page.map((p) => this.#hit(p, score[p], clauses, highlight));
		this.#give(score);
		return {
			query: params.q,
			total: results.length,
			hits,
			facets,
			sort: params.sort,
			suggestion: this.#suggest(params.q, parsed),
			expansions
		};
	}

	// ------------------------------------------------------------ compiling the query

	#compile(parsed: ParsedQuery, expansions: string[]): CompiledClause[] {
		const compiled: CompiledClause[] = [];
		const lastTermIndex = parsed.clauses.findLastIndex((clause) => clause.kind === 'term');
		for (let i = 0; i < parsed.clauses.length; i++) {
			const clause = parsed.clauses[i];
			const synonym = this.#synonymSpan(parsed.clauses, i);
			if (synonym) {
				const own = parsed.clauses
					.slice(i, i + synonym.width)
					.map((part) =>
						this.#compileText(part as TermClause, false, i + synonym.width - 1 === lastTermIndex)
					)
					.filter((node): node is ScoreNode => node !== null);
				const children: { node: ScoreNode; weight: number }[] = [];
				if (own.length) children.push({ node: { kind: 'all', children: own }, weight: 1 });
				const joined = synonym.width === 2 ? this.#joinedPair(parsed.clauses, i) : null;
				if (joined !== null) children.push({ node: joined, weight: MATCH_WEIGHTS.compound });
				for (const other of synonym.others) {
					const node = this.#synonymNode(other);
					if (node) {
						children.push({ node, weight: MATCH_WEIGHTS.synonym });
						if (!expansions.includes(other.text)) expansions.push(other.text);
					}
				}
				if (children.length)
					compiled.push({ node: { kind: 'best', children }, width: synonym.width });
				i += synonym.width - 1;
				continue;
			}
			const joined = this.#joinedPair(parsed.clauses, i);
			if (joined) {
				const own = [clause, parsed.clauses[i + 1]]
					.map((part) => this.#compileText(part as TermClause, false, i + 1 === lastTermIndex))
					.filter((node): node is ScoreNode => node !== null);
				// `grad cam` typed apart also finds `GradCAM` written together.
				const children = [{ node: joined, weight: MATCH_WEIGHTS.compound }];
				if (own.length === 2) children.push({ node: { kind: 'all', children: own }, weight: 1 });
				compiled.push({ node: { kind: 'best', children }, width: 2 });
				i += 1;
				continue;
			}
			const node =
				clause.kind === 'or'
					? this.#compileOr(clause.children)
					: this.#compileText(clause, false, i === lastTermIndex);
			if (node) compiled.push({ node, width: 1 });
		}
		return compiled;
	}

	/**
	 * What a synonym of the typed words matches. One of several words (`class activation map`,
	 * `case-based`) counts only where they occur together as a phrase, plural endings allowed; a
	 * compound also where it is written as one word (`GradCAM`). Null when it occurs nowhere.
	 */
	#synonymNode(synonym: SynonymPhrase): ScoreNode | null {
		if (wordsOfPhrase(synonym.tokens).length < 2) return this.#exactAll(synonym.terms);
		const children: { node: ScoreNode; weight: number }[] = [];
		const phrase = this.#phraseNode({ tokens: synonym.tokens, inflected: true }, null);
		if (phrase?.kind === 'phrase' && !phrase.impossible) children.push({ node: phrase, weight: 1 });
		const joined = synonym.tokens.length === 1 ? this.#exactAll(synonym.terms.slice(0, 1)) : null;
		if (joined) children.push({ node: joined, weight: 1 });
		if (children.length < 2) return children[0]?.node ?? null;
		return { kind: 'best', children };
	}

	#compileOr(children: (TermClause | PhraseClause)[]): ScoreNode | null {
		const nodes = children
			.map((child) => this.#compileText(child, false, false))
			.filter((node): node is ScoreNode => node !== null);
		if (nodes.length === 0) return null;
		return nodes.length === 1 ? nodes[0] : { kind: 'any', children: nodes };
	}

	/** A typed word or phrase as a score node; `exactOnly` for exclusions (no guessing there). */
	#compileText(
		clause: TermClause | PhraseClause,
		exactOnly: boolean,
		isLast = false
	): ScoreNode | null {
		const field = clause.field;
		if (clause.kind === 'phrase') {
			return this.#phraseNode({ tokens: clause.tokens, inflected: false }, field);
		}
		const terms = termsOfToken(clause.token);
		if (terms.length === 0) return null;
		const [primary, ...parts] = terms;
		const alternatives: { node: ScoreNode; weight: number }[] = [];
		const node = this.#termNode(primary, field, exactOnly, isLast);
		if (node) alternatives.push({ node, weight: 1 });
		// `grad-cam` also matches `grad … cam` written apart; `gradcam` also `grad cam`.
		const split = parts.length > 1 ? parts : exactOnly ? [] : this.#splitCompound(primary);
		if (split.length > 1) {
			const node = this.#exactAll(split, field);
			if (node) alternatives.push({ node, weight: MATCH_WEIGHTS.compound });
		}
		if (alternatives.length === 0) return null;
		return alternatives.length === 1 && alternatives[0].weight === 1
			? alternatives[0].node
			: { kind: 'best', children: alternatives };
	}

	/** A phrase, typed or a synonym; null when it has no words. */
	#phraseNode(phrase: Phrase, field: IndexedField | null): ScoreNode | null {
		const words = wordsOfPhrase(phrase.tokens);
		if (words.length === 0) return null;
		const terms = [...new Set(phrase.tokens.flatMap((token) => termsOfToken(token)))];
		const wordTerms = phraseWordTerms(words, phrase.inflected);
		// A word whose forms have several terms is left to the text check.
		const positional = wordTerms
			.filter((word) => word.terms.length === 1)
			.map(({ terms: [term], offset }) => ({ term, offset, id: this.#termId(term) }));
		return {
			kind: 'phrase',
			phrase,
			field,
			terms,
			wordTerms: [...new Set(positional.map(({ term }) => term))],
			positional: positional.every(({ id }) => id >= 0) ? positional : null,
			settledByPositions:
				!phrase.inflected &&
				positional.length === words.length &&
				positional.every(
					({ term, id, offset }) =>
						id >= 0 && this.#data.termAsWritten[id] === 1 && term === words[offset]
				),
			// A phrase with a word the index has never seen cannot occur anywhere. (Not every term:
			// `grad-cam` has the term `gradcam`, which a text writing `grad cam` lacks.)
			impossible: !wordTerms.every((word) =>
				word.terms.some((term) => this.#frequency(term, field) > 0)
			),
			papers: new Set(),
			stamp: 0,
			pairBits: pairBits(phrase.inflected ? [] : words),
			bytes: phrase.inflected ? null : bytePhrase(words)
		};
	}

	/** All of some terms, exactly (a compound's parts). */
	#exactAll(terms: string[], field: IndexedField | null = null): ScoreNode | null {
		const children: ScoreNode[] = [];
		for (const term of terms) {
			const node = this.#termNode(term, field, true, false);
			if (!node) return null;
			children.push(node);
		}
		return children.length === 1 ? children[0] : { kind: 'all', children };
	}

	/**
	 * What a typed term matches: itself, then prefix completions, then typo corrections, in the
	 * body postings (expanded here) and in the metadata (expanded by MiniSearch with the same
	 * rules). Null when it can match nothing.
	 */
	#termNode(
		term: string,
		field: IndexedField | null,
		exactOnly: boolean,
		isLast: boolean
	): ScoreNode | null {
		const inBody = field === null || field === 'body';
		const inMetadata = field === null || isMetadataField(field);
		const exact = inBody ? this.#termId(term) : -1;
		const frequency = this.#frequency(term, field);
		if (exactOnly && frequency === 0) return null;
		const variants: Variant[] = [];
		if (exact >= 0) variants.push({ termId: exact, weight: MATCH_WEIGHTS.exact });
		// Prefixes complete the word being typed, or a word the index does not know as typed.
		const prefix = !exactOnly && (isLast || frequency === 0) && term.length >= MIN_PREFIX_LENGTH;
		// Typos are looked for when the word is unknown or so rare it is probably a typo itself.
		const fuzzy = !exactOnly && frequency <= 2 ? fuzzyDistance(term) : 0;
		if (inBody && prefix) {
			for (const id of this.#prefixTerms(term)) {
				if (id !== exact) variants.push({ termId: id, weight: MATCH_WEIGHTS.prefix });
			}
		}
		if (inBody && fuzzy) {
			for (const { id, distance } of this.#fuzzyTerms(term)) {
				if (id === exact || variants.some((variant) => variant.termId === id)) continue;
				variants.push({
					termId: id,
					weight: distance === 1 ? MATCH_WEIGHTS.fuzzy1 : MATCH_WEIGHTS.fuzzy2
				});
			}
		}
		const metadata = inMetadata
			? { term, prefix, fuzzy, matched: new Map<string, number>() }
			: null;
		if (variants.length === 0 && !(metadata && (frequency > 0 || prefix || fuzzy))) return null;
		return { kind: 'terms', variants, field, metadata };
	}

	/** Two typed words written together, when the index knows them so (`grad cam` → gradcam). */
	#joinedPair(clauses: Clause[], start: number): ScoreNode | null {
		const [first, second] = [clauses[start], clauses[start + 1]];
		if (first?.kind !== 'term' || second?.kind !== 'term' || first.field || second.field)
			return null;
		const left = termsOfToken(first.token)[0];
		const right = termsOfToken(second.token)[0];
		if (!left || !right || /\d/.test(left + right)) return null;
		return this.#termNode(stem(left + right), null, true, false);
	}

	#synonymSpan(
		clauses: Clause[],
		start: number
	): { width: number; others: SynonymPhrase[] } | null {
		if (this.#synonyms.length === 0) return null;
		let key = '';
		let best: { width: number; others: SynonymPhrase[] } | null = null;
		for (let end = start; end < clauses.length && end < start + 4; end++) {
			const clause = clauses[end];
			if (clause.kind !== 'term' || clause.field) break;
			key += termsOfToken(clause.token)[0] ?? '';
			const matched = this.#synonyms.find((synonym) => synonym.key === key);
			if (matched) {
				best = {
					width: end - start + 1,
					others: this.#synonyms.filter((s) => s.group === matched.group && s.key !== key)
				};
			}
		}
		return best;
	}

	// ------------------------------------------------------------ vocabulary

	/** Id of a term in the sorted vocabulary, or -1. */
	#termId(term: string): number {
		const at = this.#lowerBound(term);
		return this.#data.vocabulary[at] === term ? at : -1;
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

	#postingCount(termId: number): number {
		return this.#data.termOffsets[termId + 1] - this.#data.termOffsets[termId];
	}

	/** The papers whose metadata (one field, or any) holds `term` exactly, from MiniSearch. */
	#metadataExact(term: string, field: IndexedField | null): MetadataMatches {
		return this.#metadataSearch(term, field, false, 0);
	}

	/**
	 * MiniSearch's search of the metadata for one term (one field, or all; with prefix and typo
	 * matches as asked), kept compact and cached: compiling a query asks about the same terms
	 * several times, and queries repeat words. Its result objects would weigh on the heap.
	 */
	#metadataSearch(
		term: string,
		field: IndexedField | null,
		prefix: boolean,
		fuzzy: number
	): MetadataMatches {
		if (field === 'body') return NO_METADATA_MATCHES;
		const key = `${field ?? ''}|${prefix ? 'p' : ''}${fuzzy}|${term}`;
		let matches = this.#metadataSearches.get(key);
		if (!matches) {
			matches =
				(prefix || fuzzy) && this.#metadataTerms
					? this.#expandedMetadataSearch(term, field, prefix, fuzzy, this.#metadataTerms)
					: this.#miniSearch(term, field, prefix, fuzzy);
			if (
				this.#metadataSearches.size >= MAX_CACHED_LOOKUPS ||
				this.#metadataCached > MAX_CACHED_METADATA_PAPERS
			) {
				this.#metadataSearches.clear();
				this.#metadataCached = 0;
			}
			this.#metadataSearches.set(key, matches);
			this.#metadataCached += matches.papers.length + 16;
		}
		return matches;
	}

	/** One MiniSearch search of the metadata, made compact. */
	#miniSearch(
		term: string,
		field: IndexedField | null,
		prefix: boolean,
		fuzzy: number
	): MetadataMatches {
		const results = this.#data.metadata.search(term, {
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
	 * A prefix or typo search of the metadata scored as MiniSearch scores it — each matched
	 * index term's exact score times its weight (MiniSearch's prefix and typo weights, by how much
	 * longer or how far it is), summed per paper — but from the cached exact searches of those
	 * terms: a common completion is searched once, not again by every prefix that leads to it.
	 * Unlike MiniSearch, only the {@link MAX_EXPANSIONS} most frequent completions count.
	 */
	#expandedMetadataSearch(
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
			for (const [match, [, distance]] of vocabulary.fuzzyGet(term, fuzzy)) {
				// A completion is scored as one, as MiniSearch does.
				if (distance === 0 || weights.has(match)) continue;
				weights.set(match, (MATCH_WEIGHTS.fuzzy1 * match.length) / (match.length + distance));
			}
		}
		const sum = this.#take();
		const papers: number[] = [];
		const terms: string[] = [];
		for (const [matched, weight] of weights) {
			const exact = this.#metadataSearch(matched, field, false, 0);
			if (exact.papers.length) terms.push(matched);
			for (let i = 0; i < exact.papers.length; i++) {
				const p = exact.papers[i];
				if (sum[p] === 0) papers.push(p);
				sum[p] += weight * exact.scores[i];
			}
		}
		const scores = Float64Array.from(papers, (p) => sum[p]);
		this.#give(sum);
		return { papers: Uint32Array.from(papers), scores, terms };
	}

	/** Documents holding `term` exactly: body pages plus papers' metadata (0: unknown term). */
	#frequency(term: string, field: IndexedField | null): number {
		const id = field === null || field === 'body' ? this.#termId(term) : -1;
		return (id >= 0 ? this.#postingCount(id) : 0) + this.#metadataExact(term, field).papers.length;
	}

	/** The most frequent terms that start with `prefix` (itself included when present). */
	#prefixTerms(prefix: string): number[] {
		const vocabulary = this.#data.vocabulary;
		const ids: number[] = [];
		for (
			let id = this.#lowerBound(prefix);
			id < vocabulary.length && vocabulary[id].startsWith(prefix);
			id++
		) {
			ids.push(id);
		}
		if (ids.length > MAX_EXPANSIONS) {
			ids.sort((a, b) => this.#postingCount(b) - this.#postingCount(a));
			ids.length = MAX_EXPANSIONS;
		}
		return ids;
	}

	/** Terms within the typo distance allowed for `term`'s length, most frequent first. */
	#fuzzyTerms(term: string): { id: number; distance: number }[] {
		// Compiling and "did you mean" ask for the same term; the vocabulary scan is the cost.
		let found = this.#fuzzyCache.get(term);
		if (!found) {
			if (this.#fuzzyCache.size >= MAX_CACHED_LOOKUPS) this.#fuzzyCache.clear();
			found = this.#scanFuzzyTerms(term);
			this.#fuzzyCache.set(term, found);
		}
		return found;
	}

	#scanFuzzyTerms(term: string): { id: number; distance: number }[] {
		const maxDistance = fuzzyDistance(term);
		if (maxDistance === 0) return [];
		const found: { id: number; distance: number }[] = [];
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
			(a, b) => a.distance - b.distance || this.#postingCount(b.id) - this.#postingCount(a.id)
		);
		return found.slice(0, MAX_EXPANSIONS);
	}

	/** Splits an unknown-as-one-word compound into two known terms (`gradcam` → grad, cam). */
	#splitCompound(term: string): string[] {
		if (term.length < 5) return [];
		let best: string[] = [];
		let bestCount = 0;
		for (let at = 2; at <= term.length - 2; at++) {
			// The right half is looked up only when the left one is known.
			const left = this.#frequency(term.slice(0, at), null);
			const count = left && Math.min(left, this.#frequency(term.slice(at), null));
			if (count > bestCount) {
				best = [term.slice(0, at), term.slice(at)];
				bestCount = count;
			}
		}
		return best;
	}

	// ------------------------------------------------------------ scoring

	/** A zeroed per-paper score array from the pool (queries would otherwise allocate dozens). */
	#take(): Float64Array {
		const reused = this.#freeScores.pop();
		if (!reused) return new Float64Array(this.paperCount);
		reused.fill(0);
		return reused;
	}

	/** Returns score arrays to the pool once nothing reads them any more. */
	#give(...arrays: Float64Array[]): void {
		for (const array of arrays)
			if (this.#freeScores.length < MAX_POOLED_SCORES) this.#freeScores.push(array);
	}

	/** Per-paper scores of a node, in an array from the pool (the caller gives it back). */
	#evaluate(node: ScoreNode): Float64Array {
		const paperCount = this.paperCount;
		switch (node.kind) {
			case 'terms': {
				const out = this.#take();
				for (const variant of node.variants)
					this.#scoreBodyTerm(variant.termId, variant.weight, out);
				if (node.metadata) this.#addMetadataScores(node.metadata, node.field, out);
				return out;
			}
			case 'all': {
				const parts = node.children.map((child) => this.#evaluate(child));
				const out = this.#take();
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
				this.#give(...parts);
				return out;
			}
			case 'best': {
				const out = this.#take();
				for (const child of node.children) {
					const part = this.#evaluate(child.node);
					for (let p = 0; p < paperCount; p++) out[p] = Math.max(out[p], part[p] * child.weight);
					this.#give(part);
				}
				return out;
			}
			case 'any': {
				const out = this.#take();
				for (const child of node.children) {
					const part = this.#evaluate(child);
					for (let p = 0; p < paperCount; p++) out[p] += part[p];
					this.#give(part);
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
		const stamp = ++this.#stampValue;
		const touched: number[] = [];
		for (let i = data.termOffsets[termId], end = data.termOffsets[termId + 1]; i < end; i++) {
			const p = data.docPaper[data.postingDoc[i]];
			if (this.#stamp[p] !== stamp) {
				this.#stamp[p] = stamp;
				this.#bodyTf[p] = 0;
				touched.push(p);
			}
			this.#bodyTf[p] += data.postingTf[i];
		}
		const paperCount = this.paperCount;
		const idf = Math.log(1 + (paperCount - touched.length + 0.5) / (touched.length + 0.5));
		for (const p of touched) {
			const score = weight * idf * BODY_BOOST * this.#saturate(this.#bodyTf[p], p);
			if (score > out[p]) out[p] = score;
		}
	}

	/**
	 * Adds MiniSearch's metadata score of a typed term to `out`: BM25 per field with the field
	 * boosts, the exact term at full weight, prefix completions and typo corrections (as the
	 * query allows) at their lower weights. Remembers which index terms matched, for snippets.
	 */
	#addMetadataScores(query: MetadataQuery, field: IndexedField | null, out: Float64Array): void {
		const { papers, scores, terms } = this.#metadataSearch(
			query.term,
			field,
			query.prefix,
			query.fuzzy
		);
		for (let i = 0; i < papers.length; i++) out[papers[i]] += scores[i];
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

	#saturate(tf: number, paper: number): number {
		const length = this.#data.paperBodyLength[paper];
		const norm = 1 - BM25.b + (BM25.b * length) / this.#averageBodyLength;
		return (tf * (BM25.k1 + 1)) / (tf + BM25.k1 * norm);
	}

	/** Scores papers whose text holds the phrase, checked on the text itself (not co-occurrence). */
	#evaluatePhrase(node: PhraseNode): Float64Array {
		const out = this.#take();
		node.papers.clear();
		node.stamp = ++this.#phraseStamp;
		if (node.impossible) return out;
		const field = node.field;
		if (field === null || field === 'body') this.#findPhraseInBody(node);
		// Metadata, for the papers whose pages lack the phrase (finding it twice scores the same):
		// MiniSearch's exact results for each word's term give the papers holding all of them; the
		// text check does the rest. A phrase of stop words only is checked on every paper.
		if (field === null || isMetadataField(field)) {
			const matcher = phraseMatcher(node.phrase);
			const holds = (p: number) =>
				!node.papers.has(p) &&
				this.#foldedMetadata(p, field).some((text) => phraseOccursIn(text, matcher));
			if (node.wordTerms.length === 0) {
				for (let p = 0; p < this.paperCount; p++) if (holds(p)) node.papers.add(p);
			} else {
				// Papers holding every term: counted term by term, like the body's documents.
				const counts = this.#paperMark.fill(0);
				const perTerm = node.wordTerms.map((term) => this.#metadataExact(term, field).papers);
				for (let index = 0; index < perTerm.length - 1; index++) {
					for (const p of perTerm[index]) if (counts[p] === index) counts[p] = index + 1;
				}
				for (const p of perTerm[perTerm.length - 1]) {
					if (counts[p] === perTerm.length - 1 && holds(p)) node.papers.add(p);
				}
			}
		}
		if (node.terms.length === 0) {
			// Nothing to weigh a phrase of stop words by: the papers holding it tie.
			for (const p of node.papers) out[p] = 1;
			return out;
		}
		const termScores = this.#take();
		for (const term of node.terms) {
			const termNode = this.#termNode(term, field, true, false);
			if (!termNode) continue;
			const scores = this.#evaluate(termNode);
			for (const p of node.papers) termScores[p] = Math.max(termScores[p], scores[p]);
			this.#give(scores);
		}
		for (const p of node.papers) {
			// Scored like its words together, and a little above loose co-occurrence of them.
			out[p] = termScores[p] * 1.5 + 1e-9;
		}
		this.#give(termScores);
		return out;
	}

	/** Adds to `node.papers` the papers with a PDF page holding the phrase (one page is enough). */
	#findPhraseInBody(node: PhraseNode): void {
		const data = this.#data;
		const positional = node.positional;
		if (!positional) return;
		// One verified page is enough to rank a paper; all its pages are checked only if it is shown.
		// A paper's documents are contiguous, so whether it is found changes only between papers.
		let checked = 0;
		let paper = -1;
		let found = false;
		const check = (doc: number, cursors: PhraseCursors | null): boolean => {
			const p = data.docPaper[doc];
			if (p !== paper) {
				paper = p;
				found = node.papers.has(p);
			}
			if (found) return true;
			if (++checked > MAX_PHRASE_PAGES) return false;
			if (this.#phraseOnPage(node, doc, cursors)) {
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
		// order, keeping where each posting's word positions start, so that #phraseOnPage can
		// line the positions up without looking anything up.
		const { postingDoc, postingTf } = data;
		const cursors = this.#phraseCursors(node);
		const count = cursors.at.length;
		const { at, end, positionAt } = cursors;
		let doc = postingDoc[at[0]];
		for (let k = 0; k < count;) {
			while (at[k] < end[k] && postingDoc[at[k]] < doc) positionAt[k] += postingTf[at[k]++];
			if (at[k] === end[k]) return;
			if (postingDoc[at[k]] > doc) {
				doc = postingDoc[at[k]];
				k = 0;
				continue;
			}
			if (++k < count) continue;
			// Every term is on page `doc`.
			if (data.docPaper[doc] !== paper || !found) {
				if (!check(doc, cursors)) return;
			}
			positionAt[0] += postingTf[at[0]++];
			if (at[0] === end[0]) return;
			doc = postingDoc[at[0]];
			k = 0;
		}
	}

	/** Cursors on the postings of a phrase's distinct positional terms, at their first postings. */
	#phraseCursors(node: PhraseNode): PhraseCursors {
		const ids = [...new Set(node.positional!.map(({ id }) => id))];
		const { termOffsets } = this.#data;
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
		return phraseAt(data.pageText, word, start, end, node.bytes.words);
	}

	/** {@link #positionsLineUp} for one page, its postings found by binary search. */
	#positionsLineUpOn(node: PhraseNode, doc: number): LineUp {
		const { postingDoc } = this.#data;
		const cursors = this.#phraseCursors(node);
		for (let k = 0; k < cursors.at.length; k++) {
			let low = cursors.at[k];
			let high = cursors.end[k];
			while (low < high) {
				const middle = (low + high) >>> 1;
				if (postingDoc[middle] < doc) low = middle + 1;
				else high = middle;
			}
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
	#phraseOnPage(node: PhraseNode, doc: number, cursors: PhraseCursors | null = null): boolean {
		if (this.#checkStamp[doc] === node.stamp) return this.#checkHolds[doc] === 1;
		const data = this.#data;
		let holds = false;
		// The pair filter (two bit tests a pair), then word positions, rule out most pages lacking
		// the phrase without reading them; positions alone settle it when its words are plain.
		if (mayHavePairBits(data.pairFilter, doc * PAIR_FILTER_WORDS, node.pairBits)) {
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
		const data = this.#data;
		const start = data.textOffsets[doc];
		const end = data.textOffsets[doc + 1];
		const kinds = this.#pageKinds;
		if (kinds[doc] === PageKind.Unknown) kinds[doc] = pageKind(data.pageText, start, end);
		if (!node.bytes || kinds[doc] === PageKind.Other) {
			return phraseOccursIn(this.#foldedPageText(doc), phraseMatcher(node.phrase));
		}
		// ASCII pages are checked on their bytes, without decoding; where their capitals are is
		// looked at only when the plain spellings of the first word do not settle it.
		let found = bytesHavePhrase(this.#pageBytes, start, end, kinds[doc], node.bytes);
		if (found === null) {
			kinds[doc] = capitalsKind(data.pageText, start, end);
			found = bytesHavePhrase(this.#pageBytes, start, end, kinds[doc], node.bytes);
		}
		return found === true;
	}

	/** Every PDF page of paper `p` that holds the phrase (for the hits shown). */
	#phrasePages(node: PhraseNode, p: number): number[] {
		const pages: number[] = [];
		if (isMetadataField(node.field) || node.impossible) return pages;
		const data = this.#data;
		for (let doc = data.paperDocStart[p]; doc < data.paperDocStart[p + 1]; doc++) {
			if (data.docPage[doc] > 0 && this.#phraseOnPage(node, doc)) pages.push(data.docPage[doc]);
		}
		return pages;
	}

	/** The metadata texts of paper `p` (one field, or all), folded; remembered per paper. */
	#foldedMetadata(p: number, field: IndexedField | null): string[] {
		let folded = this.#foldedMetadataTexts[p];
		if (!folded) {
			const paper = this.#papers[p];
			if (!paper) return [];
			const texts = metadataTexts(paper);
			const byField = Object.fromEntries(
				INDEXED_FIELDS.map((name) => [name, texts[name].map(foldForPhrase)])
			) as Record<IndexedField, string[]>;
			folded = { ...byField, all: INDEXED_FIELDS.flatMap((name) => byField[name]) };
			this.#foldedMetadataTexts[p] = folded;
		}
		return folded[field ?? 'all'];
	}

	/** The text of one page document folded for the phrase check (pages not plain ASCII). */
	#foldedPageText(doc: number): string {
		return foldForPhrase(this.pageText(doc));
	}

	/**
	 * The text of one page document (empty for page 0, whose text is the metadata). ASCII pages,
	 * most of them, are read as Latin-1, which skips UTF-8 decoding and gives the same text.
	 */
	pageText(doc: number): string {
		const data = this.#data;
		const start = data.textOffsets[doc];
		const end = data.textOffsets[doc + 1];
		if (this.#pageKinds[doc] === PageKind.Unknown)
			this.#pageKinds[doc] = pageKind(data.pageText, start, end);
		return this.#pageKinds[doc] === PageKind.Other
			? this.#decoder.decode(data.pageText.subarray(start, end))
			: this.#pageBytes.toString('latin1', start, end);
	}

	// ------------------------------------------------------------ filters and facets

	#passesQueryFilters(paper: Paper, parsed: ParsedQuery): boolean {
		return parsed.filters.every(({ field, value }) => {
			switch (field) {
				case 'year':
					return String(paper.year) === value;
				case 'type':
					return paper.type === value;
				case 'edition':
					return paper.edition.toLowerCase() === value;
				case 'topic':
				case 'method':
					return paper.topics.some(
						(topic) =>
							topic.facet === field &&
							(topic.id === value || foldForPhrase(topic.label).includes(value))
					);
			}
		});
	}

	/** Whether a paper passes the facet selections, ignoring facet `except` (for its counts). */
	#passesFacets(paper: Paper, params: SearchParams, except: string | null): boolean {
		if (
			except !== 'topic' &&
			params.topic.length &&
			!paper.topics.some((t) => t.facet === 'topic' && params.topic.includes(t.id))
		)
			return false;
		if (
			except !== 'method' &&
			params.method.length &&
			!paper.topics.some((t) => t.facet === 'method' && params.method.includes(t.id))
		)
			return false;
		if (except !== 'edition' && params.edition.length && !params.edition.includes(paper.edition))
			return false;
		if (except !== 'year' && params.year.length && !params.year.includes(paper.year)) return false;
		if (
			except !== 'type' &&
			params.type.length &&
			!(paper.type && params.type.includes(paper.type))
		)
			return false;
		if (except !== 'award' && params.award && !paper.award) return false;
		return true;
	}

	/** Counts per facet value over the query's matches and the other facets' selections. */
	#facetCounts(candidate: Uint8Array, params: SearchParams): SearchResponse['facets'] {
		const zeros = (keys: Iterable<string | number>): FacetCounts =>
			Object.fromEntries([...keys].map((key) => [String(key), 0]));
		const taxonomy = this.#catalog.taxonomy.topics;
		const facets: SearchResponse['facets'] = {
			topic: zeros(taxonomy.filter((t) => t.facet === 'topic').map((t) => t.id)),
			method: zeros(taxonomy.filter((t) => t.facet === 'method').map((t) => t.id)),
			edition: zeros(this.#catalog.editions.map((edition) => edition.id)),
			year: zeros(new Set(this.#catalog.editions.map((edition) => edition.year))),
			type: zeros(PAPER_TYPES),
			award: zeros(['yes'])
		};
		// With no facet selected every paper passes every facet: skip the six checks per paper.
		const anySelected =
			params.topic.length ||
			params.method.length ||
			params.edition.length ||
			params.year.length ||
			params.type.length ||
			params.award;
		const passes = (paper: Paper, except: string): boolean =>
			!anySelected || this.#passesFacets(paper, params, except);
		for (let p = 0; p < candidate.length; p++) {
			if (!candidate[p]) continue;
			const paper = this.#papers[p]!;
			if (passes(paper, 'topic')) {
				for (const topic of paper.topics)
					if (topic.facet === 'topic') facets.topic[topic.id] = (facets.topic[topic.id] ?? 0) + 1;
			}
			if (passes(paper, 'method')) {
				for (const topic of paper.topics)
					if (topic.facet === 'method')
						facets.method[topic.id] = (facets.method[topic.id] ?? 0) + 1;
			}
			if (passes(paper, 'edition'))
				facets.edition[paper.edition] = (facets.edition[paper.edition] ?? 0) + 1;
			if (passes(paper, 'year')) facets.year[paper.year] = (facets.year[paper.year] ?? 0) + 1;
			if (paper.type && passes(paper, 'type'))
				facets.type[paper.type] = (facets.type[paper.type] ?? 0) + 1;
			if (paper.award && passes(paper, 'award')) facets.award.yes += 1;
		}
		return facets;
	}

	// ------------------------------------------------------------ hits, pages, snippets

	/** What to mark in snippets: every matched term, and the phrases. */
	#highlight(clauses: CompiledClause[]): Highlight {
		const terms = new Map<string, number>();
		const phrases: Phrase[] = [];
		const visit = (node: ScoreNode, weight: number) => {
			switch (node.kind) {
				case 'terms':
					for (const variant of node.variants) {
						const term = this.#data.vocabulary[variant.termId];
						terms.set(term, Math.max(terms.get(term) ?? 0, weight * variant.weight));
					}
					for (const [term, termWeight] of node.metadata?.matched ?? []) {
						terms.set(term, Math.max(terms.get(term) ?? 0, weight * termWeight));
					}
					break;
				case 'phrase':
					phrases.push(node.phrase);
					break;
				case 'best':
					for (const child of node.children) visit(child.node, weight * child.weight);
					break;
				default:
					for (const child of node.children) visit(child, weight);
			}
		};
		for (const clause of clauses) visit(clause.node, 1);
		return { terms, phrases };
	}

	#hit(p: number, score: number, clauses: CompiledClause[], highlight: Highlight): SearchHit {
		const paper = this.#papers[p]!;
		const termsOnPage = new Map<number, Map<string, number>>();
		const pageScores = this.#pageScores(p, clauses, highlight, termsOnPage);
		const pages = [...pageScores.keys()].sort((a, b) => a - b);
		const bestPages = [...pageScores.entries()]
			.sort((a, b) => b[1] - a[1] || a[0] - b[0])
			.slice(0, 3)
			.map(([page]) => page);
		const start = this.#data.paperDocStart[p];
		const end = this.#data.paperDocStart[p + 1];
		const textOf = (page: number): string => {
			for (let doc = start; doc < end; doc++)
				if (this.#data.docPage[doc] === page) return this.pageText(doc);
			return '';
		};
		// Each page is marked with the matched terms it holds (known from the postings), so the
		// snippet builder does not look for dozens of prefix and typo expansions on every page.
		const sources = bestPages.map((page) => ({
			page,
			text: textOf(page),
			highlight: { terms: termsOnPage.get(page) ?? new Map(), phrases: highlight.phrases }
		}));
		if (sources.length === 0 && paper.abstract)
			sources.push({ page: 0, text: paper.abstract, highlight });
		return {
			id: paper.id,
			title: paper.title,
			authors: paper.authors.map((author) => author.name),
			edition: paper.edition,
			year: paper.year,
			type: paper.type,
			award: paper.award,
			topics: paper.topics,
			score: Math.round(score * 1000) / 1000,
			pages,
			snippets:
				highlight.terms.size || highlight.phrases.length
					? sources.flatMap((source) => buildSnippets([source], source.highlight))
					: [],
			url: `/papers/${encodeURIComponent(paper.id)}`,
			pdf: canServePdf(paper) ? `/papers/${encodeURIComponent(paper.id)}/pdf` : null
		};
	}

	/**
	 * The snippets of one page of a paper for a query, marked as a search hit's are: for the
	 * reader without JavaScript, which shows them beside the page's image. Empty when the page
	 * holds none of the query's words.
	 */
	pageSnippets(paperId: string, page: number, q: string): Snippet[] {
		const p = this.#paperIndex.get(paperId);
		if (p === undefined || page < 1) return [];
		const highlight = this.#highlight(this.#compile(parseQuery(q), []));
		if (!highlight.terms.size && !highlight.phrases.length) return [];
		const data = this.#data;
		for (let doc = data.paperDocStart[p]; doc < data.paperDocStart[p + 1]; doc++) {
			if (data.docPage[doc] === page) {
				return buildSnippets([{ page, text: this.pageText(doc) }], highlight);
			}
		}
		return [];
	}

	/** Pages (≥ 1) of paper `p` that matched, with how well, from the postings of matched terms. */
	#pageScores(
		p: number,
		clauses: CompiledClause[],
		highlight: Highlight,
		termsOnPage: Map<number, Map<string, number>>
	): Map<number, number> {
		const data = this.#data;
		const start = data.paperDocStart[p];
		const end = data.paperDocStart[p + 1];
		const scores = new Map<number, number>();
		// Pages holding a phrase, with the weight of the phrase (a synonym's is lower).
		const phrasePages = new Map<number, number>();
		let hasPhrase = false;
		const collect = (node: ScoreNode, weight: number) => {
			if (node.kind === 'phrase') {
				hasPhrase = true;
				if (!node.papers.has(p)) return;
				for (const page of this.#phrasePages(node, p))
					phrasePages.set(page, Math.max(phrasePages.get(page) ?? 0, weight));
			} else if (node.kind === 'best')
				node.children.forEach((child) => collect(child.node, weight * child.weight));
			else if (node.kind !== 'terms') node.children.forEach((child) => collect(child, weight));
		};
		clauses.forEach((clause) => collect(clause.node, 1));
		for (const [term, weight] of highlight.terms) {
			const termId = this.#termId(term);
			if (termId < 0) continue;
			let low = data.termOffsets[termId];
			let high = data.termOffsets[termId + 1];
			while (low < high) {
				const mid = (low + high) >>> 1;
				if (data.postingDoc[mid] < start) low = mid + 1;
				else high = mid;
			}
			for (let i = low; i < data.termOffsets[termId + 1] && data.postingDoc[i] < end; i++) {
				const doc = data.postingDoc[i];
				const page = data.docPage[doc];
				if (page === 0) continue;
				const tf = data.postingTf[i];
				let onPage = termsOnPage.get(page);
				if (!onPage) termsOnPage.set(page, (onPage = new Map()));
				onPage.set(term, weight);
				scores.set(page, (scores.get(page) ?? 0) + (weight * tf) / (tf + 1));
			}
		}
		if (hasPhrase) {
			for (const [page, weight] of phrasePages)
				scores.set(page, (scores.get(page) ?? 0) + 10 * weight);
			// With only phrases typed, a page that merely holds the words did not match.
			if (clauses.every((clause) => clause.node.kind === 'phrase')) {
				for (const page of [...scores.keys()]) if (!phrasePages.has(page)) scores.delete(page);
			}
		}
		return scores;
	}

	// ------------------------------------------------------------ did you mean

	#suggest(query: string, parsed: ParsedQuery): string | null {
		if (parsed.clauses.length === 0) return null;
		let suggestion = '';
		let last = 0;
		let changed = false;
		for (const token of tokenize(query)) {
			const before = query.slice(0, token.start);
			if (/(?:year|type|topic|method|edition):$/i.test(before) || query[token.end] === ':')
				continue;
			const term = termsOfToken(token.text)[0];
			if (!term || this.#frequency(term, null) > 0 || this.#splitCompound(term).length) continue;
			const correction = this.#correction(term);
			if (!correction) continue;
			suggestion += query.slice(last, token.start) + correction;
			last = token.end;
			changed = true;
		}
		return changed ? suggestion + query.slice(last) : null;
	}

	/**
	 * The closest known term to an unknown one: fewest edits, then most documents, among the
	 * body vocabulary and the metadata terms MiniSearch's typo search finds.
	 */
	#correction(term: string): string | null {
		const maxDistance = fuzzyDistance(term);
		if (maxDistance === 0) return null;
		const candidates = this.#fuzzyTerms(term).map(({ id, distance }) => ({
			term: this.#data.vocabulary[id],
			distance
		}));
		const seen = new Set(candidates.map((candidate) => candidate.term));
		for (const matched of this.#metadataSearch(term, null, false, maxDistance).terms) {
			if (seen.has(matched)) continue;
			seen.add(matched);
			const distance = boundedEditDistance(term, matched, maxDistance);
			if (distance > 0 && distance <= maxDistance) candidates.push({ term: matched, distance });
		}
		let best: { term: string; distance: number; count: number } | null = null;
		for (const candidate of candidates) {
			if (best && candidate.distance > best.distance) continue;
			const count = this.#frequency(candidate.term, null);
			if (!best || candidate.distance < best.distance || count > best.count)
				best = { ...candidate, count };
		}
		return best?.term ?? null;
	}
}

/**
 * The first `count` items of `items` in the order of `compare`, sorted; a bounded heap when that
 * is far fewer than all of them (a common word matches every paper, a page shows twenty).
 */
export function firstInOrder<T>(items: T[], count: number, compare: (a: T, b: T) => number): T[] {
	if (items.length <= count * 4) return items.sort(compare).slice(0, count);
	// A heap whose root is the last-ordered item kept, so it is the one a better item replaces.
	const heap: T[] = [];
	const later = (i: number, j: number) => compare(heap[i], heap[j]) > 0;
	for (const item of items) {
		if (heap.length < count) {
			heap.push(item);
			for (let i = heap.length - 1; i > 0;) {
				const parent = (i - 1) >> 1;
				if (!later(i, parent)) break;
				[heap[i], heap[parent]] = [heap[parent], heap[i]];
				i = parent;
			}
		} else if (count > 0 && compare(item, heap[0]) < 0) {
			heap[0] = item;
			for (let i = 0; ;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let top = i;
				if (left < heap.length && later(left, top)) top = left;
				if (right < heap.length && later(right, top)) top = right;
				if (top === i) break;
				[heap[i], heap[top]] = [heap[top], heap[i]];
				i = top;
			}
		}
	}
	return heap.sort(compare);
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

/** Folds text for the phrase check, the same way query tokens are folded. */
function foldForPhrase(text: string): string {
	return foldWhole(text);
}
