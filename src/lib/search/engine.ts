/**
 * The Glassbox search engine: query → ranked papers with snippets and facet counts. It
 * coordinates the modules that do the work: compiling the query (`compile.ts`), scoring
 * (`scoring.ts`: body postings and MiniSearch's metadata search, `metadata-search.ts`), the
 * phrase check (`phrase-check.ts`), facets (`facets.ts`), hits and snippets (`hits.ts`) and
 * "did you mean" (`suggest.ts`). Papers matching more of the typed words always rank first.
 * Loading an index from disk is `loadSearchEngine` in `src/lib/server/search-storage.ts`.
 */
import type {
	Catalog,
	PageDocument,
	Paper,
	SearchParams,
	SearchResponse,
	Snippet
} from '../types.ts';
import { HITS_SHARE, QUERY_WORK_LIMIT, WORK_COSTS, WorkBudget } from './budget.ts';
import { QueryCompiler } from './compile.ts';
import { FacetCounter, passesFacets, passesQueryFilters } from './facets.ts';
import { firstInOrder } from './first-in-order.ts';
import { HitBuilder } from './hits.ts';
import { buildIndexData, type IndexData } from './index-data.ts';
import { MetadataSearch } from './metadata-search.ts';
import { PageTexts } from './page-texts.ts';
import { PhraseChecker } from './phrase-check.ts';
import { parseQuery, type Clause } from './query.ts';
import { selectedFacetCount } from './params.ts';
import type { ScoreNode } from './score-nodes.ts';
import { Scorer } from './scoring.ts';
import { buildSnippets } from './snippets.ts';
import { specOfHighlight, type Highlight, type MatchSpec } from '../text/match-ranges.ts';
import { suggestQuery, type SuggestionSources } from './suggest.ts';
import { BodyVocabulary } from './vocabulary.ts';

export class SearchEngine {
	readonly #papers: (Paper | undefined)[];
	/** Position in the catalog (newest edition first), the order of browsing. */
	readonly #catalogRank: Uint32Array;
	readonly #compiler: QueryCompiler;
	readonly #scorer: Scorer;
	readonly #hits: HitBuilder;
	readonly #lookups: SuggestionSources;
	readonly #pages: PageTexts;
	readonly #facets: FacetCounter;
	readonly #paperIndex: Map<string, number>;
	/** The work budget of the query running (one at a time: a search is synchronous). */
	readonly #budget = new WorkBudget();
	#lastSearchWork = 0;

	constructor(data: IndexData, catalog: Catalog) {
		const byId = new Map(catalog.papers.map((paper, rank) => [paper.id, { paper, rank }]));
		this.#papers = data.paperIds.map((id) => byId.get(id)?.paper);
		this.#paperIndex = new Map(data.paperIds.map((id, p) => [id, p]));
		this.#facets = new FacetCounter(this.#papers, catalog);
		this.#catalogRank = Uint32Array.from(data.paperIds, (id) => byId.get(id)?.rank ?? 1e9);
		const budget = this.#budget;
		const body = new BodyVocabulary(data, budget);
		const metadata = new MetadataSearch(data.metadata, data.paperIds, budget);
		const pages = new PageTexts(data);
		this.#pages = pages;
		const phrases = new PhraseChecker(data, pages, metadata, this.#papers, budget);
		this.#compiler = new QueryCompiler(data, body, metadata, catalog.taxonomy);
		this.#scorer = new Scorer(data, metadata, phrases, budget);
		this.#hits = new HitBuilder(data, this.#papers, body, pages, phrases, budget);
		this.#lookups = { compiler: this.#compiler, body, metadata, pages, papers: this.#papers };
	}

	/** Builds an engine in memory, without files (tests, benches). */
	static fromDocuments(docs: PageDocument[], catalog: Catalog): SearchEngine {
		return new SearchEngine(buildIndexData(docs), catalog);
	}

	/**
	 * The indexed text of each PDF page of a paper, page one first (none for a paper without
	 * text), for the reader's text view and its find scan.
	 */
	pageTextsOf(paperId: string): string[] {
		const p = this.#paperIndex.get(paperId);
		return p === undefined ? [] : this.#pages.ofPaper(p);
	}

	/**
	 * The query's snippets of one page of a paper, marked as a hit's are, for the reader without
	 * JavaScript, which shows them beside the page's image. Empty when the page holds none of the
	 * query's words.
	 */
	pageSnippets(paperId: string, page: number, q: string): Snippet[] {
		const p = this.#paperIndex.get(paperId);
		if (p === undefined || page < 1) return [];
		const highlight = this.#highlightInPaper(q, p);
		if (!highlight.terms.size && !highlight.phrases.length) return [];
		const doc = this.#pages.docOf(p, page);
		if (doc < 0) return [];
		const text = this.#pages.text(doc);
		return buildSnippets([{ page, text, haystack: this.#pages.haystack(doc, text) }], highlight);
	}

	/** What scoring a clause costs, about; a phrase of no searchable word is costliest. */
	#clauseCost(node: ScoreNode): number {
		if (node.kind === 'phrase' && node.wordTerms.length === 0) return Infinity;
		return this.#compiler.estimatedCost(node);
	}

	/**
	 * What query `q` matches in the text of paper `paperId` (the index terms its pages hold, after
	 * typo correction, synonyms, stems and compounds, and the phrases), for the reader to mark
	 * exactly what the search matched. Null for an unknown paper. Its work is bounded as a
	 * search's (`workLimit`, by default `QUERY_WORK_LIMIT`).
	 */
	matchSpec(q: string, paperId: string, workLimit?: number): MatchSpec | null {
		const p = this.#paperIndex.get(paperId);
		return p === undefined ? null : specOfHighlight(this.#highlightInPaper(q, p, workLimit));
	}

	/** What query `q` matched in paper `p`, compiled and scored with a fresh budget as a search is. */
	#highlightInPaper(q: string, p: number, workLimit?: number): Highlight {
		// A budget spent by the last search would otherwise skip this query's typo and prefix terms.
		this.#budget.reset(workLimit);
		this.#scorer.startQuery();
		const clauses = this.#compiler.compile(parseQuery(q), []);
		// Scoring is what records which metadata terms MiniSearch matched, as for a search.
		for (const clause of clauses) this.#scorer.give(this.#scorer.evaluate(clause.node));
		return this.#hits.highlightInPaper(p, this.#hits.highlight(clauses));
	}

	get paperCount(): number {
		return this.#papers.length;
	}

	/** Units of work the last search spent (see budget.ts); for tests and benches. */
	get lastSearchWork(): number {
		return this.#lastSearchWork;
	}

	/**
	 * Runs a search; never throws on any query text. Its work is bounded by a budget
	 * (`workLimit`, by default `QUERY_WORK_LIMIT`); past it the answer is `partial`.
	 */
	search(params: SearchParams, workLimit = QUERY_WORK_LIMIT): SearchResponse {
		const response = this.#search(params, workLimit, true);
		const searched = this.#budget.spent;
		this.#lastSearchWork = searched;
		if (response.suggestion === null || this.#correctionSurelyFinds(params)) return response;
		// "Did you mean" is offered only when following it finds papers under the same filters;
		// checking that spends what is left of the query's whole allowance, hits included.
		const allowance = workLimit * (1 + HITS_SHARE) - searched;
		const followed =
			allowance > 0
				? this.#search(
						{ ...params, q: response.suggestion, offset: 0, limit: 0 },
						allowance / (1 + HITS_SHARE),
						false
					)
				: null;
		if (followed) this.#lastSearchWork += this.#budget.spent;
		return followed && followed.total > 0 ? response : { ...response, suggestion: null };
	}

	/**
	 * Whether a corrected query certainly finds papers without running it: its corrections are
	 * words of the index, and with every clause optional and nothing excluded or filtered, the
	 * papers holding them match.
	 */
	#correctionSurelyFinds(params: SearchParams): boolean {
		const parsed = parseQuery(params.q);
		const optional = (clause: Clause): boolean =>
			clause.kind === 'or'
				? clause.children.every(optional)
				: clause.kind === 'term' && !clause.field;
		return (
			parsed.clauses.every(optional) &&
			parsed.excluded.length === 0 &&
			parsed.filters.length === 0 &&
			selectedFacetCount(params) === 0
		);
	}

	#search(params: SearchParams, workLimit: number, suggest: boolean): SearchResponse {
		const budget = this.#budget;
		budget.reset(workLimit);
		const parsed = parseQuery(params.q);
		if (parsed.truncated) budget.markPartial();
		const expansions: string[] = [];
		const clauses = this.#compiler.compile(parsed, expansions);
		const scorer = this.#scorer;
		const paperCount = this.paperCount;
		const papers = this.#papers;
		scorer.startQuery();
		const score = scorer.take();
		const matchedWidth = new Uint16Array(paperCount);
		const candidate = new Uint8Array(paperCount);
		// Words that match nothing in the index give no results; only an empty query browses.
		if (parsed.clauses.length === 0) candidate.fill(1);
		const required: Float64Array[] = [];
		// Cheapest first: when the budget runs out, what it leaves out is the most common words,
		// which tell papers apart least, and the answer still holds what the rest found. Phrases
		// of only stop words or single letters come last, in the order typed (the first few count).
		const costs = new Map(clauses.map((clause) => [clause, this.#clauseCost(clause.node)]));
		const byCost = [...clauses].sort((a, b) => Math.sign(costs.get(a)! - costs.get(b)!) || 0);
		for (const clause of byCost) {
			const scores = scorer.evaluate(clause.node);
			budget.charge(paperCount * WORK_COSTS.paperPass);
			// A phrase the budget left unchecked is no requirement: the answer says it is partial.
			const isRequired =
				clause.required && !(clause.node.kind === 'phrase' && budget.dropped(clause.node));
			if (isRequired) required.push(scores);
			for (let p = 0; p < paperCount; p++) {
				if (scores[p] > 0) {
					score[p] += scores[p];
					matchedWidth[p] += clause.width;
					candidate[p] = 1;
				}
			}
			if (!isRequired) scorer.give(scores);
		}
		// A quoted phrase or a field is a requirement, not a preference.
		for (const scores of required) {
			for (let p = 0; p < paperCount; p++) if (scores[p] === 0) candidate[p] = 0;
		}
		scorer.give(...required);
		for (const excluded of parsed.excluded) {
			const node = this.#compiler.compileText(excluded, true);
			if (!node) continue;
			const scores = scorer.evaluate(node);
			for (let p = 0; p < paperCount; p++) if (scores[p] > 0) candidate[p] = 0;
			scorer.give(scores);
		}
		for (let p = 0; p < paperCount; p++) {
			const paper = papers[p];
			if (!paper || (candidate[p] && !passesQueryFilters(paper, parsed))) candidate[p] = 0;
		}

		const facets = this.#facets.count(candidate, papers, params);
		const results: number[] = [];
		for (let p = 0; p < paperCount; p++) {
			if (candidate[p] && passesFacets(papers[p]!, params, null)) results.push(p);
		}
		// A paper that matched only in its reference list cites the subject rather than discusses it.
		const outside = scorer.matchedOutsideReferences;
		const byRelevance = (a: number, b: number) =>
			outside[b] - outside[a] ||
			matchedWidth[b] - matchedWidth[a] ||
			score[b] - score[a] ||
			this.#catalogRank[a] - this.#catalogRank[b];
		const order =
			params.sort === 'year'
				? (a: number, b: number) => papers[b]!.year - papers[a]!.year || byRelevance(a, b)
				: byRelevance;
		// Only the papers up to the end of the requested page need ordering.
		const page = firstInOrder(results, params.offset + params.limit, order).slice(params.offset);
		budget.startHits();
		const highlight = this.#hits.highlight(clauses);
		const hits = page.map((p) =>
			this.#hits.hit(p, score[p], clauses, highlight, parsed.clauses.length > 0 && !outside[p])
		);
		scorer.give(score);
		// Taken before "did you mean", whose skipped lookups leave the results whole.
		const partial = budget.partial;
		return {
			query: params.q,
			total: results.length,
			hits,
			facets,
			sort: params.sort,
			suggestion: suggest ? suggestQuery(params.q, parsed, this.#lookups) : null,
			expansions,
			partial
		};
	}
}
