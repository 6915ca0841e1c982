import { requireStore } from '$lib/server/require-store';
import { pageImageResponse } from '$lib/server/page-image';
import type { RequestHandler } from './$types';

/** Page one as a JPEG: the older address of `/papers/<id>/page/1.jpg`, served by the same code. */
const servePreview: RequestHandler = async ({ params, request }) =>
	pageImageResponse(request, await requireStore(), params.id, '1');

export const GET = servePreview;
export const HEAD = servePreview;
