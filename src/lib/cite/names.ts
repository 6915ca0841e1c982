/**
 * Personal names for citations: splitting a display name ("Bram van Ginneken") into given and
 * family parts, and reading the "Family, Given" form BibTeX and RIS use.
 */

export interface NameParts {
	given: string;
	/** Family name including a lower-case particle ("van Ginneken", "de Bruijne"). */
	family: string;
	suffix?: string;
}

const PARTICLES = new Set([
	'van',
	'von',
	'der',
	'den',
	'de',
	'del',
	'della',
	'di',
	'da',
	'du',
	'des',
	'la',
	'le',
	'ter',
	'ten',
	'dos',
	'das',
	'do',
	'bin',
	'al',
	'el'
]);

const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);

/**
 * Splits a name. "Family, Given" is taken as written; otherwise the last word is the family
 * name, extended leftwards over lower-case particles ("Bram van Ginneken" → van Ginneken).
 */
export function splitName(name: string): NameParts {
	const clean = name.replace(/\s+/g, ' ').trim();
	const commaParts = clean.split(/\s*,\s*/);
	if (commaParts.length === 3) {
		return { family: commaParts[0], suffix: commaParts[1], given: commaParts[2] };
	}
	if (commaParts.length === 2) {
		return { family: commaParts[0], given: commaParts[1] };
	}
	const words = clean.split(' ');
	let suffix: string | undefined;
	if (words.length > 2 && SUFFIXES.has(words[words.length - 1].toLowerCase())) {
		suffix = words.pop();
	}
	if (words.length === 1) return { given: '', family: words[0], ...(suffix ? { suffix } : {}) };
	let familyStart = words.length - 1;
	while (familyStart > 1 && PARTICLES.has(words[familyStart - 1])) familyStart--;
	return {
		given: words.slice(0, familyStart).join(' '),
		family: words.slice(familyStart).join(' '),
		...(suffix ? { suffix } : {})
	};
}

/** "Family, Given" (or "Family, Suffix, Given"), the order BibTeX and RIS expect. */
export function invertedName(name: string): string {
	const parts = splitName(name);
	if (!parts.given) return parts.family;
	return parts.suffix
		? `${parts.family}, ${parts.suffix}, ${parts.given}`
		: `${parts.family}, ${parts.given}`;
}

/** Display order ("Given Family") from either form. */
export function displayName(name: string): string {
	const parts = splitName(name);
	return [parts.given, parts.family, parts.suffix].filter(Boolean).join(' ');
}
