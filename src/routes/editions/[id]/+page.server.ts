import { error } from '@sveltejs/kit';
import { awardedPapers, editionNames, programmeOf } from '$lib/catalog/programme';
import { requireStore } from '$lib/server/require-store';
import { publicOrigin } from '$lib/server/origin';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const store = await requireStore();
	const edition = store.edition(params.id);
	if (!edition) error(404, `No edition with id "${params.id}"`);
	const papers = store.papersOf(edition.id);
	return {
		edition,
		label: editionNames(store.catalog).get(edition.id)!.label,
		programme: programmeOf(papers),
		awards: awardedPapers(papers),
		paperCount: papers.length,
		canonical: `${publicOrigin()}/editions/${edition.id}`
	};
}) satisfies PageServerLoad;
