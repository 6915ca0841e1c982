import { json } from '@sveltejs/kit';
import { notReady, readinessOf } from '$lib/server/readiness';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/** Readiness: 200 with the build served, or 503 with the reason (no build yet, a bad build). */
export const GET = (async () => {
	const headers = { 'cache-control': 'no-store' };
	try {
		return json(readinessOf(await getStore()), { headers });
	} catch (cause) {
		const reason = cause instanceof Error ? cause.message : String(cause);
		return json(notReady(reason), { status: 503, headers });
	}
}) satisfies RequestHandler;
