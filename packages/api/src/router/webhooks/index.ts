/**
 * The user's outbound webhook endpoints and their deliveries (decision 0017), one file per
 * procedure. Another user's endpoint or delivery answers exactly like a missing one.
 */
import { router } from "../../trpc";
import { createEndpointProcedure } from "./create";
import { deleteEndpointProcedure } from "./delete";
import { deliveriesProcedure } from "./deliveries";
import { listEndpointsProcedure } from "./list";
import { redeliverProcedure } from "./redeliver";

export const webhooksRouter = router({
  create: createEndpointProcedure,
  list: listEndpointsProcedure,
  delete: deleteEndpointProcedure,
  deliveries: deliveriesProcedure,
  redeliver: redeliverProcedure,
});
