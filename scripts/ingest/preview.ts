/**
 * Page one's JPEG, drawn at ingest: the reader shows it the moment the HTML arrives. The drawing
 * code is shared with the server, which draws the other pages on demand (see page-render.ts).
 */
export {
	PAGE_IMAGE_SCALE as PREVIEW_SCALE,
	renderPageImage as renderPreview,
	type PageImage as PagePreview
} from '../../src/lib/server/page-render.ts';
