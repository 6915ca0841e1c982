import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/** Crawlers are welcome on every page; search results and the JSON API are endless, so not those. */
export const GET = (() => {
	const origin = publicOrigin();
	const body = [
		'User-agent: *',
		'Allow: /',
		'Disallow: /search',
		'Disallow: /api/',
		'',
		`Sitemap: ${origin}/sitemap.xml`,
		''
	].join('\n');
	return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}) satisfies RequestHandler;
