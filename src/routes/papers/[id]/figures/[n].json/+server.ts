import { requireStore } from '$lib/server/require-store';
import { pageFiguresResponse } from '$lib/server/page-figures';
import type { RequestHandler } from './$types';

/**
 * The figures of page n of a paper (`PageFigure[]`), found on the first request: the text view
 * shows the page's text at once and its figures when this answers.
 */
export const GET: RequestHandler = async ({ params, request }) =>
	pageFiguresResponse(request, await requireStore(), params.id, params.n);
