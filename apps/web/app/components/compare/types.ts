/** What the compare page's sections receive: the output of models.compare. */
import type { RouterOutputs } from "@mad/api";

export type Comparison = RouterOutputs["models"]["compare"];
export type ComparedModel = Comparison["models"][number];
export type DiffRow = Comparison["configuration_diff"][number];
