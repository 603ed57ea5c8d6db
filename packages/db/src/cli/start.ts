// Starts (or reuses) the embedded Postgres, migrates it and keeps it running until Ctrl-C.
import { resolveDatabase } from "../resolve";

const database = await resolveDatabase();
const safeUrl = database.url.replace(/:[^:@/]+@/, ":***@");
console.log(`database ready (${database.source}): ${safeUrl}`);
if (database.source === "embedded") {
  const shutdown = () => {
    void database.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  setInterval(() => {}, 1 << 30);
}
