/**
 * `mad`: the command line of Model Artifacts & Delivery. MAD_TOKEN (an access token of your
 * account) and MAD_API_URL (the dashboard's origin) come from the environment (./env.ts).
 */
import { TRPCClientError } from "@trpc/client";
import { Command, InvalidArgumentError, Option } from "commander";

import { createModelsClient } from "@mad/api/client";

import { listModels, showModel } from "./commands/models";
import { pullCommand } from "./commands/pull";
import { waitForModel } from "./commands/wait";
import { CliUsageError, readCliEnv } from "./env";

const positiveInt = (max: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
  }
  return number;
};

function client() {
  const env = readCliEnv();
  return createModelsClient({ baseUrl: env.MAD_API_URL, token: env.MAD_TOKEN });
}

const write = (text: string) => process.stdout.write(text);

const program = new Command("mad")
  .description("List, show, wait for and pull your stored models (verified, resumable downloads).")
  .showHelpAfterError();

const models = program.command("models").description("your models");
models
  .command("list")
  .description("list your models, newest first")
  .option("--page <n>", "page number", positiveInt(1_000_000), 1)
  .option("--limit <n>", "models per page (1-100)", positiveInt(100), 12)
  .addOption(
    new Option("--sort <order>", "sort order")
      .choices(["created_at", "quality"])
      .default("created_at"),
  )
  .option("-q, --search <text>", "only models whose name contains this")
  .option("--json", "print the API's JSON", false)
  .action(
    async (options: {
      page: number;
      limit: number;
      sort: "created_at" | "quality";
      search?: string;
      json: boolean;
    }) => {
      await listModels(client(), options, write);
    },
  );
models
  .command("show")
  .description("one model: status, quality, files with sha256")
  .argument("<model-id>")
  .option("--json", "print the API's JSON", false)
  .action(async (modelId: string, options: { json: boolean }) => {
    await showModel(client(), modelId, options.json, write);
  });

program
  .command("pull")
  .description("download a stored model's files into a folder, resumed and verified")
  .argument("<model-id>")
  .option("--dir <folder>", "where to put the files (default: ./<model-id>)")
  .option("--files <names>", "comma-separated file names (default: all)", (value) =>
    value
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  )
  .option("--concurrency <n>", "files downloaded at once", positiveInt(16), 4)
  .option("--json", "JSON lines on stdout instead of progress bars", false)
  .action(
    async (
      modelId: string,
      options: { dir?: string; files?: string[]; concurrency: number; json: boolean },
    ) => {
      process.exitCode = await pullCommand(client(), modelId, {
        dir: options.dir ?? modelId,
        concurrency: options.concurrency,
        json: options.json,
        ...(options.files ? { files: options.files } : {}),
      });
    },
  );

program
  .command("wait")
  .description("wait until a model is stored (exit 0), or failed or deleted (exit 1)")
  .argument("<model-id>")
  .option("--timeout <seconds>", "give up after this long (exit 124)", positiveInt(7 * 86_400))
  .option("--json", "JSON lines on stdout", false)
  .action(async (modelId: string, options: { timeout?: number; json: boolean }) => {
    process.exitCode = await waitForModel(client(), modelId, {
      json: options.json,
      ...(options.timeout === undefined ? {} : { timeoutSeconds: options.timeout }),
      write,
      writeError: (text) => process.stderr.write(text),
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliUsageError) {
    process.stderr.write(`mad: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    process.stderr.write(`mad: ${error.message}${code ? ` (${code})` : ""}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`mad: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
