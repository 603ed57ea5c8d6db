/** What an engine makes of an adapter: does it load, why not, and the command that loads it. */

export type ServingStatus =
  /** Loads with the engine's defaults. */
  | "loads"
  /** Loads once the command carries the flags (or packages) named in `needs`. */
  | "loads_with_flags"
  /** The engine refuses it; `blockers` say why. */
  | "does_not_load"
  /** We have not verified the engine's rules for this kind of adapter. */
  | "not_checked";

export interface ServingNote {
  code: string;
  message: string;
  /** The engine's documentation or source the rule comes from. */
  source: string;
}

export interface ServingVerdict {
  engine: "vllm" | "peft" | "tgi";
  label: string;
  status: ServingStatus;
  /** Why it does not load (empty unless does_not_load / not_checked). */
  blockers: ServingNote[];
  /** What the command needs beyond the defaults (flags, package versions). */
  needs: ServingNote[];
  /** Worth knowing, but no reason it fails. */
  notes: ServingNote[];
  /** The command or code, exactly as it works when pasted; null when it does not load. */
  command: string | null;
  language: "shell" | "python";
}

export interface ServingTarget {
  /** The folder the adapter's files are in, relative to where the command runs. */
  adapterDir: string;
}

/**
 * We have not verified the engine's rules for this adapter: `why` is the one blocker, and no
 * command is shown rather than a guessed one.
 */
export function notCheckedVerdict(
  engine: Pick<ServingVerdict, "engine" | "label" | "language">,
  why: ServingNote,
  { needs, notes }: Pick<ServingVerdict, "needs" | "notes">,
): ServingVerdict {
  return { ...engine, status: "not_checked", blockers: [why], needs, notes, command: null };
}

export function statusOf(blockers: ServingNote[], needs: ServingNote[]): ServingStatus {
  if (blockers.length > 0) return "does_not_load";
  return needs.length > 0 ? "loads_with_flags" : "loads";
}
