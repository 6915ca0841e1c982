import { requireStore } from '$lib/server/require-store';
import { pageImageResponse } from '$lib/server/page-image';
import { figureImageResponse } from '$lib/server/figure-image';
import type { RequestHandler } from './$types';

/**
 * Page n of a paper as a JPEG (drawn on first request); shown by the reader until pdf.js has
 * drawn it. With `?figure=k`, only the page's k-th figure, for the text view.
 */
const servePageImage: RequestHandler = async ({ params, request, url }) => {
	const store = await requireStore();
	const figure = url.searchParams.get('figure');
	return figure === null
		? pageImageResponse(request, store, params.id, params.n)
		: figureImageResponse(request, store, params.id, params.n, figure);
};

export const GET = servePageImage;
export const HEAD = servePageImage;
