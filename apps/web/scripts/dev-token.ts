/**
 * `pnpm --filter @mad/web dev-token [ada|grace|linus]`: prints a bearer token for a demo user
 * (development only; see app/server/dev-token.server.ts). The token goes to stdout alone, so
 * `TOKEN=$(pnpm --silent --filter @mad/web dev-token ada)` works; the explanation to stderr.
 */
import { readWebEnv } from "../app/env.server";
import { mintDevToken } from "../app/server/dev-token.server";

// The run command and `pnpm dev` enable the development login; so does this command by default.
const env = readWebEnv({ ENABLE_DEV_LOGIN: "true", ...process.env });
const result = await mintDevToken(env, process.argv[2] ?? "ada");
if (!result.ok) {
  process.stderr.write(`${result.message}\n`);
  process.exit(1);
}
process.stderr.write(
  `Bearer token for ${result.user.name} <${result.user.email}>, valid ${result.expiresInSeconds / 3600} hours:\n`,
);
process.stdout.write(`${result.token}\n`);
