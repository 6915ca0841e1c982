import type { Paper } from './types.ts';

/** Licences that let anyone redistribute the PDF (so this site may serve its cached copy). */
export function licenseAllowsRedistribution(license: string | null | undefined): boolean {
	if (!license) return false;
	const id = license.toLowerCase().replace(/[\s_]+/g, '-');
	if (/\bnd\b|no-?deriv/.test(id) && !/^cc-by-nd/.test(id)) return false;
	return /^(cc-?by|cc0|cc-?zero|public-domain|pd\b|mit|apache|bsd)/.test(id);
}

/**
 * Whether Glassbox may serve a paper's PDF itself: always for a PDF the organiser put in
 * `papers/`, and for a fetched open-access copy only when its licence allows redistribution.
 * Otherwise the paper page links out to the source.
 */
export function canServePdf(paper: Pick<Paper, 'pdf' | 'license'>): boolean {
	if (!paper.pdf) return false;
	return paper.pdf.origin === 'local' || licenseAllowsRedistribution(paper.license);
}
