import { error } from '@sveltejs/kit';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper) error(404, `No paper with id "${params.id}"`);
	return { paper, edition: store.edition(paper.edition)! };
}) satisfies PageServerLoad;
