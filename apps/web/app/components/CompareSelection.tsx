/**
 * Picking models to compare on the list: every card has a "Compare" checkbox that belongs to one
 * GET form to /models/compare (through the `form` attribute, so the checkboxes stay inside their
 * cards). Without JavaScript the browser sends `?ids=…&ids=…` and the compare page says what is
 * wrong with a selection; with JavaScript the count is shown as it changes and a selection out of
 * range is explained here instead of leaving the page.
 */
import { useEffect, useState } from "react";

import {
  COMPARE_MAX_MODELS as COMPARE_MAX,
  COMPARE_MIN_MODELS as COMPARE_MIN,
} from "@mad/api/limits";

export const COMPARE_FORM_ID = "compare-models";

/** The `change` event of a checkbox, typed by hand (no DOM lib: app/lib/browser.ts). */
interface CheckboxChange {
  currentTarget: unknown;
}

function isCheckedTarget(event: CheckboxChange): boolean {
  return (event.currentTarget as { checked: boolean }).checked;
}

/**
 * The selection's state, kept by the list page; the checkboxes stay native (uncontrolled). It
 * starts again whenever the list shows other cards (`listKey`: another page, search or order),
 * as the cards' boxes do.
 */
export function useCompareSelection(listKey: string) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setSelected(new Set()), [listKey]);
  const toggle = (id: string, checked: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  return { selected, toggle };
}

function selectionHint(count: number): string {
  if (count === 0) return `Tick ${COMPARE_MIN} to ${COMPARE_MAX} models to compare them.`;
  if (count < COMPARE_MIN) return `1 selected: tick at least one more to compare.`;
  if (count > COMPARE_MAX) return `${count} selected: compare takes at most ${COMPARE_MAX}.`;
  return `${count} selected.`;
}

export function CompareSelectionForm({
  count,
  hydrated,
}: {
  /** How many boxes are ticked (known only once the page runs JavaScript). */
  count: number;
  hydrated: boolean;
}) {
  const [refused, setRefused] = useState(false);
  const inRange = count >= COMPARE_MIN && count <= COMPARE_MAX;
  return (
    <form
      id={COMPARE_FORM_ID}
      method="get"
      action="/models/compare"
      className="flex flex-wrap items-center gap-3"
      aria-label="Compare models"
      data-testid="compare-form"
      onSubmit={(event) => {
        if (inRange) return;
        event.preventDefault();
        setRefused(true);
      }}
    >
      <button type="submit" className="btn-secondary">
        Compare selected
      </button>
      <p
        className={`text-sm ${refused && !inRange ? "font-medium text-red-800" : "text-slate-700"}`}
        aria-live="polite"
        data-testid="compare-hint"
      >
        {hydrated
          ? selectionHint(count)
          : `Tick ${COMPARE_MIN} to ${COMPARE_MAX} models, then compare.`}
      </p>
    </form>
  );
}

export function CompareCheckbox({
  modelId,
  modelName,
  onToggle,
}: {
  modelId: string;
  modelName: string;
  onToggle: (id: string, checked: boolean) => void;
}) {
  return (
    // Above the card's full-size link (its ::after covers the card), so a click ticks the box.
    <label className="relative z-10 inline-flex w-fit cursor-pointer items-center gap-2 py-1 text-sm text-slate-700">
      <input
        type="checkbox"
        name="ids"
        value={modelId}
        form={COMPARE_FORM_ID}
        className="size-4 accent-indigo-700"
        onChange={(event) => onToggle(modelId, isCheckedTarget(event))}
      />
      Compare<span className="sr-only"> {modelName}</span>
    </label>
  );
}
