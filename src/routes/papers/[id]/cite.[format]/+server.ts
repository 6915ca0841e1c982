import { error } from '@sveltejs/kit';
import { paperToBibtex, paperToCsl, paperToRis, paperUrl } from '$lib/cite';
import { requireStore } from '$lib/server/require-store';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/** Citation downloads: `/papers/<id>/cite.bib`, `.ris` and `.json` (CSL-JSON). */
export const GET = (async ({ params }) => {
	const store = await requireStore();
	const paper = store.paper(params.id);
	if (!paper) error(404, `No paper with id "${params.id}"`);
	const edition = store.edition(paper.edition);
	const pageUrl = paperUrl(publicOrigin(), paper.id);
	const headers = (type: string, extension: string) => ({
		'content-type': `${type}; charset=utf-8`,
		'content-disposition': `attachment; filename="${paper.id}.${extension}"`,
		'cache-control': 'public, max-age=300'
	});
	switch (params.format) {
		case 'bib':
			return new Response(paperToBibtex(paper, edition, { pageUrl }), {
				headers: headers('application/x-bibtex', 'bib')
			});
		case 'ris':
			return new Response(paperToRis(paper, edition, pageUrl), {
				headers: headers('application/x-research-info-systems', 'ris')
			});
		case 'json':
			return new Response(JSON.stringify([paperToCsl(paper, edition, pageUrl)], null, 2), {
				headers: headers('application/vnd.citationstyles.csl+json', 'json')
			});
		default:
			error(404, `No citation format "${params.format}" (use cite.bib, cite.ris or cite.json)`);
	}
}) satisfies RequestHandler;
