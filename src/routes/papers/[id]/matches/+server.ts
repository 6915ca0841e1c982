import { requireStore } from '$lib/server/require-store';
import { matchesResponse } from '$lib/server/matches';
import type { RequestHandler } from './$types';

/** What `?q=` matches in the text of a paper, for the reader's find bar (see matches.ts). */
export const GET: RequestHandler = async ({ params, url }) =>
	matchesResponse((await requireStore()).engine, params.id, url.searchParams.get('q') ?? '');
