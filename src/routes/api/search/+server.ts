import { json } from '@sveltejs/kit';
import { parseSearchParams, SearchParamError } from '$lib/search/params';
import { requireStore } from '$lib/server/require-store';
import { searchResponseJson, searchStore } from '$lib/server/search-service';
import type { RequestHandler } from './$types';

/** `GET /api/search?q=&topic=&method=&edition=&year=&type=&award=&sort=&limit=&offset=` */
export const GET: RequestHandler = async ({ url, locals }) => {
	let params;
	try {
		params = parseSearchParams(url.searchParams);
	} catch (cause) {
		if (cause instanceof SearchParamError) {
			return json({ error: cause.message, param: cause.param }, { status: 400 });
		}
		throw cause;
	}
	const { response, cached } = searchStore(await requireStore(), params);
	locals.searchCached = cached;
	return new Response(searchResponseJson(response), {
		headers: { 'content-type': 'application/json' }
	});
};
