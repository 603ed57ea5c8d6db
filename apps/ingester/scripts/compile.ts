/**
 * Builds the ingester into one JavaScript file (esbuild): what production runs (`pnpm build`,
 * then `pnpm start:prod`) and what the benchmark measures — compiled code, not the tsx loader
 * (whose transpile cache and source maps cost RSS).
 * Workspace packages are TypeScript sources that find files next to themselves through
 * `import.meta.url` (migrations, the embedded Postgres supervisor), so each module's
 * `import.meta.url` is pinned to its original file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { build, type Plugin } from "esbuild";

const keepImportMetaUrl: Plugin = {
  name: "keep-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\/(packages|apps)\/[^/]+\/src\/.*\.(ts|mjs)$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      return {
        contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith(".ts") ? "ts" : "js",
      };
    });
  },
};

/** Bundles `entry` into `{outDir}/{name}.mjs`; returns its path. */
export async function compile(entry: string, outDir: string, name: string): Promise<string> {
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    outfile,
    plugins: [keepImportMetaUrl],
    // pg's optional native binding is never installed.
    external: ["pg-native"],
    // CommonJS dependencies inside an ES module bundle call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  return outfile;
}
