import { beforeAll, describe, expect, it } from 'vitest';
import { WorkBudget } from '../../src/lib/search/budget.ts';
import { buildIndexData, type IndexData } from '../../src/lib/search/index-data.ts';
import { MetadataSearch } from '../../src/lib/search/metadata-search.ts';
import { indexTerms } from '../../src/lib/text/normalise.ts';
import { syntheticCorpus } from '../fixtures/search-corpus.ts';

const corpus = syntheticCorpus({ papers: 300, wordsPerPaper: 1000, seed: 11 });
const FIELDS = [null, 'title', 'abstract', 'keywords', 'authors'] as const;
let data: IndexData;
let metadata: MetadataSearch;
/** Common words (in many papers' metadata) and rare ones, as index terms. */
let terms: string[];

/** MiniSearch's own exact search of a term, as paper indexes and scores in its order. */
function searchedByMiniSearch(term: string, field: (typeof FIELDS)[number]) {
	const paperIndex = new Map(data.paperIds.map((id, p) => [id, p]));
	const results = data.metadata.search(term, {
		fields: field ? [field] : undefined,
		prefix: false,
		fuzzy: false
	});
	return {
		papers: results.map((result) => paperIndex.get(result.id as string)!),
		scores: results.map((result) => result.score)
	};
}

beforeAll(() => {
	data = buildIndexData(corpus.docs);
	metadata = new MetadataSearch(data.metadata, data.paperIds, new WorkBudget(Infinity));
	const words = [
		...corpus.vocabulary.words.slice(0, 30),
		...corpus.vocabulary.words.slice(800, 830)
	];
	terms = [...new Set(words.flatMap((word) => indexTerms(word)))];
});

describe('MetadataSearch', () => {
	it('finds the papers holding every word of a phrase as its searches of each word do', () => {
		let found = 0;
		for (let i = 0; i + 2 < terms.length; i++) {
			for (const group of [
				[terms[i], terms[i + 1]],
				[terms[i], terms[i + 1], terms[i + 2]]
			]) {
				for (const field of FIELDS) {
					const searched = group
						.map((term) => new Set(searchedByMiniSearch(term, field).papers))
						.reduce((all, papers) => new Set([...all].filter((p) => papers.has(p))));
					const held = metadata.papersHoldingAll(group, field);
					expect(new Set(held), `${field}: ${group.join(' ')}`).toEqual(searched);
					expect(held.length).toBe(searched.size);
					found += held.length;
				}
			}
		}
		// The common words share papers: the comparison is not of empty sets only.
		expect(found).toBeGreaterThan(0);
	});

	it('searches a word as MiniSearch does: the same papers in the same order, the same scores', () => {
		let searched = 0;
		for (const term of terms) {
			for (const field of FIELDS) {
				const expected = searchedByMiniSearch(term, field);
				const { papers, scores, terms: matched } = metadata.exact(term, field);
				// Equal to the last bit, and in MiniSearch's order ("did you mean" reads the first papers).
				expect([...papers], `${field}: ${term}`).toEqual(expected.papers);
				expect([...scores], `${field}: ${term}`).toEqual(expected.scores);
				expect(matched).toEqual(expected.papers.length ? [term] : []);
				searched += papers.length;
			}
		}
		expect(searched).toBeGreaterThan(0);
	});

	it("scores a word on chosen papers exactly as MiniSearch's search of it scores them", () => {
		const everyPaper = data.paperIds.map((_, p) => p);
		let scored = 0;
		for (const term of terms) {
			for (const field of FIELDS) {
				const expected = searchedByMiniSearch(term, field);
				const searched = new Float64Array(everyPaper.length);
				expected.papers.forEach((p, i) => (searched[p] = expected.scores[i]));
				const computed = new Float64Array(everyPaper.length);
				const matched = new Set<number>();
				const added = metadata.addExactScores(term, field, everyPaper, computed, (p) =>
					matched.add(p)
				);
				expect(added).toBe(true);
				expect([...computed], `${field}: ${term}`).toEqual([...searched]);
				expect(matched).toEqual(new Set(expected.papers));
				scored += expected.papers.length;
			}
		}
		expect(scored).toBeGreaterThan(0);
	});

	it('scores only the papers it is given', () => {
		const term = terms.find((candidate) => metadata.exact(candidate, null).papers.length > 2)!;
		const [first, second] = metadata.exact(term, null).papers;
		const out = new Float64Array(data.paperIds.length);
		metadata.addExactScores(term, null, [first], out, () => {});
		expect(out[first]).toBeGreaterThan(0);
		expect(out[second]).toBe(0);
	});
});
