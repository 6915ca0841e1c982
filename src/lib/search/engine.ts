/**
 * The Glassbox search engine: query → ranked papers with snippets and facet counts. It
 * coordinates the modules that do the work: compiling the query (`compile.ts`), scoring
 * (`scoring.ts`: body postings and MiniSearch's metadata search, `metadata-search.ts`), the
 * phrase check (`phrase-check.ts`), facets (`facets.ts`), hits and snippets (`hits.ts`) and
 * "did you mean" (`suggest.ts`). Papers matching more of the typed words always rank first.
 * Loading an index from disk is `loadSearchEngine` in `src/lib/server/search-storage.ts`.
 */
import type { Catalog, PageDocument, Paper, SearchParams, SearchResponse } from '../types.ts';
import { QueryCompiler } from './compile.ts';
import { facetCounts, passesFacets, passesQueryFilters } from './facets.ts';
import { firstInOrder } from './first-in-order.ts';
import { HitBuilder } from './hits.ts';
import { buildIndexData, type IndexData } from './index-data.ts';
import { MetadataSearch } from './metadata-search.ts';
import { PageTexts } from './page-texts.ts';
import { PhraseChecker } from './phrase-check.ts';
import { parseQuery } from './query.ts';
import { Scorer } from './scoring.ts';
import { specOfHighlight, type MatchSpec } from '../text/match-ranges.ts';
import { suggestQuery, type SuggestionSources } from './suggest.ts';
import { BodyVocabulary } from './vocabulary.ts';

export class SearchEngine {
	readonly #catalog: Catalog;
	readonly #papers: (Paper | undefined)[];
	/** Position in the catalog (newest edition first), the order of browsing. */
	readonly #catalogRank: Uint32Array;
	readonly #compiler: QueryCompiler;
	readonly #scorer: Scorer;
	readonly #hits: HitBuilder;
	readonly #lookups: SuggestionSources;
	readonly #paperIndex: Map<string, number>;

	constructor(data: IndexData, catalog: Catalog) {
		this.#catalog = catalog;
		const byId = new Map(catalog.papers.map((paper, rank) => [paper.id, { paper, rank }]));
		this.#papers = data.paperIds.map((id) => byId.get(id)?.paper);
		this.#paperIndex = new Map(data.paperIds.map((id, p) => [id, p]));
		this.#catalogRank = Uint32Array.from(data.paperIds, (id) => byId.get(id)?.rank ?? 1e9);
		const body = new BodyVocabulary(data);
		const metadata = new MetadataSearch(data.metadata, data.paperIds);
		const pages = new PageTexts(data);
		const phrases = new PhraseChecker(data, pages, metadata, this.#papers);
		this.#compiler = new QueryCompiler(data, body, metadata, catalog.taxonomy);
		this.#scorer = new Scorer(data, metadata, phrases);
		this.#hits = new HitBuilder(data, this.#papers, body, pages, phrases);
		this.#lookups = { compiler: this.#compiler, body, metadata };
	}

	/** Builds an engine in memory, without files (tests, benches). */
	static fromDocuments(docs: PageDocument[], catalog: Catalog): SearchEngine {
		return new SearchEngine(buildIndexData(docs), catalog);
	}

	/**
	 * What query `q` matches in the text of paper `paperId` (the index terms its pages hold, after
	 * typo correction, synonyms, stems and compounds, and the phrases), for the reader to mark
	 * exactly what the search matched. Null for an unknown paper.
	 */
	matchSpec(q: string, paperId: string): MatchSpec | null {
		const p = this.#paperIndex.get(paperId);
		if (p === undefined) return null;
		const clauses = this.#compiler.compile(parseQuery(q), []);
		// Scoring is what records which metadata terms MiniSearch matched, as for a search.
		for (const clause of clauses) this.#scorer.give(this.#scorer.evaluate(clause.node));
		return specOfHighlight(this.#hits.highlightInPaper(p, this.#hits.highlight(clauses)));
	}

	get paperCount(): number {
		return this.#papers.length;
	}

	/** Runs a search; never throws on any query text. */
	search(params: SearchParams): SearchResponse {
		const parsed = parseQuery(params.q);
		const expansions: string[] = [];
		const clauses = this.#compiler.compile(parsed, expansions);
		const scorer = this.#scorer;
		const paperCount = this.paperCount;
		const papers = this.#papers;
		const score = scorer.take();
		const matchedWidth = new Uint16Array(paperCount);
		const candidate = new Uint8Array(paperCount);
		// Words that match nothing in the index give no results; only an empty query browses.
		if (parsed.clauses.length === 0) candidate.fill(1);
		const hardPhrase: Float64Array[] = [];
		for (const clause of clauses) {
			const scores = scorer.evaluate(clause.node);
			if (clause.node.kind === 'phrase') hardPhrase.push(scores);
			for (let p = 0; p < paperCount; p++) {
				if (scores[p] > 0) {
					score[p] += scores[p];
					matchedWidth[p] += clause.width;
					candidate[p] = 1;
				}
			}
			if (clause.node.kind !== 'phrase') scorer.give(scores);
		}
		// A quoted phrase is a requirement, not a preference.
		for (const scores of hardPhrase) {
			for (let p = 0; p < paperCount; p++) if (scores[p] === 0) candidate[p] = 0;
		}
		scorer.give(...hardPhrase);
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

		const facets = facetCounts(candidate, papers, this.#catalog, params);
		const results: number[] = [];
		for (let p = 0; p < paperCount; p++) {
			if (candidate[p] && passesFacets(papers[p]!, params, null)) results.push(p);
		}
		const byRelevance = (a: number, b: number) =>
			matchedWidth[b] - matchedWidth[a] ||
			score[b] - score[a] ||
			this.#catalogRank[a] - this.#catalogRank[b];
		const order =
			params.sort === 'year'
				? (a: number, b: number) => papers[b]!.year - papers[a]!.year || byRelevance(a, b)
				: byRelevance;
		// Only the papers up to the end of the requested page need ordering.
		const page = firstInOrder(results, params.offset + params.limit, order).slice(params.offset);
		const highlight = this.#hits.highlight(clauses);
		const hits = page.map((p) => this.#hits.hit(p, score[p], clauses, highlight));
		scorer.give(score);
		return {
			query: params.q,
			total: results.length,
			hits,
			facets,
			sort: params.sort,
			suggestion: suggestQuery(params.q, parsed, this.#lookups),
			expansions
		};
	}
}
