/**
 * Rendered HTML of the pages that are the same for every reader (search results, papers,
 * topics, authors, editions), kept per build in a least-recently-used cache bounded in bytes.
 * Rendering one costs 8–10 ms of the one event loop (measured under `npm run bench:load`), the
 * same pages are asked for again and again, and nothing in them depends on who asks: there are
 * no cookies or sessions, and the CSP uses hashes, not per-response nonces. A cache belongs to
 * one build, so a new build is served fresh, and only complete 200 answers are kept.
 */

/** One stored answer: what is needed to send it again byte for byte. */
export interface StoredPage {
	status: number;
	headers: [string, string][];
	body: Uint8Array<ArrayBuffer>;
}

/** A least-recently-used map whose entries together stay under a number of bytes. */
export class ByteLruCache<Value> {
	readonly #entries = new Map<string, { value: Value; bytes: number }>();
	#bytes = 0;

	constructor(readonly maxBytes: number) {}

	/** Bytes held by all entries. */
	get bytes(): number {
		return this.#bytes;
	}

	get size(): number {
		return this.#entries.size;
	}

	get(key: string): Value | undefined {
		const entry = this.#entries.get(key);
		if (entry === undefined) return undefined;
		// A Map keeps insertion order: re-inserting moves the entry to the young end.
		this.#entries.delete(key);
		this.#entries.set(key, entry);
		return entry.value;
	}

	/** Stores a value of `bytes` bytes, evicting the oldest; one larger than the bound is not kept. */
	set(key: string, value: Value, bytes: number): void {
		this.delete(key);
		if (bytes > this.maxBytes) return;
		this.#entries.set(key, { value, bytes });
		this.#bytes += bytes;
		for (const [oldest, entry] of this.#entries) {
			if (this.#bytes <= this.maxBytes) break;
			this.#entries.delete(oldest);
			this.#bytes -= entry.bytes;
		}
	}

	delete(key: string): void {
		const entry = this.#entries.get(key);
		if (entry === undefined) return;
		this.#entries.delete(key);
		this.#bytes -= entry.bytes;
	}
}

/**
 * The routes whose HTML depends only on the URL and the build (SvelteKit route ids). Not the home
 * page: it says how the first run's fetching of PDFs goes, read from a file beside the builds.
 */
export const SHARED_PAGE_ROUTES: ReadonlySet<string> = new Set([
	'/search',
	'/papers/[id]',
	'/topics',
	'/topics/[id]',
	'/authors',
	'/authors/[id]',
	'/editions/[id]',
	'/awards',
	'/map',
	'/help'
]);

/** Default bound of one build's cache: a page is 20–150 KB, so some hundreds of pages. */
export const DEFAULT_PAGE_CACHE_BYTES = 32 * 2 ** 20;

/** Bytes added to each entry for its key, headers and bookkeeping. */
const ENTRY_OVERHEAD = 1024;

/** `PAGE_CACHE_BYTES` from the environment (0 turns the cache off), else the default. */
export function pageCacheBytes(env: Record<string, string | undefined> = process.env): number {
	const configured = Number(env.PAGE_CACHE_BYTES);
	return env.PAGE_CACHE_BYTES?.trim() && Number.isInteger(configured) && configured >= 0
		? configured
		: DEFAULT_PAGE_CACHE_BYTES;
}

/** What the page cache needs to know of a request. */
export interface PageRequest {
	method: string;
	url: URL;
	/** SvelteKit's route id (null: no route matched). */
	routeId: string | null;
	/** A client-side navigation's `__data.json`, which is not HTML. */
	isDataRequest: boolean;
}

/** The cache key of a request, or null when its answer may not be shared. */
export function sharedPageKey(request: PageRequest): string | null {
	if (request.method !== 'GET' || request.isDataRequest) return null;
	if (request.routeId === null || !SHARED_PAGE_ROUTES.has(request.routeId)) return null;
	// The exact path and query: the pages echo the query as typed (the search box, links), so
	// requests that differ in any character never share an answer.
	return request.url.pathname + request.url.search;
}

/** Whether an answer may be stored: a complete 200 with nothing addressed to one client. */
function isShareable(response: Response): boolean {
	return (
		response.status === 200 &&
		!response.headers.has('set-cookie') &&
		!response.headers.has('vary') &&
		!/no-store|private/.test(response.headers.get('cache-control') ?? '')
	);
}

/**
 * A stored page as a new response, its `etag` kept: SvelteKit turns it into a 304 for a client
 * that holds the page, after `handle` has added the page's own headers (a 304 made here would get
 * the strict policy of a body that is not HTML, which the browser then applies to its copy).
 */
function replay(page: StoredPage): Response {
	return new Response(page.body, { status: page.status, headers: page.headers });
}

/** A served page and whether it came from the cache. */
export interface ServedPage {
	response: Response;
	cached: boolean;
}

/** Rendered pages per build: a WeakMap, so a build's cache goes when the build does. */
export class PageCache {
	readonly #caches = new WeakMap<object, ByteLruCache<StoredPage>>();

	constructor(readonly maxBytes: number = pageCacheBytes()) {}

	/**
	 * The answer to a request of a build: the stored one, or `render`'s, stored when it is a
	 * complete 200. `liveBuild` gives the build
	 * served now (asked only for a shareable page), or null while none is loaded: nothing is
	 * stored then.
	 */
	async serve(
		request: PageRequest,
		liveBuild: () => Promise<object | null>,
		render: () => Promise<Response>
	): Promise<ServedPage> {
		const key = this.maxBytes > 0 ? sharedPageKey(request) : null;
		const build = key === null ? null : await liveBuild();
		if (key === null || build === null) return { response: await render(), cached: false };
		let cache = this.#caches.get(build);
		if (!cache) this.#caches.set(build, (cache = new ByteLruCache(this.maxBytes)));
		const stored = cache.get(key);
		if (stored) return { response: replay(stored), cached: true };
		const response = await render();
		if (!isShareable(response)) return { response, cached: false };
		const page: StoredPage = {
			status: response.status,
			headers: [...response.headers],
			body: new Uint8Array(await response.arrayBuffer())
		};
		cache.set(key, page, page.body.byteLength + key.length * 2 + ENTRY_OVERHEAD);
		return { response: replay(page), cached: false };
	}
}
