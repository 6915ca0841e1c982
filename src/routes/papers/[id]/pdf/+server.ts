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
	try {
		return await fileResponse(request, {
			path,
			filename: readablePdfName(paper),
			sha256: paper.pdf.sha256
		});
	} catch (cause) {
		// The catalog names a PDF the store no longer holds (DATA_DIR cleaned by hand): not found.
		if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
			error(404, `The PDF of "${paper.id}" is missing from the server's store`);
		throw cause;
	}
};

export const GET = servePdf;
export const HEAD = servePdf;
