import { describe, expect, it } from 'vitest';
import { parseSearchParams, searchParams, SearchParamError } from '../../src/lib/search/params.ts';
import { parseQuery } from '../../src/lib/search/query.ts';
import { filler, makeEngine } from './search-fixtures.ts';

const ids = (response: { hits: { id: string }[] }) => response.hits.map((hit) => hit.id);

const engine = makeEngine([
	{
		id: 'phrase',
		title: 'Explaining classifiers',
		authors: ['Ana Reyes', 'Li Wei'],
		year: 2025,
		type: 'oral',
		topics: [{ id: 'uncertainty' }],
		pages: [
			filler(80, 1) + ' the class activation map shows the lesion. ' + filler(80, 2),
			filler(100, 3)
		]
	},
	{
		id: 'scattered',
		title: 'Activation functions',
		authors: ['Tom Becker'],
		year: 2024,
		type: 'poster',
		topics: [{ id: 'visualization' }, { id: 'grad-cam', facet: 'method' }],
		pages: [
			filler(50, 4) +
				' class imbalance. ' +
				filler(60, 5) +
				' a map of the activation. ' +
				filler(40, 6)
		]
	},
	{
		id: 'prototype',
		title: 'Prototype learning for dermatology',
		authors: ['Ana Torres'],
		year: 2023,
		type: 'oral',
		award: 'Best paper',
		topics: [{ id: 'prototypes', facet: 'method' }, { id: 'uncertainty' }],
		pages: [filler(100, 7) + ' prototypes of skin lesions ' + filler(50, 8)]
	}
]);
const search = (q: string, extra = {}) => engine.search(searchParams({ q, ...extra }));

describe('query language', () => {
	it('checks a quoted phrase against the page text, not mere co-occurrence', () => {
		const response = search('"class activation map"');
		expect(ids(response)).toEqual(['phrase']);
		expect(response.hits[0].pages).toEqual([1]);
		expect(response.hits[0].snippets[0].text).toContain('<mark>class activation map</mark>');
	});

	it('finds a quoted phrase made only of stop words where it literally occurs', () => {
		const response = search('"of the"');
		expect(ids(response)).toEqual(['scattered']);
		expect(response.hits[0].pages).toEqual([1]);
		expect(response.hits[0].snippets[0].text).toContain('<mark>of the</mark>');
		expect(ids(search('"the of"'))).toEqual([]);
	});

	it('without quotes finds both papers holding the words', () => {
		expect(ids(search('class activation map')).sort()).toEqual(['phrase', 'scattered']);
	});

	it('excludes papers with -word', () => {
		expect(ids(search('activation -imbalance'))).toEqual(['phrase']);
		expect(ids(search('lesions -"skin lesions"'))).toEqual(['phrase']);
	});

	it('matches either side of OR', () => {
		expect(ids(search('dermatology OR imbalance')).sort()).toEqual(['prototype', 'scattered']);
	});

	it('restricts words to a field: author:, title:', () => {
		expect(ids(search('author:reyes'))).toEqual(['phrase']);
		expect(ids(search('author:ana')).sort()).toEqual(['phrase', 'prototype']);
		expect(ids(search('title:activation'))).toEqual(['scattered']);
	});

	it('filters with topic:, method:, year:, type:', () => {
		expect(ids(search('topic:uncertainty')).sort()).toEqual(['phrase', 'prototype']);
		expect(ids(search('method:grad-cam'))).toEqual(['scattered']);
		expect(ids(search('year:2023'))).toEqual(['prototype']);
		expect(ids(search('type:oral lesion')).sort()).toEqual(['phrase', 'prototype']);
	});

	it('tolerates typos in long words but not in short ones', () => {
		expect(ids(search('dermatolgy'))).toEqual(['prototype']);
		expect(ids(search('tom'))).toEqual(['scattered']);
		expect(ids(search('tim'))).toEqual([]);
	});

	it('takes two swapped letters for one typo, in the page text and in the metadata', () => {
		// "lesions" is only in the pages, "Becker" only in an author list.
		expect(ids(search('lesoins')).sort()).toEqual(['phrase', 'prototype']);
		expect(ids(search('author:bekcer'))).toEqual(['scattered']);
		expect(search('lesoins').suggestion).toBe('lesions');
		expect(search('bekcer').suggestion).toBe('becker');
	});

	it('suggests words as the papers write them, not the stems they are indexed by', () => {
		// "Reyes" is indexed as "reye", "lesions" as "lesion": neither stem is a word to offer.
		expect(search('author:reyse').suggestion).toBe('author:reyes');
		expect(search('lesoin').suggestion).toBe('lesion');
		expect(search('lesoins').suggestion).toBe('lesions');
	});

	it('suggests a correction from the index vocabulary', () => {
		expect(search('dermatolgy').suggestion).toBe('dermatology');
		expect(search('dermatology').suggestion).toBeNull();
	});

	it.each([
		'"unbalanced',
		'OR',
		'-',
		'- -- OR OR',
		'author:',
		'"',
		':::',
		'((',
		'title:"',
		'<script>',
		'\u0000',
		'a'.repeat(5000)
	])('never fails on odd input: %s', (q) => {
		const response = search(q);
		// Whatever the text, the answer is consistent: as many hits as it counts (three papers,
		// fewer than a page), each an indexed paper once, and no markup from the query in them.
		expect(response.query).toBe(q);
		expect(response.hits).toHaveLength(response.total);
		expect(new Set(ids(response)).size).toBe(response.total);
		for (const id of ids(response)) expect(['phrase', 'scattered', 'prototype']).toContain(id);
		expect(JSON.stringify(response.hits)).not.toContain('<script>');
	});

	it('parses fields, phrases, exclusions and OR', () => {
		const parsed = parseQuery('author:reyes "saliency map" -noise year:2025 lesion OR tumour');
		expect(parsed.filters).toEqual([{ field: 'year', value: '2025' }]);
		expect(parsed.excluded).toEqual([
			{ kind: 'term', token: 'noise', field: null, acronym: false }
		]);
		expect(parsed.clauses[0]).toEqual({
			kind: 'term',
			token: 'reyes',
			field: 'authors',
			acronym: false
		});
		expect(parsed.clauses[1]).toEqual({ kind: 'phrase', tokens: ['saliency', 'map'], field: null });
		expect(parsed.clauses[2]).toEqual({
			kind: 'or',
			children: [
				{ kind: 'term', token: 'lesion', field: null, acronym: false },
				{ kind: 'term', token: 'tumour', field: null, acronym: false }
			]
		});
	});
});

describe('facets', () => {
	it('counts within the query, OR within a facet and AND across facets', () => {
		const all = search('', { topic: ['uncertainty'] });
		expect(ids(all).sort()).toEqual(['phrase', 'prototype']);
		// Topic counts ignore the topic selection itself, so other topics stay selectable.
		expect(all.facets.topic).toMatchObject({ uncertainty: 2, visualization: 1 });
		// Other facets count only papers passing the topic selection.
		expect(all.facets.type).toMatchObject({ oral: 2, poster: 0 });
		const either = search('', { topic: ['uncertainty', 'visualization'] });
		expect(either.total).toBe(3);
		const both = search('', { topic: ['uncertainty'], type: ['poster'] });
		expect(both.total).toBe(0);
	});

	it('keeps zero-count values listed', () => {
		const response = search('dermatology');
		expect(response.facets.topic.visualization).toBe(0);
		expect(response.facets.method).toMatchObject({ prototypes: 1, 'grad-cam': 0 });
	});

	it('filters by award and sorts by year', () => {
		expect(ids(search('', { award: true }))).toEqual(['prototype']);
		const byYear = search('lesion', { sort: 'year' });
		expect(byYear.hits.map((hit) => hit.year)).toEqual(
			[...byYear.hits.map((hit) => hit.year)].sort((a, b) => b - a)
		);
	});
});

describe('parseSearchParams', () => {
	it('accepts type=paper, the type of a paper whose presentation format is not recorded', () => {
		expect(parseSearchParams(new URLSearchParams('type=paper')).type).toEqual(['paper']);
	});

	it('reads every parameter', () => {
		const params = parseSearchParams(
			new URLSearchParams(
				'q=grad&topic=uncertainty&topic=visualization&year=2025&type=oral&award=true&sort=year&limit=5&offset=10'
			)
		);
		expect(params).toMatchObject({
			q: 'grad',
			topic: ['uncertainty', 'visualization'],
			year: [2025],
			type: ['oral'],
			award: true,
			sort: 'year',
			limit: 5,
			offset: 10
		});
	});

	it.each([
		['limit=abc', 'limit'],
		['limit=0', 'limit'],
		['limit=1000', 'limit'],
		['offset=-1', 'offset'],
		['year=twenty', 'year'],
		['type=talk', 'type'],
		['sort=random', 'sort'],
		['topic=%3Cscript%3E', 'topic']
	])('refuses %s with a message naming %s', (query, param) => {
		expect(() => parseSearchParams(new URLSearchParams(query))).toThrow(SearchParamError);
		expect(() => parseSearchParams(new URLSearchParams(query))).toThrow(new RegExp(`^${param}: `));
	});
});
