/**
 * The compiled form of a query: a tree of score nodes, each evaluated to one score per paper
 * (0 = no match). Built by `compile.ts`, scored by `scoring.ts`, read back for hits by `hits.ts`.
 */
import type { IndexedField } from './options.ts';
import type { BytePhrase } from './phrase-filter.ts';
import type { Phrase } from '../text/phrase.ts';

/** One body term a typed word expands to, with the weight of that kind of match. */
export interface Variant {
	termId: number;
	weight: number;
}

/** One MiniSearch search of the metadata for a typed term, and the index terms it matched. */
export interface MetadataQuery {
	term: string;
	prefix: boolean;
	/** Edit distance allowed (0: none). */
	fuzzy: number;
	matched: Map<string, number>;
}

/** A term a page holding a phrase has `offset` words after the phrase's start. */
interface PositionalTerm {
	term: string;
	/** Its body term id. */
	id: number;
	offset: number;
}

/** A quoted phrase (typed, or a synonym of several words). */
export interface PhraseNode {
	kind: 'phrase';
	phrase: Phrase;
	field: IndexedField | null;
	/** The phrase's distinct index terms (none when it is made of stop words only). */
	terms: string[];
	/** Exact-term nodes of {@link terms}, which score a paper holding the phrase. */
	termNodes: TermsNode[];
	/** The distinct positional terms any text holding the phrase has at its words. */
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
	/** Marks the documents checked for this phrase in this query (see `PhraseChecker`). */
	stamp: number;
	/** The phrase prepared to check ASCII pages without decoding (null: not possible). */
	bytes: BytePhrase | null;
}

/** A typed word, or a word of a phrase: its body terms and its metadata search. */
export interface TermsNode {
	kind: 'terms';
	/** Body terms (compact postings); the best weighted one counts. */
	variants: Variant[];
	field: IndexedField | null;
	/** The metadata search, absent when the word is restricted to the body. */
	metadata: MetadataQuery | null;
}

/** How a part of the query scores papers. */
export type ScoreNode =
	| TermsNode
	| { kind: 'all'; children: ScoreNode[] }
	| { kind: 'best'; children: { node: ScoreNode; weight: number }[] }
	| { kind: 'any'; children: ScoreNode[] }
	| PhraseNode;

/** One clause of the query, compiled. */
export interface CompiledClause {
	node: ScoreNode;
	/** How many typed words the clause stands for. */
	width: number;
	/** A paper must match it to be a result (a quoted phrase, a field). */
	required: boolean;
}
