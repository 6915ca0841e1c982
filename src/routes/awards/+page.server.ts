import { awardsByEdition } from '$lib/catalog/programme';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const store = await requireStore();
	return { groups: awardsByEdition(store.catalog) };
}) satisfies PageServerLoad;
