import { error, json } from '@sveltejs/kit';
import { requireStore } from '$lib/server/require-store';
import type { RequestHandler } from './$types';

/**
 * What `?q=` matches in the text of a paper (the index terms its pages hold and the phrases), so
 * the reader's find bar marks what a search would: typo corrections, synonyms, stems, compounds.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const store = await requireStore();
	const q = (url.searchParams.get('q') ?? '').slice(0, 500);
	const spec = store.engine.matchSpec(q, params.id);
	if (!spec) error(404, `No paper with id "${params.id}"`);
	return json(spec, { headers: { 'cache-control': 'private, max-age=60' } });
};
