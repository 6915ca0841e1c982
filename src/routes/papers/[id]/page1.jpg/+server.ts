import { error } from '@sveltejs/kit';
import { getStore } from '$lib/server/store';
import { fileResponse } from '$lib/server/pdf-response';
import type { RequestHandler } from './$types';

/** Page one of a paper as a JPEG, drawn at ingest; shown by the reader until pdf.js has drawn it. */
const servePreview: RequestHandler = async ({ params, request }) => {
	const store = await getStore();
	const paper = store.paper(params.id);
	if (!paper) error(404, `No paper with id "${params.id}"`);
	const path = store.previewFile(paper.id);
	if (!paper.pdf || !path) error(404, `The paper "${paper.id}" has no page-one image`);
	return fileResponse(request, {
		path,
		contentType: 'image/jpeg',
		sha256: `${paper.pdf.sha256}-page1`
	});
};

export const GET = servePreview;
export const HEAD = servePreview;
