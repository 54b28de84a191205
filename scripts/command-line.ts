// One way for every command-line entry point to read its arguments: node's
// parseArgs in strict mode, `--help`/`-h` answered with the usage on stdout
// (exit 0), and an unknown or malformed flag refused with one line on stderr
// (exit 2, "bad arguments", as `npm run import` has always said). Scripts
// call this before importing the app, so asking for help never opens the
// database or needs a valid configuration.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";

const helpOption = { help: { type: "boolean", short: "h", default: false } } as const;

type Config = Omit<ParseArgsConfig, "args" | "strict">;
type WithHelp<T extends Config> = T & { options: NonNullable<T["options"]> & typeof helpOption };

/**
 * Parses process.argv for `command` (as the person typed it, e.g. "npm run
 * import"). Returns the parsed arguments, or the exit code when there is
 * nothing more to do (help was given, or the arguments were refused).
 */
export function parseCommandLine<const T extends Config>({
  command,
  usage,
  config,
}: {
  command: string;
  usage: string;
  config: T;
}): ReturnType<typeof parseArgs<WithHelp<T> & { strict: true }>> | { exitCode: number } {
  const withHelp = { ...config, options: { ...config.options, ...helpOption }, strict: true } as WithHelp<T> & {
    strict: true;
  };
  let parsed;
  try {
    parsed = parseArgs(withHelp);
  } catch (error) {
    console.error(`${command}: ${error instanceof Error ? error.message : String(error)} (see ${command} -- --help)`);
    return { exitCode: 2 };
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return { exitCode: 0 };
  }
  return parsed;
}

/**
 * Checks the parsed flags against the command's zod schema: the values, or
 * exit code 2 after one line per bad flag ("--by: give your name …") and the usage.
 */
export function checkFlags<Schema extends z.ZodType>({
  schema,
  values,
  usage,
}: {
  schema: Schema;
  values: unknown;
  usage: string;
}): { values: z.infer<Schema> } | { exitCode: number } {
  // zod drops the help flag with any other key the schema does not name.
  const parsed = schema.safeParse(values);
  if (parsed.success) return { values: parsed.data };
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  console.error(usage);
  return { exitCode: 2 };
}
