/**
 * CSL-JSON, the citation data format of citeproc, Zotero and Pandoc.
 *
 * Pure: no Node APIs, relative imports only.
 */
import type { Edition, Paper } from '../types.ts';
import { splitName } from './names.ts';

interface CslName {
	family: string;
	given?: string;
	suffix?: string;
}

export interface CslItem {
	id: string;
	type: 'paper-conference';
	title: string;
	author: CslName[];
	editor?: CslName[];
	issued: { 'date-parts': number[][] };
	'container-title'?: string;
	'collection-title'?: string;
	'event-title'?: string;
	'event-place'?: string;
	volume?: string;
	page?: string;
	DOI?: string;
	URL?: string;
	abstract?: string;
	keyword?: string;
	note?: string;
}

function cslName(name: string): CslName {
	const parts = splitName(name);
	return {
		family: parts.family,
		...(parts.given ? { given: parts.given } : {}),
		...(parts.suffix ? { suffix: parts.suffix } : {})
	};
}

/** One paper as a CSL-JSON item (`paper-conference`). */
export function paperToCsl(paper: Paper, edition: Edition | undefined, pageUrl?: string): CslItem {
	const dateParts = edition?.date ? edition.date.split('-').map(Number) : [paper.year];
	const item: CslItem = {
		id: paper.id,
		type: 'paper-conference',
		title: paper.title,
		author: paper.authors.map((a) => cslName(a.name)),
		issued: { 'date-parts': [dateParts] }
	};
	if (edition?.editors?.length) item.editor = edition.editors.map(cslName);
	if (edition) {
		item['container-title'] = edition.title;
		item['event-title'] = edition.venue ? `${edition.title} (${edition.venue})` : edition.title;
		if (edition.series) item['collection-title'] = edition.series;
		if (edition.location) item['event-place'] = edition.location;
		if (edition.volume !== undefined) item.volume = String(edition.volume);
	}
	if (paper.pages) item.page = paper.pages.replace(/\s*[-–—]+\s*/, '-');
	if (paper.doi) item.DOI = paper.doi;
	const url = paper.url ?? (paper.doi ? `https://doi.org/${paper.doi}` : pageUrl);
	if (url) item.URL = url;
	if (paper.abstract) item.abstract = paper.abstract;
	if (paper.keywords.length) item.keyword = paper.keywords.join(', ');
	if (paper.award) item.note = paper.award;
	return item;
}
