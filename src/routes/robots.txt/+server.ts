import { env } from '$env/dynamic/private';
import { siteOrigin } from '$lib/cite';
import type { RequestHandler } from './$types';

/** Crawlers are welcome on every page; search results and the JSON API are endless, so not those. */
export const GET = (({ url }) => {
	const origin = siteOrigin(url, env.ORIGIN);
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
