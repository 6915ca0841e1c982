import { error } from '@sveltejs/kit';
import { buildPaperHead, canServePdf } from '$lib/cite';
import { clampPage } from '$lib/components/reader/reader-model';
import { drawPageImageAhead } from '$lib/server/page-image';
import { requireStore } from '$lib/server/require-store';
import { similarPapersOf } from '$lib/corpus/similar';
import { publicOrigin } from '$lib/server/origin';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, url }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper) error(404, `No paper with id "${params.id}"`);
	const edition = store.edition(paper.edition)!;
	// The reader shows the page it opens at from a JPEG; one not drawn yet is started now, not when
	// the browser has read the HTML's head and asked for it (page one is drawn at ingest).
	const openingPage = clampPage(
		Number(url.searchParams.get('page')) || 1,
		paper.pdf?.pageCount ?? 1
	);
	if (openingPage > 1) void drawPageImageAhead(store, paper.id, openingPage);
	// A deep link's query is marked as the search matched it (typos, synonyms, stems, compounds);
	// readers without JavaScript get the query's snippets of that page as text instead.
	const query = url.searchParams.get('q')?.slice(0, 500) ?? '';
	const pageSnippets = query.trim() ? store.engine.pageSnippets(paper.id, openingPage, query) : [];
	return {
		paper,
		edition,
		servablePdf: canServePdf(paper),
		head: buildPaperHead(paper, edition, publicOrigin()),
		similar: similarPapersOf(store.catalog, paper.id),
		authorIds: store.catalog.authors.byPaper[paper.id] ?? [],
		pageSnippets,
		match: query.trim() ? store.engine.matchSpec(query, paper.id) : null
	};
}) satisfies PageServerLoad;
