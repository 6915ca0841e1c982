/** Display formatting shared by the proceedings pages. */

/** "27 September 2025" from an ISO date, in UTC so the day never shifts. */
export function formatDate(iso: string | undefined): string | null {
	if (!iso) return null;
	const date = new Date(`${iso}T00:00:00Z`);
	if (Number.isNaN(date.getTime())) return iso;
	return date.toLocaleDateString('en-GB', {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	});
}

/** "1 paper" / "3 papers". */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
	return `${count} ${count === 1 ? word : pluralWord}`;
}
