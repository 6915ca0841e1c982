/**
 * Progress output for the ingest: a redrawn bar on a terminal, plain lines otherwise (CI logs,
 * pipes), so logs stay readable and terminals stay quiet.
 */
export interface Progress {
	update(done: number, total: number, label: string): void;
	done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
	if (!stream.isTTY) {
		let lastPercent = -1;
		return {
			update(done, total, label) {
				// One line per tenth keeps a 1,000-PDF log short.
				const percent = total ? Math.floor((done / total) * 10) * 10 : 100;
				if (percent !== lastPercent || done === total) {
					lastPercent = percent;
					stream.write(`extract ${done}/${total} ${label}\n`);
				}
			},
			done() {}
		};
	}
	return {
		update(done, total, label) {
			const width = 28;
			const filled = total ? Math.round((done / total) * width) : width;
			const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
			const columns = stream.columns ?? 80;
			const line = `extract ${bar} ${done}/${total} ${label}`.slice(0, columns - 1);
			stream.write(`\r\x1b[2K${line}`);
		},
		done() {
			stream.write('\r\x1b[2K');
		}
	};
}
