import { env } from '$env/dynamic/private';
import { siteOrigin, sitemapUrls, sitemapXml } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import type { RequestHandler } from './$types';

export const GET = (async ({ url }) => {
	const store = await requireStore();
	const urls = sitemapUrls(store.catalog, store.catalog.authors, siteOrigin(url, env.ORIGIN));
	return new Response(sitemapXml(urls, store.catalog.builtAt), {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
}) satisfies RequestHandler;
