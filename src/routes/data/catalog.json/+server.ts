import { json } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { openDataCatalog, siteOrigin } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import type { RequestHandler } from './$types';

/** The whole catalog as open data, described by /catalog.schema.json. */
export const GET = (async ({ url }) => {
	const store = await requireStore();
	const data = openDataCatalog(store.catalog, store.catalog.authors, siteOrigin(url, env.ORIGIN));
	return json(data, {
		headers: {
			'cache-control': 'public, max-age=300',
			'access-control-allow-origin': '*',
			etag: `"${store.buildId}"`
		}
	});
}) satisfies RequestHandler;
