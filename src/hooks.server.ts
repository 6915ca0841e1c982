import { dev } from '$app/environment';
import { env } from '$env/dynamic/private';
import type { HandleServerError, ServerInit } from '@sveltejs/kit';

/**
 * Without ORIGIN, adapter-node takes the address from the request and assumes https, so canonical
 * links, the sitemap and the feed may name an address nobody can reach: say so once at start.
 */
export const init: ServerInit = () => {
	if (!dev && !env.ORIGIN) {
		console.warn(
			'glassbox: ORIGIN is not set, so canonical links, the sitemap, the feed and /data/catalog.json name https://<host of each request>; set ORIGIN to the public address (e.g. ORIGIN=https://imimic.example.org)'
		);
	}
};

/** Unexpected errors are logged with their stack and shown to users without internals. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404)
		console.error(`glassbox: ${event.request.method} ${event.url.pathname}:`, error);
	return { message: status === 404 ? 'Not found' : message };
};
