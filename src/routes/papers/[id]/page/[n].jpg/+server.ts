import { requireStore } from '$lib/server/require-store';
import { pageImageResponse } from '$lib/server/page-image';
import type { RequestHandler } from './$types';

/** Page n of a paper as a JPEG (drawn on first request); shown by the reader until pdf.js has drawn it. */
const servePageImage: RequestHandler = async ({ params, request }) =>
	pageImageResponse(request, await requireStore(), params.id, params.n);

export const GET = servePageImage;
export const HEAD = servePageImage;
