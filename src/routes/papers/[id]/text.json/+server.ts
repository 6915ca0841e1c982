import { error, json } from '@sveltejs/kit';
import { requireStore } from '$lib/server/require-store';
import type { PaperTexts } from '$lib/types';
import type { RequestHandler } from './$types';

/**
 * The indexed text of each page of a paper's PDF (`PaperTexts`, page one first): the reader's
 * text view shows it (its figures come from `figures/<n>.json`), and its find scan counts
 * matches in the text instead of fetching every page of the PDF.
 */
export const GET: RequestHandler = async ({ params, request }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper?.pdf || !store.pdfFile(paper.id)) error(404, `The paper "${params.id}" has no PDF`);
	// The text changes only with the PDF or the build that extracted it.
	const etag = `"${paper.pdf.sha256.slice(0, 16)}-${store.buildId}"`;
	const headers = { ETag: etag, 'Cache-Control': 'public, max-age=3600' };
	if (request.headers.get('If-None-Match') === etag)
		return new Response(null, { status: 304, headers });
	const texts: PaperTexts = { pages: store.engine.pageTextsOf(paper.id) };
	return json(texts, { headers });
};
