import { ADA, expect, test } from "./fixtures";

test.use({ signedInAs: ADA });

/**
 * The one spec that reads the demo seed's artifacts (stored by the real simulator → ingester
 * pipeline; the stack refuses to start without them). It picks a model by what it is, not by
 * its place in the seed.
 */
test("a model stored by the pipeline shows the loss chart of its real metrics", async ({
  page,
  db,
}) => {
  const [model] = await db.sql<{ id: string; job_id: string; name: string }[]>`
    select id, job_id, name from model_artifacts
    where user_id = ${ADA.id} and status = 'stored' and deleted_at is null
      and quality_score is not null
    order by id limit 1`;
  expect(model, "the pipeline stored a rated model for Ada").toBeDefined();
  const [counts] = await db.sql<{ training: number; validation: number; last: number }[]>`
    select count(training_loss)::int as training, count(validation_loss)::int as validation,
           max(step)::int as last
    from metrics_points where job_id = ${model!.job_id}
      and (training_loss is null or training_loss::text not in ('NaN', 'Infinity', '-Infinity'))`;
  await page.goto(`/models/${model!.id}`);
  await expect(page.getByRole("heading", { level: 1, name: model!.name })).toBeVisible();
  const chart = page.getByRole("img", { name: /Loss by training step/ });
  if (counts!.training <= 600) {
    await expect(chart).toHaveAttribute("data-training-points", String(counts!.training));
    await expect(chart).toHaveAttribute("data-validation-points", String(counts!.validation));
  }
  await expect(chart).toHaveAttribute("data-last-step", String(counts!.last));
  await expect(page.locator("figcaption")).toContainText(`at step ${counts!.last}`);
});
