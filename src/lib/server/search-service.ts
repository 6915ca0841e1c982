/**
 * Searches of the live build, through a bounded cache of whole answers. The same few queries
 * come back again and again (links, the home page's topics, a reader paging through results);
 * each costs the engine milliseconds of the one event loop. A cache belongs to one build, so a
 * new build starts with an empty one and no answer outlives the index it came from.
 *
 * A partial answer (a query whose work budget ran out) is kept like any other, here and in the
 * page cache: asking a hostile query again then costs nothing, which matters more than the
 * chance that, with the engine's lookups warm, a second run would have found more.
 */
import type { SearchParams, SearchResponse } from '../types.ts';
import type { Store } from './store.ts';

/** A least-recently-used map with a fixed number of entries. */
export class LruCache<Value> {
	readonly #entries = new Map<string, Value>();

	constructor(readonly capacity: number) {}

	get size(): number {
		return this.#entries.size;
	}

	get(key: string): Value | undefined {
		const value = this.#entries.get(key);
		if (value === undefined) return undefined;
		// A Map keeps insertion order: re-inserting moves the entry to the young end.
		this.#entries.delete(key);
		this.#entries.set(key, value);
		return value;
	}

	set(key: string, value: Value): void {
		this.#entries.delete(key);
		this.#entries.set(key, value);
		if (this.#entries.size > this.capacity) {
			this.#entries.delete(this.#entries.keys().next().value!);
		}
	}
}

/**
 * The parameters with the query's white space collapsed and every filter list in one order:
 * requests that must get the same answer get the same parameters, hence the same cache key.
 */
export function normaliseSearchParams(params: SearchParams): SearchParams {
	const sorted = <T extends string | number>(values: T[]) =>
		[...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return {
		...params,
		q: params.q.trim().replace(/\s+/g, ' '),
		topic: sorted(params.topic),
		method: sorted(params.method),
		edition: sorted(params.edition),
		year: sorted(params.year),
		type: sorted(params.type)
	};
}

/** The cache key of normalised parameters. */
export function searchCacheKey(params: SearchParams): string {
	return JSON.stringify([
		params.q,
		params.topic,
		params.method,
		params.edition,
		params.year,
		params.type,
		params.award,
		params.sort,
		params.limit,
		params.offset
	]);
}

/** Answers kept per build: at ~10–30 KB each, a few megabytes at most. */
export const DEFAULT_SEARCH_CACHE_ENTRIES = 500;

/** `SEARCH_CACHE_ENTRIES` from the environment (0 turns the cache off), else the default. */
export function searchCacheEntries(env: Record<string, string | undefined> = process.env): number {
	const configured = Number(env.SEARCH_CACHE_ENTRIES);
	return env.SEARCH_CACHE_ENTRIES?.trim() && Number.isInteger(configured) && configured >= 0
		? configured
		: DEFAULT_SEARCH_CACHE_ENTRIES;
}

const caches = new WeakMap<Store, LruCache<SearchResponse>>();

const serialised = new WeakMap<SearchResponse, string>();

/** An answer as JSON, serialised once however often it is sent (about 20 KB for 20 hits). */
export function searchResponseJson(response: SearchResponse): string {
	let json = serialised.get(response);
	if (json === undefined) serialised.set(response, (json = JSON.stringify(response)));
	return json;
}

/** A search answer and whether it came from the cache. */
export interface ServedSearch {
	response: SearchResponse;
	cached: boolean;
}

/**
 * Runs a search on a store's engine, or returns the answer it gave to the same normalised
 * parameters before. Answers are shared between requests: callers must not modify them.
 */
export function searchStore(store: Store, params: SearchParams): ServedSearch {
	const normalised = normaliseSearchParams(params);
	const capacity = searchCacheEntries();
	if (capacity === 0) return { response: store.engine.search(normalised), cached: false };
	let cache = caches.get(store);
	if (!cache) caches.set(store, (cache = new LruCache(capacity)));
	const key = searchCacheKey(normalised);
	const hit = cache.get(key);
	if (hit) return { response: hit, cached: true };
	const response = store.engine.search(normalised);
	cache.set(key, response);
	return { response, cached: false };
}
