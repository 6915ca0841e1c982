import { editionColumns, editionShortLabel } from '$lib/components/proceedings/programme';
import { requireStore } from '$lib/server/require-store';
import type { Catalog, Edition, Paper } from '$lib/types';
import type { PageServerLoad } from './$types';

interface HomeEdition {
	edition: Edition;
	papers: Paper[];
	/** The jump link's text: the year, or what sets the edition apart from another that year. */
	label: string;
	/** The section heading: "iMIMIC 2019", or the distinguishing label when a year is shared. */
	heading: string;
}

/**
 * The home page's editions in catalog order, labelled as the charts label them so that two
 * editions held in one year never show the same link text or heading.
 */
export function _homeEditions(catalog: Catalog): HomeEdition[] {
	const labelOf = new Map(editionColumns(catalog).map((column) => [column.id, column.label]));
	return catalog.editions.map((edition) => {
		const label = labelOf.get(edition.id) ?? String(edition.year);
		return {
			edition,
			papers: catalog.papers.filter((paper) => paper.edition === edition.id),
			label,
			heading: label === String(edition.year) ? editionShortLabel(edition) : label
		};
	});
}

export const load = (async () => {
	const store = await requireStore();
	return {
		editions: _homeEditions(store.catalog),
		totals: {
			papers: store.catalog.papers.length,
			withPdf: store.catalog.papers.filter((paper) => paper.pdf).length
		}
	};
}) satisfies PageServerLoad;
