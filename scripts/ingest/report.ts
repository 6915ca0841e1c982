/** Formats the closing ingest report: totals, then warnings and errors grouped by file. */
import type { IngestReport } from '../../src/lib/types.ts';

export function formatReport(report: IngestReport): string {
	const lines = [
		`papers    ${report.papers} (${report.papersWithPdf} with PDF)`,
		`pages     ${report.pages}`,
		`words     ${report.words.toLocaleString('en')}`,
		`extracted ${report.extracted} PDF(s), reused ${report.reused} unchanged`,
		`time      ${report.seconds.toFixed(1)} s`
	];
	const byFile = new Map<string, string[]>();
	for (const issue of report.issues) {
		const text = `${issue.severity}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
		byFile.set(issue.file, [...(byFile.get(issue.file) ?? []), text]);
	}
	const errors = report.issues.filter((issue) => issue.severity === 'error').length;
	const warnings = report.issues.length - errors;
	lines.push(`issues    ${errors} error(s), ${warnings} warning(s)`);
	for (const [file, messages] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
		for (const message of messages) lines.push(`  ${file}: ${message}`);
	}
	const outcome = {
		0: 'built: everything ingested',
		2: 'built: some papers skipped or listed without full text',
		1: 'nothing built: the previous build (if any) is still served'
	}[report.exitCode];
	lines.push(outcome);
	return lines.join('\n');
}
