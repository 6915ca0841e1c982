import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const store = await requireStore();
	return {
		builtAt: store.catalog.builtAt,
		papers: store.catalog.papers.length,
		editions: store.catalog.editions.map((e) => ({ id: e.id, title: e.title }))
	};
}) satisfies PageServerLoad;
