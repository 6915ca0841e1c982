import { error } from '@sveltejs/kit';
import { authorIndexOf } from '$lib/server/authors';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const store = await requireStore();
	const author = authorIndexOf(store.catalog).authors.find((a) => a.id === params.id);
	if (!author) error(404, `No author with id "${params.id}"`);
	const papers = author.papers.map((id) => store.paper(id)).filter((p) => p !== undefined);
	const years = papers.map((paper) => paper.year);
	return {
		author,
		papers,
		span: years.length ? { from: Math.min(...years), to: Math.max(...years) } : null
	};
}) satisfies PageServerLoad;
