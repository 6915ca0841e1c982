import { describe, expect, it } from 'vitest';
import { searchParams } from '../../src/lib/search/params.ts';
import {
	DEFAULT_SEARCH_CACHE_ENTRIES,
	LruCache,
	normaliseSearchParams,
	searchCacheEntries,
	searchCacheKey,
	searchResponseJson,
	searchStore
} from '../../src/lib/server/search-service.ts';
import { Store } from '../../src/lib/server/store.ts';
import { makeCorpus, makeEngine, type PaperSpec } from './search-fixtures.ts';

const PAPERS: PaperSpec[] = [
	{ id: 'saliency', title: 'Saliency maps for chest X-rays', pages: ['saliency maps of lungs'] },
	{ id: 'uncertainty', title: 'Uncertainty in segmentation', pages: ['calibrated uncertainty'] }
];

function storeOf(specs: PaperSpec[], buildId: string): Store {
	return new Store('/nowhere', buildId, makeCorpus(specs).catalog, makeEngine(specs));
}

describe('LruCache', () => {
	it('drops the entry used least recently when full', () => {
		const cache = new LruCache<number>(2);
		cache.set('a', 1);
		cache.set('b', 2);
		expect(cache.get('a')).toBe(1);
		cache.set('c', 3);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBe(1);
		expect(cache.get('c')).toBe(3);
		expect(cache.size).toBe(2);
	});
});

describe('normaliseSearchParams', () => {
	it('gives one key to queries that differ only in spacing and in the order of filters', () => {
		const a = searchParams({ q: '  saliency   maps ', year: [2025, 2019], topic: ['b', 'a'] });
		const b = searchParams({ q: 'saliency maps', year: [2019, 2025], topic: ['a', 'b'] });
		expect(searchCacheKey(normaliseSearchParams(a))).toBe(searchCacheKey(normaliseSearchParams(b)));
	});

	it('keeps apart queries that must get different answers', () => {
		const keys = [
			searchParams({ q: 'saliency' }),
			searchParams({ q: 'Saliency OR maps' }),
			searchParams({ q: 'saliency OR maps' }),
			searchParams({ q: 'saliency', offset: 20 }),
			searchParams({ q: 'saliency', limit: 50 }),
			searchParams({ q: 'saliency', sort: 'year' }),
			searchParams({ q: 'saliency', award: true }),
			searchParams({ q: 'saliency', edition: ['x'] }),
			searchParams({ q: 'saliency', type: ['oral'] })
		].map((params) => searchCacheKey(normaliseSearchParams(params)));
		expect(new Set(keys).size).toBe(keys.length);
	});
});

describe('searchStore', () => {
	it('answers a repeated query from the cache with the same results the engine gives', () => {
		const store = storeOf(PAPERS, 'build-1');
		const first = searchStore(store, searchParams({ q: 'saliency maps' }));
		const again = searchStore(store, searchParams({ q: ' saliency  maps' }));
		expect(first.cached).toBe(false);
		expect(again.cached).toBe(true);
		expect(again.response).toEqual(store.engine.search(searchParams({ q: 'saliency maps' })));
		expect(again.response.hits.map((hit) => hit.id)).toEqual(['saliency']);
	});

	it('keeps a partial answer too, so a hostile query asked again costs the engine nothing', () => {
		const store = storeOf(PAPERS, 'build-1');
		const engineSearch = store.engine.search.bind(store.engine);
		let runs = 0;
		// As if the query's work budget had run out: the answer holds what was found, marked partial.
		store.engine.search = (params) => {
			runs++;
			return { ...engineSearch(params), partial: true };
		};
		const first = searchStore(store, searchParams({ q: 'saliency' }));
		const again = searchStore(store, searchParams({ q: 'saliency' }));
		expect(first.response.partial).toBe(true);
		expect(again).toEqual({ response: first.response, cached: true });
		expect(runs).toBe(1);
	});

	it('never answers from a previous build once a new one is served', () => {
		const before = storeOf(PAPERS, 'build-1');
		expect(searchStore(before, searchParams({ q: 'lungs' })).response.total).toBe(1);
		const after = storeOf(
			[...PAPERS, { id: 'lungs', title: 'Lungs again', pages: ['lungs and more lungs'] }],
			'build-2'
		);
		const served = searchStore(after, searchParams({ q: 'lungs' }));
		expect(served.cached).toBe(false);
		expect(served.response.total).toBe(2);
	});
});

describe('searchCacheEntries', () => {
	it('reads SEARCH_CACHE_ENTRIES, where 0 turns the cache off, and ignores nonsense', () => {
		expect(searchCacheEntries({})).toBe(DEFAULT_SEARCH_CACHE_ENTRIES);
		expect(searchCacheEntries({ SEARCH_CACHE_ENTRIES: '0' })).toBe(0);
		expect(searchCacheEntries({ SEARCH_CACHE_ENTRIES: '2000' })).toBe(2000);
		expect(searchCacheEntries({ SEARCH_CACHE_ENTRIES: '-1' })).toBe(DEFAULT_SEARCH_CACHE_ENTRIES);
		expect(searchCacheEntries({ SEARCH_CACHE_ENTRIES: 'lots' })).toBe(DEFAULT_SEARCH_CACHE_ENTRIES);
	});
});

describe('searchResponseJson', () => {
	it('is the JSON of the answer, the same text each time it is asked for', () => {
		const store = storeOf(PAPERS, 'build-1');
		const { response } = searchStore(store, searchParams({ q: 'saliency' }));
		const json = searchResponseJson(response);
		expect(JSON.parse(json)).toEqual(response);
		expect(searchResponseJson(response)).toBe(json);
	});
});
