import { error } from '@sveltejs/kit';
import { requireStore } from '$lib/server/require-store';
import { fileResponse, readablePdfName } from '$lib/server/pdf-response';
import type { RequestHandler } from './$types';

/** Streams a paper's PDF; the path comes from the catalog by id, never from the URL. */
const servePdf: RequestHandler = async ({ params, request }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper) error(404, `No paper with id "${params.id}"`);
	const path = store.pdfFile(paper.id);
	if (!paper.pdf || !path) error(404, `The paper "${paper.id}" has no PDF`);
	return fileResponse(request, {
		path,
		filename: readablePdfName(paper),
		sha256: paper.pdf.sha256
	});
};

export const GET = servePdf;
export const HEAD = servePdf;
