import { json } from '@sveltejs/kit';
import { requireStore } from '$lib/server/require-store';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper) return json({ error: `No paper with id "${params.id}"` }, { status: 404 });
	return json(paper);
};
