/**
 * The sitemap (every public page) and the Atom feed of papers by edition. Pure: the routes pass
 * the catalog and the site origin.
 */
import type { AuthorIndex, Catalog } from '../types.ts';
import { escapeXml } from './xml.ts';

/** Every public page of the site, absolute URLs, in a stable order. */
export function sitemapUrls(catalog: Catalog, authors: AuthorIndex, origin: string): string[] {
	const pages = ['/', '/topics', '/authors', '/awards', '/map', '/data'];
	for (const edition of catalog.editions) pages.push(`/editions/${encodeURIComponent(edition.id)}`);
	for (const paper of catalog.papers) pages.push(`/papers/${encodeURIComponent(paper.id)}`);
	for (const topic of catalog.taxonomy.topics)
		pages.push(`/topics/${encodeURIComponent(topic.id)}`);
	for (const author of authors.authors) pages.push(`/authors/${encodeURIComponent(author.id)}`);
	return pages.map((path) => `${origin}${path}`);
}

/** A sitemaps.org urlset; `lastmod` is the build time (when the content last changed). */
export function sitemapXml(urls: string[], lastModified: string): string {
	const day = lastModified.slice(0, 10);
	const entries = urls.map(
		(url) => `  <url><loc>${escapeXml(url)}</loc><lastmod>${escapeXml(day)}</lastmod></url>`
	);
	return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}

/**
 * An Atom feed of papers, newest edition first; `editionId` narrows it to one edition. Entry
 * ids are the papers' canonical URLs, so a reader never sees the same paper twice.
 */
export function atomFeed(catalog: Catalog, origin: string, editionId?: string): string {
	const editions = catalog.editions.filter((e) => !editionId || e.id === editionId);
	const updated = catalog.builtAt;
	const selfUrl = `${origin}/feed.xml${editionId ? `?edition=${encodeURIComponent(editionId)}` : ''}`;
	const title =
		editionId && editions[0] ? `${editions[0].title} — papers` : 'iMIMIC proceedings — papers';
	const entries: string[] = [];
	for (const edition of editions) {
		const published = edition.date
			? `${edition.date}T00:00:00Z`
			: `${edition.year}-01-01T00:00:00Z`;
		for (const paper of catalog.papers.filter((p) => p.edition === edition.id)) {
			const url = `${origin}/papers/${encodeURIComponent(paper.id)}`;
			const lines = [
				'  <entry>',
				`    <id>${escapeXml(url)}</id>`,
				`    <title>${escapeXml(paper.title)}</title>`,
				`    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
				`    <published>${published}</published>`,
				`    <updated>${escapeXml(updated)}</updated>`,
				...paper.authors.map(
					(author) => `    <author><name>${escapeXml(author.name)}</name></author>`
				),
				...(paper.authors.length ? [] : ['    <author><name>Unknown</name></author>']),
				`    <category term="${escapeXml(edition.id)}" label="${escapeXml(edition.title)}"/>`,
				...paper.topics.map(
					(topic) =>
						`    <category term="${escapeXml(topic.id)}" label="${escapeXml(topic.label)}"/>`
				),
				`    <summary>${escapeXml(
					paper.abstract ??
						`${paper.title}. ${edition.title}${paper.award ? ` — ${paper.award}` : ''}.`
				)}</summary>`,
				'  </entry>'
			];
			entries.push(lines.join('\n'));
		}
	}
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<feed xmlns="http://www.w3.org/2005/Atom">',
		`  <id>${escapeXml(selfUrl)}</id>`,
		`  <title>${escapeXml(title)}</title>`,
		`  <updated>${escapeXml(updated)}</updated>`,
		`  <link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>`,
		`  <link rel="alternate" type="text/html" href="${escapeXml(origin)}/"/>`,
		'  <generator>Glassbox</generator>',
		...entries,
		'</feed>',
		''
	].join('\n');
}
