// `pnpm db:migrate`: migrates DATABASE_URL, or the embedded Postgres (started for the purpose).
import { resolveDatabase } from "../resolve";

const database = await resolveDatabase();
console.log(`migrated (${database.source})`);
await database.stop();
