import { json } from '@sveltejs/kit';
import { openDataCatalog } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/** The whole catalog as open data, described by /catalog.schema.json. */
export const GET = (async () => {
	const store = await requireStore();
	const data = openDataCatalog(store.catalog, store.catalog.authors, publicOrigin());
	return json(data, {
		headers: {
			'cache-control': 'public, max-age=300',
			'access-control-allow-origin': '*',
			etag: `"${store.buildId}"`
		}
	});
}) satisfies RequestHandler;
