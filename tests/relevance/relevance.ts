/**
 * Relevance evaluation: judged queries, the metrics (nDCG@10, MRR, success@1), the plain
 * MiniSearch baseline over the same page texts, and a generated corpus with known answers for
 * machines without ../shared/corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import type { Catalog, PageDocument } from '../../src/lib/types.ts';
import type { IndexData } from '../../src/lib/search/index-data.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { searchParams } from '../../src/lib/search/params.ts';

export interface JudgedQuery {
	q: string;
	kind: 'known-item' | 'topic' | 'phrase' | 'typo' | 'author';
	/** Paper id → grade (2 = what the query is after, 1 = also relevant). */
	relevant: Record<string, number>;
}

export interface Metrics {
	ndcg10: number;
	mrr: number;
	success1: number;
}

export function readJudgedQueries(): JudgedQuery[] {
	const file = join(import.meta.dirname, 'queries.json');
	return (JSON.parse(readFileSync(file, 'utf8')) as { queries: JudgedQuery[] }).queries;
}

/** nDCG@10 with gains 2^grade − 1, reciprocal rank and success@1 of one ranking. */
export function scoreRanking(ranking: string[], relevant: Record<string, number>): Metrics {
	const gain = (grade: number) => 2 ** grade - 1;
	const top = ranking.slice(0, 10);
	const dcg = top.reduce((sum, id, i) => sum + gain(relevant[id] ?? 0) / Math.log2(i + 2), 0);
	const ideal = Object.values(relevant)
		.sort((a, b) => b - a)
		.slice(0, 10)
		.reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
	const firstRelevant = ranking.findIndex((id) => (relevant[id] ?? 0) > 0);
	return {
		ndcg10: ideal ? dcg / ideal : 0,
		mrr: firstRelevant === -1 ? 0 : 1 / (firstRelevant + 1),
		success1: (relevant[ranking[0]] ?? 0) > 0 ? 1 : 0
	};
}

export function meanMetrics(all: Metrics[]): Metrics {
	const mean = (key: keyof Metrics) => all.reduce((sum, m) => sum + m[key], 0) / (all.length || 1);
	return { ndcg10: mean('ndcg10'), mrr: mean('mrr'), success1: mean('success1') };
}

/** A ranker: the paper ids for a query, best first. */
export type Ranker = (q: string) => string[];

export function glassboxRanker(engine: SearchEngine): Ranker {
	return (q) => engine.search(searchParams({ q, limit: 50 })).hits.map((hit) => hit.id);
}

/**
 * Plain MiniSearch with default options over the same page documents, pages folded into their
 * paper at the paper's best page (what a straightforward MiniSearch integration would do).
 */
export function plainMiniSearchRanker(docs: PageDocument[]): Ranker {
	const index = new MiniSearch<PageDocument>({
		fields: ['title', 'authors', 'abstract', 'keywords', 'topics', 'body'],
		storeFields: ['paperId']
	});
	index.addAll(docs);
	return (q) => {
		const seen = new Set<string>();
		for (const result of index.search(q)) seen.add(result.paperId as string);
		return [...seen];
	};
}

/** Evaluates rankers over judged queries; per-kind means too. */
export function evaluate(
	queries: JudgedQuery[],
	rankers: Record<string, Ranker>
): Record<string, { all: Metrics; byKind: Record<string, Metrics> }> {
	const out: Record<string, { all: Metrics; byKind: Record<string, Metrics> }> = {};
	for (const [name, rank] of Object.entries(rankers)) {
		const scored = queries.map((query) => ({
			kind: query.kind,
			metrics: scoreRanking(rank(query.q), query.relevant)
		}));
		const kinds = [...new Set(queries.map((query) => query.kind))];
		out[name] = {
			all: meanMetrics(scored.map((s) => s.metrics)),
			byKind: Object.fromEntries(
				kinds.map((kind) => [
					kind,
					meanMetrics(scored.filter((s) => s.kind === kind).map((s) => s.metrics))
				])
			)
		};
	}
	return out;
}

/** The page documents of a built index, rebuilt from its stored texts and the catalog. */
export function pageDocumentsOf(data: IndexData, catalog: Catalog): PageDocument[] {
	const decoder = new TextDecoder();
	const papers = new Map(catalog.papers.map((paper) => [paper.id, paper]));
	const docs: PageDocument[] = [];
	for (let doc = 0; doc < data.docPaper.length; doc++) {
		const paper = papers.get(data.paperIds[data.docPaper[doc]]);
		if (!paper) continue;
		const page = data.docPage[doc];
		docs.push({
			id: `${paper.id}#${page}`,
			paperId: paper.id,
			page,
			title: paper.title,
			authors: paper.authors.map((author) => author.name).join('; '),
			abstract: page === 0 ? (paper.abstract ?? '') : '',
			keywords: paper.keywords.join('; '),
			topics: paper.topics.map((topic) => topic.label).join('; '),
			body: decoder.decode(data.pageText.subarray(data.textOffsets[doc], data.textOffsets[doc + 1]))
		});
	}
	return docs;
}
