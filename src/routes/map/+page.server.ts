import { paperMapView } from '$lib/components/proceedings/paper-map';
import { requireStore } from '$lib/server/require-store';
import { similarityOf } from '$lib/server/similar';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const store = await requireStore();
	const { map, fromFullText } = similarityOf(store.catalog);
	return {
		...paperMapView(store.catalog, map, url.searchParams.getAll('edition')),
		fromFullText
	};
}) satisfies PageServerLoad;
