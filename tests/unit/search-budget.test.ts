import { beforeAll, describe, expect, it } from 'vitest';
import { HITS_SHARE, QUERY_WORK_LIMIT, WorkBudget } from '../../src/lib/search/budget.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { buildIndexData, type IndexData } from '../../src/lib/search/index-data.ts';
import { MetadataSearch } from '../../src/lib/search/metadata-search.ts';
import { indexTerms } from '../../src/lib/text/normalise.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import {
	MAX_PHRASE_WORDS,
	MAX_QUERY_LENGTH,
	MAX_QUERY_TERMS,
	parseQuery
} from '../../src/lib/search/query.ts';
import type { SearchResponse } from '../../src/lib/types.ts';
import { hostileQueries, type HostileQuery } from '../fixtures/hostile-queries.ts';
import { makeQueries, syntheticCorpus } from '../fixtures/search-corpus.ts';

// A corpus with stop words and single letters in its text, like English: what phrases of them
// (`"a b"`) are checked against.
const corpus = syntheticCorpus({ papers: 200, wordsPerPaper: 2000, filler: 0.3, seed: 5 });
const hostile = hostileQueries(corpus.vocabulary);
let data: IndexData;
let engine: SearchEngine;
/** Work units each hostile query spends with no budget at all. */
const unbounded = new Map<string, number>();

beforeAll(() => {
	data = buildIndexData(corpus.docs);
	engine = new SearchEngine(data, corpus.catalog);
	for (const { name, q } of hostile) {
		engine.search(searchParams({ q }), Infinity);
		unbounded.set(name, engine.lastSearchWork);
	}
}, 300_000);

describe('the work budget of a search', () => {
	it('includes the query of many quoted two-letter phrases', () => {
		expect(hostile.map((query) => query.q)).toContainEqual(
			expect.stringMatching(/^"a b" "a c" "a d"/)
		);
	});

	it.each(hostile)('holds for $name', ({ name, q }: HostileQuery) => {
		// A budget a tenth of what the query would spend unbounded: it must be what stops it.
		const limit = Math.floor(unbounded.get(name)! / 10);
		const response = engine.search(searchParams({ q }), limit);
		expect(response.partial).toBe(true);
		// The hits have their share on top; what is done anyway past the limit (a pass over the
		// papers per clause, the papers of the last metadata search) is bounded by the parser.
		expect(engine.lastSearchWork).toBeLessThanOrEqual(limit * (1 + HITS_SHARE) + 50_000);
	});

	it('keeps every hostile query within the default budget', () => {
		for (const { q } of hostile) {
			engine.search(searchParams({ q }));
			expect(engine.lastSearchWork).toBeLessThanOrEqual(QUERY_WORK_LIMIT * (1 + HITS_SHARE));
		}
	});

	it('never cuts an ordinary query short', () => {
		const queries = Object.values(makeQueries(corpus, 20)).flat();
		for (const q of queries) expect(engine.search(searchParams({ q })).partial, q).toBe(false);
	});

	it('returns what was found before the budget ran out', () => {
		// Rare words, each in a few papers: the more of them are paid for, the more papers match.
		const q = corpus.vocabulary.words.slice(3000, 3030).join(' OR ');
		const found = (response: SearchResponse) => response.hits.map((hit) => hit.id);
		// The work of the search proper (one hit, whose snippets cost little), its lookups cached.
		engine.search(searchParams({ q, limit: 1 }), Infinity);
		const full = engine.search(searchParams({ q, limit: 1 }), Infinity);
		const work = engine.lastSearchWork;
		const fullIds = [0, 100, 200].flatMap((offset) =>
			found(engine.search(searchParams({ q, limit: 100, offset }), Infinity))
		);
		const cut = engine.search(searchParams({ q, limit: 100 }), work / 3);
		expect(cut.partial).toBe(true);
		expect(full.partial).toBe(false);
		expect(cut.total).toBeGreaterThan(0);
		expect(cut.total).toBeLessThan(full.total);
		expect(fullIds).toEqual(expect.arrayContaining(found(cut)));
	});

	it('checks only the first two phrases of stop words or single letters', () => {
		const [first, second, third] = ['"a b"', '"of the"', '"in a"'];
		const two = engine.search(searchParams({ q: `${first} ${second}` }), Infinity);
		expect(two.partial).toBe(false);
		const three = engine.search(searchParams({ q: `${first} ${second} ${third}` }), Infinity);
		expect(three.partial).toBe(true);
		// The third is left out: it requires nothing.
		expect(three.total).toBe(two.total);
	});
});

describe('a query of very common words', () => {
	// A fresh engine per search: nothing cached from an earlier search pays for this one, as on
	// a server that has not seen these words yet.
	const freshSearch = (q: string, limit: number) => {
		const fresh = new SearchEngine(data, corpus.catalog);
		const response = fresh.search(searchParams({ q }), limit);
		return { response, work: fresh.lastSearchWork };
	};
	const common = corpus.vocabulary.words.slice(0, 8);

	it.each([
		['three of the most frequent words', common.slice(0, 3).join(' ')],
		['frequent words between stop words', `the ${common[0]} of the ${common[1]}`],
		['eight of the most frequent words', common.join(' ')]
	])('still finds papers for %s when the budget cannot pay for all of it', (_, q) => {
		const { work } = freshSearch(q, Infinity);
		// A tenth of what the whole query costs: as on a corpus ten times the size of this one.
		const { response } = freshSearch(q, work / 10);
		expect(response.partial).toBe(true);
		expect(response.total).toBeGreaterThan(0);
		expect(response.hits.length).toBeGreaterThan(0);
	});

	it('counts the papers holding a word as a search of the metadata finds them, for free', () => {
		const budget = new WorkBudget(Infinity);
		const metadata = new MetadataSearch(data.metadata, data.paperIds, budget);
		const words = [
			...corpus.vocabulary.words.slice(0, 40),
			...corpus.vocabulary.words.slice(3000, 3040)
		];
		for (const term of words.flatMap((word) => indexTerms(word))) {
			for (const field of [null, 'title', 'abstract', 'keywords', 'authors'] as const) {
				const spentBefore = budget.spent;
				const counted = metadata.documentFrequency(term, field);
				expect(budget.spent).toBe(spentBefore);
				expect(counted, `${field}:${term}`).toBe(metadata.exact(term, field).papers.length);
			}
		}
	});

	it('spends a short budget on the rare word of the query before the common ones', () => {
		const rare = corpus.vocabulary.words[3000];
		const withRare = new Set(freshSearch(rare, Infinity).response.hits.map((hit) => hit.id));
		expect(withRare.size).toBeGreaterThan(0);
		// The rare word typed last, where the common words before it would have spent the budget.
		const q = `${common.join(' ')} ${rare}`;
		const { work } = freshSearch(q, Infinity);
		const { response } = freshSearch(q, work / 10);
		expect(response.partial).toBe(true);
		expect(withRare.has(response.hits[0]?.id)).toBe(true);
	});
});

describe('the query parser bounds', () => {
	it('reads at most 32 words and phrases, and says the rest was left out', () => {
		const words = corpus.vocabulary.words.slice(100, 200);
		const parsed = parseQuery(words.slice(0, 60).join(' '));
		expect(parsed.clauses).toHaveLength(MAX_QUERY_TERMS);
		expect(parsed.truncated).toBe(true);
		expect(parseQuery(words.slice(0, MAX_QUERY_TERMS).join(' ')).truncated).toBe(false);
		// OR'ed and excluded words count alike.
		const ored = parseQuery(words.slice(0, 60).join(' OR '));
		expect(ored.clauses).toHaveLength(1);
		expect(ored.clauses[0].kind === 'or' && ored.clauses[0].children).toHaveLength(MAX_QUERY_TERMS);
		const excluded = parseQuery(
			words
				.slice(0, 60)
				.map((word) => `-${word}`)
				.join(' ')
		);
		expect(excluded.excluded).toHaveLength(MAX_QUERY_TERMS);
	});

	it('reads at most 12 words of a phrase and 500 characters of a query', () => {
		const words = corpus.vocabulary.words.slice(100, 130);
		const [phrase] = parseQuery(`"${words.join(' ')}"`).clauses;
		expect(phrase.kind === 'phrase' && phrase.tokens).toEqual(words.slice(0, MAX_PHRASE_WORDS));
		const long = parseQuery(`${'x'.repeat(MAX_QUERY_LENGTH - 2)} ${words[0]}`);
		expect(long.truncated).toBe(true);
		expect(long.clauses.map((clause) => clause.kind === 'term' && clause.token)).not.toContain(
			words[0]
		);
	});

	it('marks a search of a longer query partial in its answer', () => {
		const words = corpus.vocabulary.words.slice(100, 200);
		expect(engine.search(searchParams({ q: words.slice(0, 60).join(' ') })).partial).toBe(true);
		expect(engine.search(searchParams({ q: words.slice(0, 5).join(' ') })).partial).toBe(false);
	});
});
