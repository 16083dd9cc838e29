/**
 * How each command-line entry point ends: its exit code, or on an error a line on stderr and
 * exit 1. An error of one of the `answers` classes (a configuration the user must fix, a refused
 * backup…) is already a sentence for the user and is printed as it is; anything else is
 * `<name> failed: <message>`.
 */
export function runCli(name: string, main: (argv: string[]) => Promise<number>, answers: readonly (abstract new (...args: never[]) => Error)[] = []): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const told = answers.some((cls) => err instanceof cls);
      process.stderr.write(told ? `${(err as Error).message}\n` : `${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
