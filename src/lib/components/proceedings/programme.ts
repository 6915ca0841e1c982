/**
 * Pure helpers for the proceedings pages: an edition's programme in sessions, awards ranked,
 * topic counts per edition. Shared by the server loads and the tests.
 */
import type { Catalog, Edition, Paper, PaperType, TaxonomyEntry } from '../../types.ts';

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

/** A one-line label for an edition ("iMIMIC 2025"), short enough for charts. */
export function editionShortLabel(edition: Edition): string {
	return `iMIMIC ${edition.year}`;
}
