/**
 * Headers every answer carries. Pages get their Content-Security-Policy from SvelteKit
 * (`kit.csp` in svelte.config.js, with the hashes of the inline scripts); other answers that a
 * browser could show as a document (JSON, XML, text) get one that allows nothing at all.
 */

/** Sent on every answer that goes through the server's hooks. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY'
};

/** The policy of answers that are data: nothing runs, loads or frames them. */
export const DATA_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * Adds the security headers to an answer's headers, leaving any a route set itself. PDFs and
 * images get no data policy: a browser's own PDF viewer may not work in a sandbox.
 */
export function applySecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!headers.has(name)) headers.set(name, value);
	}
	const type = headers.get('content-type') ?? '';
	const isDocumentOrMedia =
		/^(text\/html|application\/pdf|image\/|text\/javascript|application\/javascript)/i.test(type);
	if (!isDocumentOrMedia && !headers.has('content-security-policy')) {
		headers.set('content-security-policy', DATA_CONTENT_SECURITY_POLICY);
	}
}
