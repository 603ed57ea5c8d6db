/**
 * The only place the CLI reads the environment: the access token (MAD_TOKEN, never a flag, so
 * it stays out of shell history and `ps`) and the dashboard's origin (MAD_API_URL).
 */
import { z } from "zod";

const cliEnvSchema = z.object({
  MAD_TOKEN: z
    .string({ error: "is required: an access token of your account (see the README)" })
    .min(1, "must not be empty"),
  MAD_API_URL: z
    .url("must be the dashboard's origin, e.g. http://localhost:3000")
    .default("http://localhost:3000"),
});

export type CliEnv = z.infer<typeof cliEnvSchema>;

export function readCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const parsed = cliEnvSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new CliUsageError(`Invalid environment:\n${problems}`);
  }
  return parsed.data;
}

/** A mistake of the caller's (bad flag, missing token): printed as is, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}
