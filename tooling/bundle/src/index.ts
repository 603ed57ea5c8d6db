/**
 * Builds a process's TypeScript into one JavaScript file (esbuild), so production runs with plain
 * Node: the ingester (`pnpm --filter @mad/ingester build`, measured by its benchmark) and the
 * dashboard's server-side helpers that server.js loads. The tsx loader's transpile cache and
 * source maps cost RSS and start-up time.
 * Workspace packages are TypeScript sources that find files next to themselves through
 * `import.meta.url` (migrations, the embedded Postgres supervisor), so each module's
 * `import.meta.url` is pinned to its original file.
 */
import { readFile, writeFile } from "node:fs/promises";
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
export async function compile(
  entry: string,
  outDir: string,
  name: string,
  options: {
    /**
     * Packages left to be imported at run time (they must be dependencies of the package that
     * runs the bundle), e.g. prom-client, so that this bundle and the Remix build share one
     * registry.
     */
    external?: string[];
    /**
     * Also write `{outDir}/{name}.inputs.json`: the absolute paths of the files outside
     * node_modules that went into the bundle, so a launcher can tell a bundle older than its
     * sources (and then run the sources instead).
     */
    recordInputs?: boolean;
  } = {},
): Promise<string> {
  const outfile = path.join(outDir, `${name}.mjs`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    outfile,
    plugins: [keepImportMetaUrl],
    // pg's optional native binding is never installed.
    external: ["pg-native", ...(options.external ?? [])],
    // CommonJS dependencies inside an ES module bundle call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
    metafile: options.recordInputs === true,
  });
  if (options.recordInputs && result.metafile) {
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => !input.split(/[\\/]/).includes("node_modules"))
      .map((input) => path.resolve(input));
    await writeFile(
      path.join(outDir, `${name}.inputs.json`),
      `${JSON.stringify(inputs, null, 1)}\n`,
    );
  }
  return outfile;
}
