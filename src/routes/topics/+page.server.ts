import { editionColumns, heatmapRows, topicCounts } from '$lib/catalog/programme';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const store = await requireStore();
	const counts = topicCounts(store.catalog);
	const columns = editionColumns(store.catalog);
	return {
		topics: counts.map(({ topic, total, curated, inferred }) => ({
			id: topic.id,
			label: topic.label,
			facet: topic.facet,
			description: topic.description,
			total,
			curated,
			inferred
		})),
		columns,
		topicRows: heatmapRows(store.catalog, 'topic', columns),
		methodRows: heatmapRows(store.catalog, 'method', columns),
		papers: store.catalog.papers.length
	};
}) satisfies PageServerLoad;
