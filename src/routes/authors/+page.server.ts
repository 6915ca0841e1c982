import { redirect } from '@sveltejs/kit';
import { authorMatchKey, sortKey } from '$lib/corpus/authors';
import { requireStore } from '$lib/server/require-store';
import type { PageServerLoad } from './$types';

export const load = (async ({ url }) => {
	const store = await requireStore();
	const index = store.catalog.authors;
	// `?name=` comes from author links on paper cards: go straight to that person when unique.
	const name = url.searchParams.get('name')?.trim();
	if (name) {
		const key = authorMatchKey(name);
		const matches = index.authors.filter((author) =>
			[author.name, ...author.variants].some((spelling) => authorMatchKey(spelling) === key)
		);
		if (matches.length === 1) redirect(303, `/authors/${matches[0].id}`);
	}
	const query = (url.searchParams.get('q') ?? name ?? '').trim();
	const key = authorMatchKey(query);
	const authors = index.authors
		.filter(
			(author) =>
				!key ||
				[author.name, ...author.variants].some((spelling) => authorMatchKey(spelling).includes(key))
		)
		.map((author) => ({
			id: author.id,
			name: author.name,
			variants: author.variants,
			orcid: author.orcid,
			papers: author.papers.length,
			initial: sortKey(author.name).charAt(0).toUpperCase() || '#'
		}));
	return { authors, query, total: index.authors.length };
}) satisfies PageServerLoad;
