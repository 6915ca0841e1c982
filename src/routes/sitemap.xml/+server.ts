import { sitemapUrls, sitemapXml } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

export const GET = (async () => {
	const store = await requireStore();
	const urls = sitemapUrls(store.catalog, store.catalog.authors, publicOrigin());
	return new Response(sitemapXml(urls, store.catalog.builtAt), {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
}) satisfies RequestHandler;
