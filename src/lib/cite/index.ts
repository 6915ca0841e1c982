/** Citation formats and scholarly metadata for papers and editions. */
export { encodeLatex } from './latex.ts';
export { splitName, invertedName, displayName, type NameParts } from './names.ts';
export { bibtexKey, paperToBibtex, editionToBibtex } from './bibtex.ts';
export { paperToRis, parseRis, type RisRecord } from './ris.ts';
export { paperToCsl, type CslItem } from './csl.ts';
export {
	buildPaperHead,
	paperJsonLd,
	paperPdfUrl,
	paperUrl,
	serializeJsonLd,
	type MetaTag,
	type PaperHeadData
} from './head.ts';
export { openDataCatalog, OPEN_DATA_VERSION, type OpenDataCatalog } from './open-data.ts';
export { sitemapUrls, sitemapXml, atomFeed } from './feeds.ts';
export { escapeXml } from './xml.ts';
export { canServePdf, licenseAllowsRedistribution } from '../pdf-access.ts';
