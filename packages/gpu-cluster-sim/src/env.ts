import { z } from "zod";

/** The only place the simulator reads the environment. */
const envSchema = z.object({
  GPU_CLUSTER_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  GPU_CLUSTER_SIM_HOST: z.string().min(1).default("127.0.0.1"),
  /** Origin written into file URLs when the simulator sits behind another address. */
  GPU_CLUSTER_SIM_PUBLIC_URL: z.url().optional(),
  GPU_CLUSTER_API_KEY: z
    .string({ error: "is required (the bearer key clients must send)" })
    .min(8, "must be at least 8 characters"),
});

export type SimEnv = z.infer<typeof envSchema>;

export function readSimEnv(source: NodeJS.ProcessEnv = process.env): SimEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    // Names the variable and the rule, never the value (the key is a secret).
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid GPU cluster simulator configuration:\n${problems}`);
  }
  return parsed.data;
}
