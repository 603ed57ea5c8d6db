// Shared flat config: typescript-eslint's type-aware rules plus the few house rules that catch
// real defects in this codebase (floating promises in workers, focused tests, stray consoles).
import simpleImportSort from "eslint-plugin-simple-import-sort";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/build/**", "**/dist/**", "**/.cache/**", "**/drizzle/**"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    plugins: { "simple-import-sort": simpleImportSort },
    rules: {
      // One order everywhere (node: built-ins, packages, @mad/*, relative), fixed by --fix.
      "simple-import-sort/imports": [
        "error",
        { groups: [["^\\u0000"], ["^node:"], ["^@?\\w"], ["^@mad/"], ["^\\."]] },
      ],
      "simple-import-sort/exports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "error",
      // A value that may be missing is checked, not asserted away; see the numeric kernels below.
      "@typescript-eslint/no-non-null-assertion": "error",
      // Configuration is read in one place per app or package, validated with zod.
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.object.name='process'][object.property.name='env']",
          message: "Read the environment only in an env.ts file (validated with zod).",
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "describe", property: "only", message: "Focused tests hide failures." },
        { object: "it", property: "only", message: "Focused tests hide failures." },
        { object: "test", property: "only", message: "Focused tests hide failures." },
      ],
    },
  },
  {
    // The env files themselves; tests, benchmarks and e2e set up processes and print results.
    files: [
      "**/env.ts",
      "**/env.server.ts",
      "**/*.test.ts",
      "**/*.test.tsx",
      "**/bench/**",
      "**/bench.ts",
      "**/e2e/**",
      "**/testing/**",
      "**/*.config.ts",
    ],
    rules: {
      "no-restricted-syntax": "off",
      "no-console": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Numeric kernels (paths relative to each package, where its lint runs): index arithmetic
    // in loops bounded by the arrays' own lengths, and series whose counts were checked first,
    // which noUncheckedIndexedAccess cannot see; a guard per element would only add noise (and a
    // branch) to the loops that diagnose curves, downsample them and make the simulator's bytes.
    files: ["src/diagnostics/**", "src/downsample.ts", "src/noise.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    // Command-line entry points talk to a person on a terminal.
    files: ["**/cli.ts", "**/cli/**", "**/run.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
