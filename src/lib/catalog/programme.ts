/**
 * Pure helpers for the proceedings pages: an edition's programme in sessions, awards ranked,
 * topic counts per edition. Shared by the server loads and the tests.
 */
import type { Catalog, Edition, Paper, PaperType, TaxonomyEntry, TopicFacet } from '../types.ts';

export interface ProgrammeSession {
	type: PaperType | 'other';
	label: string;
	papers: Paper[];
}

const SESSION_ORDER: { type: PaperType | 'other'; label: string }[] = [
	{ type: 'keynote', label: 'Keynotes' },
	{ type: 'invited', label: 'Invited talks' },
	{ type: 'oral', label: 'Oral presentations' },
	{ type: 'poster', label: 'Posters' },
	{ type: 'paper', label: 'Papers (session not recorded)' },
	{ type: 'other', label: 'Other papers' }
];

/** An edition's papers grouped into sessions in programme order; empty sessions dropped. */
export function programmeOf(papers: Paper[]): ProgrammeSession[] {
	return SESSION_ORDER.map(({ type, label }) => ({
		type,
		label,
		papers: papers.filter((paper) => (paper.type ?? 'other') === type)
	})).filter((session) => session.papers.length > 0);
}

/** Best paper first, then runner-up and honourable mentions, then other awards by name. */
export function awardRank(award: string): number {
	const text = award.toLowerCase();
	if (/best paper/.test(text) && !/runner|honou?rable|nominee|finalist/.test(text)) return 0;
	if (/runner/.test(text)) return 1;
	if (/best/.test(text)) return 2;
	if (/honou?rable|mention/.test(text)) return 3;
	return 4;
}

/** The awarded papers of a list, best paper first. */
export function awardedPapers(papers: Paper[]): Paper[] {
	return papers
		.filter((paper): paper is Paper & { award: string } => Boolean(paper.award))
		.sort((a, b) => awardRank(a.award) - awardRank(b.award) || a.award.localeCompare(b.award));
}

export interface EditionAwards {
	edition: Edition;
	papers: Paper[];
}

/** Every award, grouped by edition (newest first); editions without awards left out. */
export function awardsByEdition(catalog: Catalog): EditionAwards[] {
	return catalog.editions
		.map((edition) => ({
			edition,
			papers: awardedPapers(catalog.papers.filter((paper) => paper.edition === edition.id))
		}))
		.filter((group) => group.papers.length > 0);
}

export interface TopicCount {
	topic: TaxonomyEntry;
	total: number;
	curated: number;
	inferred: number;
	/** Edition id → papers with the topic. */
	byEdition: Record<string, number>;
}

/** Papers per taxonomy entry (curated and inferred), overall and per edition. */
export function topicCounts(catalog: Catalog): TopicCount[] {
	return catalog.taxonomy.topics.map((topic) => {
		const count: TopicCount = { topic, total: 0, curated: 0, inferred: 0, byEdition: {} };
		for (const paper of catalog.papers) {
			const tag = paper.topics.find((t) => t.id === topic.id);
			if (!tag) continue;
			count.total++;
			if (tag.source === 'curated') count.curated++;
			else count.inferred++;
			count.byEdition[paper.edition] = (count.byEdition[paper.edition] ?? 0) + 1;
		}
		return count;
	});
}

/** Editions oldest first, for charts that read left to right in time. */
export function editionsByYear(catalog: Catalog): Edition[] {
	return [...catalog.editions].sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
}

export interface EditionColumn {
	/** The edition's id: what links, keys and filters use (two editions may share a year). */
	id: string;
	/** What the chart or filter shows: the year, unless another edition has the same year. */
	label: string;
}

/** The part of an edition's title before the colon ("iMIMIC 2018: 1st Workshop…" → "iMIMIC 2018"). */
function editionShortName(edition: Edition): string {
	return edition.title.split(':')[0].trim();
}

/**
 * One column per edition, oldest first, for the per-edition charts and the map filter. An
 * edition is labelled by its year when no other edition has that year; editions sharing a year
 * are labelled by their short title, or by their id when the short titles are alike too.
 */
export function editionColumns(catalog: Catalog): EditionColumn[] {
	const editions = editionsByYear(catalog);
	const perYear = new Map<number, Edition[]>();
	for (const edition of editions)
		perYear.set(edition.year, [...(perYear.get(edition.year) ?? []), edition]);
	const columns = editions.map((edition) => {
		const sameYear = perYear.get(edition.year)!;
		if (sameYear.length === 1) return { id: edition.id, label: String(edition.year) };
		const shortNames = sameYear.map(editionShortName);
		const shortName = editionShortName(edition);
		const distinct =
			shortName !== '' && shortNames.filter((name) => name === shortName).length === 1;
		return { id: edition.id, label: distinct ? shortName : edition.id };
	});
	// A short title could still equal another column's label ("2019"); ids are unique by schema.
	const labels = columns.map((column) => column.label);
	return new Set(labels).size === labels.length
		? columns
		: columns.map((column) =>
				labels.indexOf(column.label) === labels.lastIndexOf(column.label)
					? column
					: { id: column.id, label: column.id }
			);
}

export interface HeatmapRow {
	id: string;
	label: string;
	/** Papers with the topic in each column's edition, in column order. */
	counts: number[];
}

/** The topic × edition heat map rows of one facet, counted per edition id of `columns`. */
export function heatmapRows(
	catalog: Catalog,
	facet: TopicFacet,
	columns: EditionColumn[] = editionColumns(catalog)
): HeatmapRow[] {
	return topicCounts(catalog)
		.filter((count) => count.topic.facet === facet)
		.map((count) => ({
			id: count.topic.id,
			label: count.topic.label,
			counts: columns.map((column) => count.byEdition[column.id] ?? 0)
		}));
}

/** One bar per edition (oldest first) counting the papers tagged with a topic. */
export function topicEditionBars(
	catalog: Catalog,
	topicId: string
): (EditionColumn & { count: number })[] {
	return editionColumns(catalog).map((column) => ({
		...column,
		count: catalog.papers.filter(
			(paper) => paper.edition === column.id && paper.topics.some((t) => t.id === topicId)
		).length
	}));
}

/** A one-line label for an edition ("iMIMIC 2025"), short enough for charts. */
export function editionShortLabel(edition: Edition): string {
	return `iMIMIC ${edition.year}`;
}

/** How an edition is named in links and headings, told apart from others held the same year. */
export interface EditionNames {
	/** Its column label: the year, or what sets it apart from another edition that year. */
	label: string;
	/** A heading: "iMIMIC 2019", or the label when the year alone is not enough. */
	heading: string;
}

/** The {@link EditionNames} of every edition, by id, from the labels the charts use. */
export function editionNames(catalog: Catalog): Map<string, EditionNames> {
	const byId = new Map(catalog.editions.map((edition) => [edition.id, edition]));
	return new Map(
		editionColumns(catalog).map(({ id, label }) => {
			const edition = byId.get(id)!;
			const heading = label === String(edition.year) ? editionShortLabel(edition) : label;
			return [id, { label, heading }];
		})
	);
}
