/**
 * The user's model artifacts (SPEC §6), one file per procedure. Every query is scoped to the
 * caller in SQL (see ./ownership), so another user's model answers exactly like a missing one.
 */
import { router } from "../../trpc";
import { modelBundleProcedure } from "./bundle";
import { modelByIdProcedure } from "./by-id";
import { modelCardProcedure } from "./card";
import { modelChecksumsProcedure } from "./checksums";
import { compareModelsProcedure } from "./compare";
import { deleteModelProcedure } from "./delete";
import { downloadModelProcedure } from "./download";
import { modelEventsProcedure } from "./events";
import { modelLineProcedure } from "./line";
import { listModelsProcedure } from "./list";
import { modelMetricsProcedure } from "./metrics";
import { moveAliasProcedure } from "./move-alias";
import { removeAliasProcedure } from "./remove-alias";
import { resolveAliasProcedure } from "./resolve";
import { retryIngestionProcedure } from "./retry-ingestion";
import { updateModelProcedure } from "./update";

export const modelsRouter = router({
  list: listModelsProcedure,
  byId: modelByIdProcedure,
  download: downloadModelProcedure,
  bundle: modelBundleProcedure,
  checksums: modelChecksumsProcedure,
  metrics: modelMetricsProcedure,
  compare: compareModelsProcedure,
  card: modelCardProcedure,
  delete: deleteModelProcedure,
  retryIngestion: retryIngestionProcedure,
  events: modelEventsProcedure,
  update: updateModelProcedure,
  line: modelLineProcedure,
  moveAlias: moveAliasProcedure,
  removeAlias: removeAliasProcedure,
  resolve: resolveAliasProcedure,
});
