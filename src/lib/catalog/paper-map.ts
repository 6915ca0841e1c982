/**
 * The data of the paper map page, kept apart from the route so that it can be tested: points
 * with their colour and edition, the edition filter (keyed by edition id) and the legend.
 */
import type { Catalog, MapPoint, Paper } from '../types.ts';
import { NO_TOPIC_COLOUR, topicColour } from './map-colours.ts';
import { editionColumns, type EditionColumn } from './programme.ts';

export interface PaperMapPoint {
	id: string;
	title: string;
	year: number;
	edition: string;
	/** The edition as the filter names it (the year unless another edition shares it). */
	editionLabel: string;
	x: number;
	y: number;
	topic: string | null;
	colour: string;
}

export interface PaperMapView {
	points: PaperMapPoint[];
	/** The filter's choices, oldest first. */
	editions: (EditionColumn & { title: string })[];
	/** Edition ids shown: those requested that exist, else every edition. */
	selected: string[];
	legend: { label: string; colour: string }[];
}

/** The topic a point is coloured by: a curated workshop topic first, else the best inferred one. */
function mainTopic(paper: Paper): { id: string; label: string } | null {
	const topics = paper.topics.filter((t) => t.facet === 'topic');
	const best = [...topics].sort(
		(a, b) => Number(b.source === 'curated') - Number(a.source === 'curated') || b.score - a.score
	)[0];
	return best ? { id: best.id, label: best.label } : null;
}

/** The map page's points, edition filter and legend; `requested` are `?edition=` ids. */
export function paperMapView(catalog: Catalog, map: MapPoint[], requested: string[]): PaperMapView {
	const columns = editionColumns(catalog);
	const labelOf = new Map(columns.map((column) => [column.id, column.label]));
	const titleOf = new Map(catalog.editions.map((edition) => [edition.id, edition.title]));
	const known = requested.filter((id) => labelOf.has(id));
	const selected = known.length ? [...new Set(known)] : columns.map((column) => column.id);

	const papers = new Map(catalog.papers.map((paper) => [paper.id, paper]));
	const topics = catalog.taxonomy.topics.filter((t) => t.facet === 'topic');
	const colourOf = new Map(topics.map((topic, i) => [topic.id, topicColour(i)]));
	const points = map.flatMap((point): PaperMapPoint[] => {
		const paper = papers.get(point.id);
		if (!paper) return [];
		const topic = mainTopic(paper);
		return [
			{
				id: paper.id,
				title: paper.title,
				year: paper.year,
				edition: paper.edition,
				editionLabel: labelOf.get(paper.edition) ?? String(paper.year),
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
		editions: columns.map((column) => ({ ...column, title: titleOf.get(column.id) ?? column.id })),
		selected,
		legend: [
			...topics.map((topic) => ({ label: topic.label, colour: colourOf.get(topic.id)! })),
			{ label: 'No workshop topic', colour: NO_TOPIC_COLOUR }
		].filter((entry) => used.has(entry.colour))
	};
}
