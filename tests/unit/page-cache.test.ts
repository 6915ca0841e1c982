import { describe, expect, it } from 'vitest';
import {
	ByteLruCache,
	DEFAULT_PAGE_CACHE_BYTES,
	PageCache,
	pageCacheBytes,
	type PageRequest
} from '../../src/lib/server/page-cache.ts';

/** A GET of a page as SvelteKit routes it. */
function pageRequest(path: string, routeId: string | null = '/search'): PageRequest {
	return {
		method: 'GET',
		url: new URL(`http://localhost${path}`),
		routeId,
		isDataRequest: false
	};
}

/**
 * A server that renders a page naming the build and the URL, counting its renders; `status`
 * gives the status of the next renders.
 */
function fakeServer() {
	const server = {
		renders: 0,
		status: 200,
		etag: null as string | null,
		build: { id: 'build-1' } as { id: string } | null,
		cache: new PageCache(DEFAULT_PAGE_CACHE_BYTES),
		async get(request: PageRequest) {
			const build = server.build;
			const served = await server.cache.serve(
				request,
				async () => build,
				async () => {
					server.renders++;
					return new Response(`<p>${build?.id ?? 'no build'} ${request.url.search}</p>`, {
						status: server.status,
						headers: {
							'content-type': 'text/html',
							'x-render': String(server.renders),
							...(server.etag ? { etag: server.etag } : {})
						}
					});
				}
			);
			return { ...served, text: await served.response.text() };
		}
	};
	return server;
}

describe('PageCache', () => {
	it('sends a page rendered once to the readers after, byte for byte with its headers', async () => {
		const server = fakeServer();
		server.etag = '"v1"';
		const first = await server.get(pageRequest('/search?q=saliency'));
		const second = await server.get(pageRequest('/search?q=saliency'));
		expect(server.renders).toBe(1);
		expect(first.cached).toBe(false);
		expect(second.cached).toBe(true);
		expect(second.text).toBe(first.text);
		expect(second.response.headers.get('content-type')).toBe('text/html');
		expect(second.response.headers.get('x-render')).toBe('1');
		// SvelteKit answers 304 from it to a reader who holds the page.
		expect(second.response.headers.get('etag')).toBe('"v1"');
	});

	it('serves the new build fresh once the build is switched', async () => {
		const server = fakeServer();
		await server.get(pageRequest('/search?q=saliency'));
		server.build = { id: 'build-2' };
		const after = await server.get(pageRequest('/search?q=saliency'));
		expect(after.text).toContain('build-2');
		expect(after.cached).toBe(false);
	});

	it('never gives two different queries the same answer', async () => {
		const server = fakeServer();
		const paths = ['/search?q=saliency', '/search?q=saliency+maps', '/search?q=Saliency'];
		for (const path of paths) await server.get(pageRequest(path));
		for (const path of paths) {
			const again = await server.get(pageRequest(path));
			expect(again.text).toContain(new URL(`http://x${path}`).search);
		}
		expect(server.renders).toBe(paths.length);
	});

	it.each([404, 500, 503])('renders a %i again on the next request', async (status) => {
		const server = fakeServer();
		server.status = status;
		await server.get(pageRequest('/papers/x', '/papers/[id]'));
		server.status = 200;
		const next = await server.get(pageRequest('/papers/x', '/papers/[id]'));
		expect(next.response.status).toBe(200);
		expect(server.renders).toBe(2);
	});

	it('keeps nothing while no build is loaded', async () => {
		const server = fakeServer();
		server.build = null;
		await server.get(pageRequest('/search?q=saliency'));
		await server.get(pageRequest('/search?q=saliency'));
		expect(server.renders).toBe(2);
	});

	it('renders every time what is not a shared page: other routes, data requests, HEAD', async () => {
		const server = fakeServer();
		const requests: PageRequest[] = [
			pageRequest('/api/search?q=x', '/api/search'),
			pageRequest('/readyz', '/readyz'),
			// The home page tells how the first run's PDF fetching goes, which no build records.
			pageRequest('/', '/'),
			pageRequest('/nowhere', null),
			{ ...pageRequest('/search?q=x'), isDataRequest: true },
			{ ...pageRequest('/search?q=x'), method: 'HEAD' }
		];
		for (const request of [...requests, ...requests]) await server.get(request);
		expect(server.renders).toBe(requests.length * 2);
	});

	it('stays within its byte bound, evicting the page used least recently', async () => {
		const server = fakeServer();
		// Room for about two pages (a page is a few dozen bytes, plus 1 KB counted per entry).
		server.cache = new PageCache(2_500);
		await server.get(pageRequest('/search?q=a'));
		await server.get(pageRequest('/search?q=b'));
		await server.get(pageRequest('/search?q=a'));
		await server.get(pageRequest('/search?q=c'));
		expect(server.renders).toBe(3);
		expect((await server.get(pageRequest('/search?q=a'))).cached).toBe(true);
		expect((await server.get(pageRequest('/search?q=b'))).cached).toBe(false);
	});

	it('is off when its bound is zero', async () => {
		const server = fakeServer();
		server.cache = new PageCache(0);
		await server.get(pageRequest('/search?q=a'));
		await server.get(pageRequest('/search?q=a'));
		expect(server.renders).toBe(2);
	});
});

describe('ByteLruCache', () => {
	it('never holds more bytes than its bound, and refuses an entry larger than it', () => {
		const cache = new ByteLruCache<string>(100);
		for (let i = 0; i < 50; i++) {
			cache.set(`k${i}`, 'v', 7 + (i % 30));
			expect(cache.bytes).toBeLessThanOrEqual(100);
		}
		cache.set('huge', 'v', 101);
		expect(cache.get('huge')).toBeUndefined();
	});
});

describe('pageCacheBytes', () => {
	it('reads PAGE_CACHE_BYTES, 0 turning the cache off, and ignores nonsense', () => {
		expect(pageCacheBytes({ PAGE_CACHE_BYTES: '0' })).toBe(0);
		expect(pageCacheBytes({ PAGE_CACHE_BYTES: '1048576' })).toBe(1_048_576);
		expect(pageCacheBytes({ PAGE_CACHE_BYTES: 'lots' })).toBe(DEFAULT_PAGE_CACHE_BYTES);
		expect(pageCacheBytes({})).toBe(DEFAULT_PAGE_CACHE_BYTES);
	});
});
