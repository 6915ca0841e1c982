import { describe, expect, it } from 'vitest';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { buildIndexData } from '../../src/lib/search/index-data.ts';
import { generatedJudgedCorpus } from '../fixtures/relevance-generated.ts';
import {
	evaluate,
	glassboxRanker,
	plainMiniSearchRanker,
	readJudgedQueries,
	scoreRanking
} from '../fixtures/relevance/relevance.ts';

describe('relevance measures', () => {
	it('scores a perfect ranking 1 and a miss 0', () => {
		expect(scoreRanking(['a', 'b'], { a: 2, b: 1 })).toEqual({ ndcg10: 1, mrr: 1, success1: 1 });
		expect(scoreRanking(['x', 'y'], { a: 2 })).toEqual({ ndcg10: 0, mrr: 0, success1: 0 });
		expect(scoreRanking(['x', 'a'], { a: 2 }).mrr).toBe(0.5);
	});

	it('has at least 40 judged queries over the shared corpus, of every kind', () => {
		const queries = readJudgedQueries();
		expect(queries.length).toBeGreaterThanOrEqual(40);
		const kinds = ['known-item', 'topic', 'phrase', 'typo', 'author'];
		const issue13 = ['synonym', 'compound', 'field', 'acronym', 'reference'];
		expect(new Set(queries.map((query) => query.kind))).toEqual(new Set([...kinds, ...issue13]));
		// Issue 13's classes (besides typos): at least 25 queries.
		expect(queries.filter((query) => issue13.includes(query.kind)).length).toBeGreaterThanOrEqual(
			25
		);
	});

	it('beats plain MiniSearch on every measure over the generated corpus', () => {
		const corpus = generatedJudgedCorpus();
		const results = evaluate(corpus.queries, {
			glassbox: glassboxRanker(new SearchEngine(buildIndexData(corpus.docs), corpus.catalog)),
			plain: plainMiniSearchRanker(corpus.docs)
		});
		expect(results.glassbox.all.ndcg10).toBeGreaterThan(results.plain.all.ndcg10);
		expect(results.glassbox.all.mrr).toBeGreaterThan(results.plain.all.mrr);
		expect(results.glassbox.all.success1).toBeGreaterThan(results.plain.all.success1);
	});
});
