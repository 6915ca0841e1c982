import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { buildPaperHead, canServePdf, siteOrigin } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import { similarPapersOf } from '$lib/server/similar';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper) error(404, `No paper with id "${params.id}"`);
	const edition = store.edition(paper.edition)!;
	return {
		paper,
		edition,
		servablePdf: canServePdf(paper),
		head: buildPaperHead(paper, edition, siteOrigin(url, env.ORIGIN)),
		similar: similarPapersOf(store.catalog, paper.id),
		authorIds: store.catalog.authors.byPaper[paper.id] ?? []
	};
}) satisfies PageServerLoad;
