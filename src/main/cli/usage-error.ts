/** A mistake in how the CLI was called: reported in one line, exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The verb whose help the user should read, if any. */
    readonly verb?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
