import { paperMapView } from '$lib/catalog/paper-map';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const store = await requireStore();
	return paperMapView(store.catalog, store.catalog.map, url.searchParams.getAll('edition'));
}) satisfies PageServerLoad;
