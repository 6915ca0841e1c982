/**
 * Unicode → LaTeX for BibTeX exports. Accents are written as LaTeX commands ({\'e}) because
 * classic BibTeX and many reference managers still mangle raw UTF-8 in names. Reading BibTeX
 * back (the import, and the tests that round-trip every export) is @retorquere/bibtex-parser's.
 *
 * Pure: no Node APIs, relative imports only.
 */

/** Combining mark → the LaTeX accent command that draws it. */
const ACCENT_COMMANDS: Record<string, string> = {
	'\u0300': '`',
	'\u0301': "'",
	'\u0302': '^',
	'\u0303': '~',
	'\u0304': '=',
	'\u0306': 'u',
	'\u0307': '.',
	'\u0308': '"',
	'\u030a': 'r',
	'\u030b': 'H',
	'\u030c': 'v',
	'\u0323': 'd',
	'\u0327': 'c',
	'\u0328': 'k'
};

/** Letters LaTeX writes as a command of their own rather than an accented base. */
const LETTER_COMMANDS: Record<string, string> = {
	ß: 'ss',
	ø: 'o',
	Ø: 'O',
	æ: 'ae',
	Æ: 'AE',
	œ: 'oe',
	Œ: 'OE',
	å: 'aa',
	Å: 'AA',
	ł: 'l',
	Ł: 'L',
	ı: 'i',
	ȷ: 'j'
};

/** Characters with a meaning in BibTeX/LaTeX that must be escaped inside a field. */
const SPECIAL_ESCAPES: Record<string, string> = {
	'\\': '{\\textbackslash}',
	'{': '\\{',
	'}': '\\}',
	'&': '\\&',
	'%': '\\%',
	$: '\\$',
	'#': '\\#',
	_: '\\_',
	'~': '{\\textasciitilde}',
	'^': '{\\textasciicircum}'
};

/**
 * Encodes text for a BibTeX field value: LaTeX specials escaped, accented letters written as
 * `{\'e}`, letters such as ß or ø as `{\ss}`, `{\o}`. Characters with no LaTeX form stay UTF-8.
 */
export function encodeLatex(text: string): string {
	let out = '';
	for (const cluster of text.normalize('NFC')) {
		if (SPECIAL_ESCAPES[cluster]) {
			out += SPECIAL_ESCAPES[cluster];
			continue;
		}
		if (LETTER_COMMANDS[cluster]) {
			out += `{\\${LETTER_COMMANDS[cluster]}}`;
			continue;
		}
		if (cluster.charCodeAt(0) < 128) {
			out += cluster;
			continue;
		}
		const decomposed = cluster.normalize('NFD');
		const base = decomposed[0];
		const marks = [...decomposed.slice(1)];
		if (marks.length > 0 && base.charCodeAt(0) < 128 && marks.every((m) => ACCENT_COMMANDS[m])) {
			// Innermost mark first: ǘ (u + ¨ + ´) becomes {\'{\"u}}.
			let encoded = base === 'i' ? '\\i' : base === 'j' ? '\\j' : base;
			for (const mark of marks) {
				const command = ACCENT_COMMANDS[mark];
				const separator = /[a-zA-Z]/.test(command) ? ' ' : '';
				encoded = /^[a-zA-Z]$/.test(encoded)
					? `\\${command}${separator}${encoded}`
					: `\\${command}{${encoded}}`;
			}
			out += `{${encoded}}`;
			continue;
		}
		out += cluster;
	}
	return out;
}
