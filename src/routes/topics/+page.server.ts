import { editionsByYear, topicCounts } from '$lib/components/proceedings/programme';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	const store = await requireStore();
	const counts = topicCounts(store.catalog);
	const editions = editionsByYear(store.catalog);
	const heatmap = (facet: 'topic' | 'method') =>
		counts
			.filter((count) => count.topic.facet === facet)
			.map((count) => ({
				id: count.topic.id,
				label: count.topic.label,
				counts: editions.map((edition) => count.byEdition[edition.id] ?? 0)
			}));
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
		columns: editions.map((edition) => ({ id: edition.id, label: String(edition.year) })),
		topicRows: heatmap('topic'),
		methodRows: heatmap('method'),
		papers: store.catalog.papers.length
	};
}) satisfies PageServerLoad;
