import { main } from './main';

/** Resolves once everything written so far to the stream has been handed to the OS. */
function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}

/** Runs the CLI with these arguments and exits the process with its status. */
export function run(argv: string[]): void {
  main(argv).then(
    async (code) => {
      await Promise.all([flush(process.stdout), flush(process.stderr)]);
      process.exit(code);
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}

// The bundle entry (out/main/cli.js): `node out/main/cli.js …` runs directly; bin/multisession.js calls run().
if (require.main === module) run(process.argv.slice(2));

export { main };
