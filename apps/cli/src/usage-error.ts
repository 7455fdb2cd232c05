/** A command line the `mailq` command cannot run: printed with the usage, exit code 64 (EX_USAGE). */
export class UsageError extends Error {}
