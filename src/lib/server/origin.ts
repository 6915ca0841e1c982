/**
 * The public origin of the site (scheme, host, port), from `ORIGIN`, never from a request's
 * `Host` header: links in the sitemap, feed, open data and canonical tags are cached by others,
 * so a forged header must not be able to put another host in them.
 */

/** Thrown when `ORIGIN` is missing in production or is not a bare http(s) origin. */
export class OriginConfigError extends Error {
	constructor(message: string) {
		super(`glassbox: ORIGIN: ${message}`);
		this.name = 'OriginConfigError';
	}
}

type Environment = Record<string, string | undefined>;

/**
 * The configured public origin, without a trailing slash. `ORIGIN` is required when
 * `NODE_ENV=production`; elsewhere (a newcomer's `node build` on their own machine) it defaults to
 * `http://localhost:$PORT`. Throws {@link OriginConfigError} otherwise.
 */
export function resolvePublicOrigin(env: Environment): string {
	const configured = env.ORIGIN?.trim();
	if (!configured) {
		if (env.NODE_ENV === 'production') {
			throw new OriginConfigError(
				'not set; in production set it to the public address, e.g. ORIGIN=https://imimic.example.org'
			);
		}
		return `http://localhost:${env.PORT?.trim() || '3000'}`;
	}
	let url: URL;
	try {
		url = new URL(configured);
	} catch {
		throw new OriginConfigError(`"${configured}" is not a URL`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new OriginConfigError(`"${configured}" is not an http or https address`);
	}
	if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
		throw new OriginConfigError(
			`"${configured}" has more than scheme, host and port (Glassbox is served at the root)`
		);
	}
	return url.origin;
}

let cached: string | null = null;

/** The public origin of this server process (see {@link resolvePublicOrigin}), read once. */
export function publicOrigin(): string {
	cached ??= resolvePublicOrigin(process.env);
	return cached;
}
