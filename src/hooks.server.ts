import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { OriginConfigError, publicOrigin } from '$lib/server/origin';
import { PageCache, type ServedPage } from '$lib/server/page-cache';
import { preloadFor } from '$lib/server/preloads';
import { formatErrorLog, formatRequestLog } from '$lib/server/request-log';
import { applySecurityHeaders } from '$lib/server/security-headers';
import { getStore, onLiveBuild } from '$lib/server/store';
import { requestEnded, requestStarted, startPageOneWarmup } from '$lib/server/page-one-warmup';

/**
 * Refuses to start without a valid ORIGIN in production (see server/origin.ts); loads the build
 * and draws, while idle, the page-one JPEGs it lacks (and each new build's).
 */
export const init: ServerInit = () => {
	try {
		publicOrigin();
	} catch (cause) {
		if (!(cause instanceof OriginConfigError)) throw cause;
		// A configuration mistake, not a bug: one line saying what to set, no stack.
		console.error(cause.message);
		process.exit(1);
	}
	onLiveBuild((store) => startPageOneWarmup(store));
	// No build yet is not an error here: the store follows DATA_DIR until the first is published.
	void getStore().catch(() => undefined);
};

/** Seconds a client is asked to wait after a 503 (no build yet, or the server is busy). */
const RETRY_AFTER_SECONDS = '5';

/** Pages that are the same for every reader, rendered once per build (see page-cache.ts). */
const pages = new PageCache();

/** The build served now, or null while there is none (the route then answers 503). */
const liveBuild = () => getStore().catch(() => null);

/**
 * Shared pages from the page cache, security headers on every answer, `Retry-After` on every
 * 503, and one log line per request.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	requestStarted();
	let served: ServedPage;
	try {
		served = await pages.serve(
			{
				method: event.request.method,
				url: event.url,
				routeId: event.route.id,
				isDataRequest: event.isDataRequest
			},
			liveBuild,
			async () => resolve(event, { preload: preloadFor(event.route.id) })
		);
	} finally {
		requestEnded();
	}
	let response = served.response;
	try {
		applySecurityHeaders(response.headers);
	} catch {
		// A response with immutable headers (one passed through from fetch) is copied first.
		response = new Response(response.body, response);
		applySecurityHeaders(response.headers);
	}
	if (response.status === 503 && !response.headers.has('retry-after')) {
		response.headers.set('retry-after', RETRY_AFTER_SECONDS);
	}
	const length = response.headers.get('content-length');
	console.log(
		formatRequestLog({
			method: event.request.method,
			path: event.url.pathname,
			status: response.status,
			ms: performance.now() - started,
			bytes: length === null ? null : Number(length),
			...(event.locals.searchCached === undefined ? {} : { cached: event.locals.searchCached }),
			...(served.cached ? { pageCached: true } : {})
		})
	);
	return response;
};

/**
 * Unexpected errors are logged as one line with their stack and shown to users without
 * internals; expected ones (404, a malformed URL's 400) are only in the request's log line.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status >= 500) {
		console.error(
			formatErrorLog({ method: event.request.method, path: event.url.pathname }, error)
		);
	}
	return { message: status === 404 ? 'Not found' : message };
};
