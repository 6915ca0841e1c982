import { error } from '@sveltejs/kit';
import { editionToBibtex } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import type { RequestHandler } from './$types';

/** Every paper of an edition in one BibTeX file: `/editions/<id>.bib`. */
export const GET = (async ({ params }) => {
	const store = await requireStore();
	const edition = store.edition(params.id);
	if (!edition) error(404, `No edition with id "${params.id}"`);
	return new Response(editionToBibtex(store.papersOf(edition.id), edition), {
		headers: {
			'content-type': 'application/x-bibtex; charset=utf-8',
			'content-disposition': `attachment; filename="${edition.id}.bib"`,
			'cache-control': 'public, max-age=300'
		}
	});
}) satisfies RequestHandler;
