import { describe, expect, it } from "vitest";

import { trainingArgs } from "./index";

describe("trainingArgs", () => {
  it("trainingArgs carries the usual hyper-parameters, stable per job id", () => {
    const args = trainingArgs("job-args");
    expect(args).toEqual(trainingArgs("job-args"));
    expect(typeof args.learning_rate).toBe("number");
    expect(typeof args.num_train_epochs).toBe("number");
    expect(typeof args.per_device_train_batch_size).toBe("number");
    expect(args.output_dir).toBe("/checkpoints/job-args");
  });
});
