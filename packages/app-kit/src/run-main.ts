/**
 * Runs an app's `main` on this process's arguments. What it resolves is the exit code; what it
 * throws is printed as `<name>: <message>` (the message is written for the user) and exits 1.
 */
export function runMain(name: string, main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
