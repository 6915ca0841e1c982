import { error } from '@sveltejs/kit';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const store = await requireStore();
	const index = store.catalog.authors;
	const author = index.authors.find((a) => a.id === params.id);
	if (!author) error(404, `No author with id "${params.id}"`);
	// Two co-authors may share a name (different ORCIDs): their ORCID tells them apart.
	const orcidOf = new Map(index.authors.map((a) => [a.id, a.orcid]));
	const names = author.coauthors.map((c) => c.name);
	const coauthors = author.coauthors.map((c) => ({
		...c,
		orcid: names.indexOf(c.name) !== names.lastIndexOf(c.name) ? (orcidOf.get(c.id) ?? null) : null
	}));
	const papers = author.papers.map((id) => store.paper(id)).filter((p) => p !== undefined);
	const years = papers.map((paper) => paper.year);
	return {
		author,
		coauthors,
		papers,
		span: years.length ? { from: Math.min(...years), to: Math.max(...years) } : null
	};
}) satisfies PageServerLoad;
