import { defineConfig } from "drizzle-kit";

// Only `generate` is used: migrations are committed and applied by `pnpm db:migrate`
// (never `drizzle-kit push`; see docs/decisions/0003).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./drizzle",
  strict: true,
});
