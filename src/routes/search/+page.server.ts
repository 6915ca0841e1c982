import { error } from '@sveltejs/kit';
import { parseSearchParams, SearchParamError } from '$lib/search/params';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	let params;
	try {
		params = parseSearchParams(url.searchParams);
	} catch (cause) {
		if (cause instanceof SearchParamError) error(400, cause.message);
		throw cause;
	}
	const store = await requireStore();
	const { catalog } = store;
	return {
		params,
		response: store.engine.search(params),
		hasFullText: catalog.papers.some((paper) => paper.pdf),
		labels: {
			topic: Object.fromEntries(catalog.taxonomy.topics.map((topic) => [topic.id, topic.label])),
			edition: Object.fromEntries(catalog.editions.map((edition) => [edition.id, edition.title]))
		}
	};
}) satisfies PageServerLoad;
