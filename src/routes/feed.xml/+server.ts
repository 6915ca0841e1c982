import { error } from '@sveltejs/kit';
import { atomFeed } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/** Atom feed of papers, newest edition first; `?edition=<id>` for one edition. */
export const GET = (async ({ url }) => {
	const store = await requireStore();
	const edition = url.searchParams.get('edition') ?? undefined;
	if (edition && !store.edition(edition)) error(404, `No edition with id "${edition}"`);
	return new Response(atomFeed(store.catalog, publicOrigin(), edition), {
		headers: {
			'content-type': 'application/atom+xml; charset=utf-8',
			'cache-control': 'public, max-age=300'
		}
	});
}) satisfies RequestHandler;
