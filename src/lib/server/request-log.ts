/**
 * One JSON line per request on stdout, and one per unexpected error on stderr: a log collector
 * (journald, Loki…) reads them field by field, and nothing a client sends is ever interpreted as
 * a format string or splits an entry over several lines.
 */

/** What is logged for one answered request. */
export interface RequestLogEntry {
	method: string;
	/** The path as sent, still percent-encoded; the query string is left out (readers' searches). */
	path: string;
	status: number;
	/** Time to the response's headers, in milliseconds. */
	ms: number;
	/** Response size when known (content-length), else null. */
	bytes: number | null;
	/** Whether the answer came from the search result cache (search routes only). */
	cached?: boolean;
	/** Whether the page was sent from the rendered-page cache (page-cache.ts). */
	pageCached?: boolean;
}

/** Longest path written to the log; longer ones are cut and marked. */
const MAX_PATH = 300;

/** The log line of a request: one JSON object with a timestamp, no newline inside. */
export function formatRequestLog(entry: RequestLogEntry, now = new Date()): string {
	const path =
		entry.path.length > MAX_PATH
			? `${entry.path.slice(0, MAX_PATH)}…(${entry.path.length})`
			: entry.path;
	return JSON.stringify({
		time: now.toISOString(),
		level: entry.status >= 500 ? 'error' : 'info',
		...entry,
		path,
		ms: Math.round(entry.ms * 10) / 10
	});
}

/** The log line of an unexpected error: its message, its stack as one string, and the request. */
export function formatErrorLog(
	request: { method: string; path: string },
	error: unknown,
	now = new Date()
): string {
	const message = error instanceof Error ? error.message : String(error);
	const stack = error instanceof Error ? error.stack : undefined;
	return JSON.stringify({
		time: now.toISOString(),
		level: 'error',
		method: request.method,
		path: request.path.slice(0, MAX_PATH),
		error: message,
		stack
	});
}
