import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { siteOrigin } from '$lib/cite';
import { awardedPapers, editionColumns, programmeOf } from '$lib/components/proceedings/programme';
import { requireStore } from '$lib/server/require-store';
import type { Catalog, Edition } from '$lib/types';
import type { PageServerLoad } from './$types';

/**
 * The breadcrumb's name for an edition: its year, or the label the charts use to tell it from
 * another edition held the same year.
 */
export function _crumbLabel(catalog: Catalog, edition: Edition): string {
	return (
		editionColumns(catalog).find((column) => column.id === edition.id)?.label ??
		String(edition.year)
	);
}

export const load = (async ({ params, url }) => {
	const store = await requireStore();
	const edition = store.edition(params.id);
	if (!edition) error(404, `No edition with id "${params.id}"`);
	const papers = store.papersOf(edition.id);
	return {
		edition,
		label: _crumbLabel(store.catalog, edition),
		programme: programmeOf(papers),
		awards: awardedPapers(papers),
		paperCount: papers.length,
		canonical: `${siteOrigin(url, env.ORIGIN)}/editions/${edition.id}`
	};
}) satisfies PageServerLoad;
