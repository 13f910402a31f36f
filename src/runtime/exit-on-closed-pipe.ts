/**
 * `voucherify-publications-mock --help | head -1`: the reader may close the
 * pipe before everything is written. That is the reader's choice, not an
 * error: the command stops quietly (exit 0) instead of dying on EPIPE with a
 * stack trace. Used by both bins.
 */
export function exitOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}
