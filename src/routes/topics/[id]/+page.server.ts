import { error } from '@sveltejs/kit';
import { topicEditionBars } from '$lib/catalog/programme';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const store = await requireStore();
	const topic = store.catalog.taxonomy.topics.find((entry) => entry.id === params.id);
	if (!topic) error(404, `No topic with id "${params.id}"`);
	const tagged = store.catalog.papers
		.map((paper) => ({ paper, tag: paper.topics.find((t) => t.id === topic.id) }))
		.filter(
			(item): item is { paper: (typeof item)['paper']; tag: NonNullable<(typeof item)['tag']> } =>
				Boolean(item.tag)
		);
	const curated = tagged
		.filter((item) => item.tag.source === 'curated')
		.sort((a, b) => b.paper.year - a.paper.year || a.paper.title.localeCompare(b.paper.title));
	const inferred = tagged
		.filter((item) => item.tag.source === 'inferred')
		.sort((a, b) => b.tag.score - a.tag.score || b.paper.year - a.paper.year);
	const bars = topicEditionBars(store.catalog, topic.id);
	return { topic, curated, inferred, bars };
}) satisfies PageServerLoad;
