import { describe, expect, it } from 'vitest';
import { HITS_SHARE, QUERY_WORK_LIMIT } from '../../src/lib/search/budget.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { MAX_QUERY_LENGTH } from '../../src/lib/search/query.ts';
import { MATCHES_MAX_AGE, matchesResponse } from '../../src/lib/server/matches.ts';
import { highlightOfSpec, matchRanges, type MatchSpec } from '../../src/lib/text/match-ranges.ts';
import { hostileQueries } from '../fixtures/hostile-queries.ts';
import { syntheticCorpus } from '../fixtures/search-corpus.ts';
import { makeEngine, type PaperSpec } from './search-fixtures.ts';

const PAGE =
	'Saliency maps of chest X-rays were compared with a heatmap from Grad-CAM. ' +
	'Explainability was rated by clinicians, and the calibration of each model was measured.';
const PAPERS: PaperSpec[] = [
	{ id: 'chest', title: 'Explaining chest X-ray models', pages: [PAGE] },
	{ id: 'other', title: 'Prototypes for dermatology', pages: ['Case-based prototypes of lesions.'] }
];
const engine = makeEngine(PAPERS);

/** The answer to `GET /papers/<id>/matches?q=…` and its JSON body. */
async function ask(paperId: string, q: string, on: Pick<SearchEngine, 'matchSpec'> = engine) {
	const response = matchesResponse(on, paperId, q);
	return { response, body: (await response.json()) as MatchSpec & { message?: string } };
}

/** The words of the page the reader marks with the answer, as the find bar does. */
function marked(spec: MatchSpec, text = PAGE): string[] {
	return matchRanges(text, highlightOfSpec(spec)).map(([start, end]) => text.slice(start, end));
}

describe('GET /papers/<id>/matches', () => {
	it('marks the corrected word of a typo, as the search matched it', async () => {
		const { response, body } = await ask('chest', 'saliancy explainabilty');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(marked(body)).toEqual(['Saliency', 'Explainability']);
	});

	it("marks a word's synonyms: a heatmap for saliency maps, calibration for uncertainty", async () => {
		expect(marked((await ask('chest', 'saliency maps')).body)).toEqual([
			'Saliency',
			'maps',
			'heatmap'
		]);
		expect(marked((await ask('chest', 'uncertainty')).body)).toEqual(['calibration']);
	});

	it('marks nothing for words the paper does not hold', async () => {
		const { response, body } = await ask('chest', 'dermatology lesions');
		expect(response.status).toBe(200);
		expect(marked(body)).toEqual([]);
	});

	it('answers 404 naming an unknown paper, with nothing cached', async () => {
		const { response, body } = await ask('no-such-paper', 'saliency');
		expect(response.status).toBe(404);
		expect(body.message).toBe('No paper with id "no-such-paper"');
		expect(response.headers.get('cache-control')).toBeNull();
	});

	it('lets the browser reuse an answer for a minute, privately', async () => {
		const { response } = await ask('chest', 'saliency');
		expect(response.headers.get('cache-control')).toBe(`private, max-age=${MATCHES_MAX_AGE}`);
	});

	it('reads only the first characters of a huge query, as the search does', async () => {
		const huge = `saliency ${'x'.repeat(MAX_QUERY_LENGTH)} explainability ${'y '.repeat(50_000)}`;
		const seen: string[] = [];
		const spy: Pick<SearchEngine, 'matchSpec'> = {
			matchSpec: (q, paperId) => (seen.push(q), engine.matchSpec(q, paperId))
		};
		const { response, body } = await ask('chest', huge, spy);
		expect(response.status).toBe(200);
		expect(seen.map((q) => q.length)).toEqual([MAX_QUERY_LENGTH]);
		expect(marked(body)).toEqual(['Saliency']);
	});
});

describe('the work budget of /papers/<id>/matches', () => {
	// English-like pages with stop words and single letters, as hostile phrases need.
	const corpus = syntheticCorpus({ papers: 60, wordsPerPaper: 2000, filler: 0.3, seed: 7 });
	const big = SearchEngine.fromDocuments(corpus.docs, corpus.catalog);
	const paperId = corpus.catalog.papers[0].id;

	it.each(hostileQueries(corpus.vocabulary))('stops $name at the limit it is given', ({ q }) => {
		big.matchSpec(q, paperId, Infinity);
		const unbounded = big.lastSearchWork;
		const limit = Math.floor(unbounded / 10);
		expect(big.matchSpec(q, paperId, limit)).not.toBeNull();
		// As for a search: the hits' share on top, and a pass over the papers per clause.
		expect(big.lastSearchWork).toBeLessThanOrEqual(limit * (1 + HITS_SHARE) + 50_000);
	});

	it('answers every hostile query within the default budget', async () => {
		for (const { q } of hostileQueries(corpus.vocabulary)) {
			const { response } = await ask(paperId, q, big);
			expect(response.status).toBe(200);
			expect(big.lastSearchWork).toBeLessThanOrEqual(QUERY_WORK_LIMIT * (1 + HITS_SHARE));
		}
	});
});
