/**
 * Unicode ↔ LaTeX for BibTeX fields. Exports write accents as LaTeX commands ({\'e}) because
 * classic BibTeX and many reference managers still mangle raw UTF-8 in names; the decoder reads
 * both forms back so that imported DBLP/Springer files and our own exports round-trip.
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

/** The reverse of {@link ACCENT_COMMANDS}. */
const ACCENT_MARKS: Record<string, string> = Object.fromEntries(
	Object.entries(ACCENT_COMMANDS).map(([mark, command]) => [command, mark])
);

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

const LETTERS_BY_COMMAND: Record<string, string> = Object.fromEntries(
	Object.entries(LETTER_COMMANDS).map(([letter, command]) => [command, letter])
);

/** Word commands the decoder understands besides letters and accents. */
const SYMBOL_COMMANDS: Record<string, string> = {
	textendash: '–',
	textemdash: '—',
	textquoteright: '’',
	textquoteleft: '‘',
	textquotedblleft: '“',
	textquotedblright: '”',
	textasciitilde: '~',
	textasciicircum: '^',
	textbackslash: '\\',
	textunderscore: '_',
	textregistered: '®',
	texttrademark: '™',
	textcopyright: '©',
	S: '§',
	P: '¶',
	ldots: '…',
	dots: '…',
	textellipsis: '…'
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

interface Cursor {
	text: string;
	at: number;
}

/** Reads one accent argument: `{e}`, `{\i}`, `e`, or `\i`, skipping spaces first. */
function readArgument(cursor: Cursor): string {
	const { text } = cursor;
	while (text[cursor.at] === ' ') cursor.at++;
	if (text[cursor.at] === '{') {
		let depth = 0;
		const start = cursor.at;
		for (; cursor.at < text.length; cursor.at++) {
			if (text[cursor.at] === '\\') {
				cursor.at++;
				continue;
			}
			if (text[cursor.at] === '{') depth++;
			if (text[cursor.at] === '}' && --depth === 0) break;
		}
		const inner = text.slice(start + 1, cursor.at);
		cursor.at++;
		return decodeLatex(inner);
	}
	if (text[cursor.at] === '\\') {
		const match = /^\\([a-zA-Z]+|.)/.exec(text.slice(cursor.at));
		if (match) {
			cursor.at += match[0].length;
			return decodeLatex(match[0]);
		}
	}
	const ch = text[cursor.at] ?? '';
	cursor.at++;
	return ch;
}

/** Puts a combining accent on the first letter of `base` (LaTeX accents apply to one letter). */
function applyAccent(base: string, mark: string): string {
	if (!base) return mark.normalize('NFC');
	const [first, ...rest] = [...base];
	// \'{\i} is how LaTeX writes í: the dotless i takes the accent.
	const letter = first === 'ı' ? 'i' : first === 'ȷ' ? 'j' : first;
	return (letter + mark).normalize('NFC') + rest.join('');
}

/**
 * Decodes a BibTeX field value to plain Unicode: accent commands composed (`{\"u}`, `\'{e}`,
 * `\c c`), letter commands (`\ss`, `\o`) expanded, escaped specials unescaped, grouping braces
 * removed, `--`/`---` turned into dashes and `~` into a space.
 */
export function decodeLatex(value: string): string {
	const cursor: Cursor = { text: value, at: 0 };
	let out = '';
	while (cursor.at < value.length) {
		const ch = value[cursor.at];
		if (ch === '{' || ch === '}') {
			cursor.at++;
			continue;
		}
		if (ch === '~') {
			out += ' ';
			cursor.at++;
			continue;
		}
		if (ch === '-' && value.startsWith('---', cursor.at)) {
			out += '—';
			cursor.at += 3;
			continue;
		}
		if (ch === '-' && value.startsWith('--', cursor.at)) {
			out += '–';
			cursor.at += 2;
			continue;
		}
		if (ch !== '\\') {
			out += ch;
			cursor.at++;
			continue;
		}
		const next = value[cursor.at + 1] ?? '';
		if (ACCENT_MARKS[next] && !/[a-zA-Z]/.test(next)) {
			cursor.at += 2;
			out += applyAccent(readArgument(cursor), ACCENT_MARKS[next]);
			continue;
		}
		const word = /^[a-zA-Z]+/.exec(value.slice(cursor.at + 1))?.[0];
		if (!word) {
			// An escaped special: \& \% \$ \# \_ \{ \} and "\ " (a forced space).
			out += next;
			cursor.at += 2;
			continue;
		}
		cursor.at += 1 + word.length;
		if (ACCENT_MARKS[word] && /^[a-zA-Z]$/.test(word)) {
			out += applyAccent(readArgument(cursor), ACCENT_MARKS[word]);
			continue;
		}
		if (LETTERS_BY_COMMAND[word] !== undefined || SYMBOL_COMMANDS[word] !== undefined) {
			out += LETTERS_BY_COMMAND[word] ?? SYMBOL_COMMANDS[word];
			// A space after a word command only ends the command ("\ss b" → "ßb").
			if (value[cursor.at] === ' ') cursor.at++;
			continue;
		}
		// Formatting commands (\emph{x}, \textit{x}, \mathrm{x}) keep only their argument.
		if (value[cursor.at] === '{') out += readArgument(cursor);
	}
	return out.normalize('NFC');
}
