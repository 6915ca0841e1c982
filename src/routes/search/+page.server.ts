import { error } from '@sveltejs/kit';
import { parseSearchParams, SearchParamError } from '$lib/search/params';
import { requireStore } from '$lib/server/require-store';
import { searchStore } from '$lib/server/search-service';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, locals }) => {
	let params;
	try {
		params = parseSearchParams(url.searchParams);
	} catch (cause) {
		if (cause instanceof SearchParamError) error(400, cause.message);
		throw cause;
	}
	const store = await requireStore();
	const { catalog } = store;
	const { response, cached } = searchStore(store, params);
	locals.searchCached = cached;
	return {
		params,
		response,
		hasFullText: catalog.papers.some((paper) => paper.pdf),
		labels: {
			topic: Object.fromEntries(catalog.taxonomy.topics.map((topic) => [topic.id, topic.label])),
			edition: Object.fromEntries(catalog.editions.map((edition) => [edition.id, edition.title]))
		}
	};
}) satisfies PageServerLoad;
