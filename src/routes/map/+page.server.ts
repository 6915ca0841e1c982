import { editionsByYear } from '$lib/components/proceedings/programme';
import { NO_TOPIC_COLOUR, topicColour } from '$lib/components/proceedings/map-colours';
import { requireStore } from '$lib/server/require-store';
import { similarityOf } from '$lib/server/similar';
import type { Paper } from '$lib/types';
import type { PageServerLoad } from './$types';

/** The topic a point is coloured by: a curated workshop topic first, else the best inferred one. */
function mainTopic(paper: Paper): { id: string; label: string } | null {
	const topics = paper.topics.filter((t) => t.facet === 'topic');
	const best = [...topics].sort(
		(a, b) => Number(b.source === 'curated') - Number(a.source === 'curated') || b.score - a.score
	)[0];
	return best ? { id: best.id, label: best.label } : null;
}

export const load = (async ({ url }) => {
	const store = await requireStore();
	const { map, fromFullText } = similarityOf(store.catalog);
	const editions = editionsByYear(store.catalog);
	const requested = url.searchParams.getAll('edition').filter((id) => store.edition(id));
	const selected = requested.length ? requested : editions.map((edition) => edition.id);

	const topics = store.catalog.taxonomy.topics.filter((t) => t.facet === 'topic');
	const colourOf = new Map(topics.map((topic, i) => [topic.id, topicColour(i)]));
	const points = map.flatMap((point) => {
		const paper = store.paper(point.id);
		if (!paper) return [];
		const topic = mainTopic(paper);
		return [
			{
				id: paper.id,
				title: paper.title,
				year: paper.year,
				edition: paper.edition,
				x: point.x,
				y: point.y,
				topic: topic?.label ?? null,
				colour: topic ? colourOf.get(topic.id)! : NO_TOPIC_COLOUR
			}
		];
	});
	const used = new Set(points.map((p) => p.colour));
	return {
		points,
		editions: editions.map((edition) => ({
			id: edition.id,
			year: edition.year,
			title: edition.title
		})),
		selected,
		legend: [
			...topics.map((topic) => ({ label: topic.label, colour: colourOf.get(topic.id)! })),
			{ label: 'No workshop topic', colour: NO_TOPIC_COLOUR }
		].filter((entry) => used.has(entry.colour)),
		fromFullText
	};
}) satisfies PageServerLoad;
