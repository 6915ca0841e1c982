import type { RequestHandler } from './$types';

/** Liveness: the process answers requests. Never looks at the build (see /readyz for that). */
export const GET = (() =>
	new Response('ok\n', {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	})) satisfies RequestHandler;
