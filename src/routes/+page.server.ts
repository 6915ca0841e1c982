import { editionNames } from '$lib/catalog/programme';
import { readFirstRunState } from '$lib/server/first-run';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const store = await requireStore();
	const names = editionNames(store.catalog);
	return {
		editions: store.catalog.editions.map((edition) => ({
			edition,
			papers: store.papersOf(edition.id),
			...names.get(edition.id)!
		})),
		totals: {
			papers: store.catalog.papers.length,
			withPdf: store.catalog.papers.filter((paper) => paper.pdf).length
		},
		firstRun: await readFirstRunState()
	};
}) satisfies PageServerLoad;
