import { error } from '@sveltejs/kit';
import { version as pdfjsVersion } from 'pdfjs-dist/package.json';
import { fileResponse } from '$lib/server/pdf-response';
import { pdfjsAssetFile } from '$lib/server/pdfjs-assets';
import type { RequestHandler } from './$types';

/** pdf.js's font, character-map and decoder files; the version in the URL makes them immutable. */
export const GET: RequestHandler = async ({ params, request }) => {
	const asset = pdfjsAssetFile(params.version, params.kind, params.file, pdfjsVersion);
	if (!asset) error(404, 'No such pdf.js file');
	try {
		return await fileResponse(request, {
			path: asset.path,
			contentType: asset.type,
			sha256: `pdfjs-${pdfjsVersion}-${params.kind}-${params.file}`,
			cacheControl: 'public, max-age=31536000, immutable'
		});
	} catch {
		error(404, 'No such pdf.js file');
	}
};
