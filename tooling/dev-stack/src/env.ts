import { z } from "zod";

/** The only place the dev stack reads the environment (the rest is passed to its children). */
const stackEnvSchema = z.object({
  /** Where the product's embedded Postgres keeps its data (default: `<dataDir>/postgres`). */
  PGDATA_DIR: z.string().min(1).optional(),
  STORAGE_BACKEND: z.enum(["local", "supabase"]).default("local"),
});

export type StackEnv = z.infer<typeof stackEnvSchema>;

export function readStackEnv(source: NodeJS.ProcessEnv = process.env): StackEnv {
  const parsed = stackEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid dev-stack configuration:\n${problems}`);
  }
  return parsed.data;
}
