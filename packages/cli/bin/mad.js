#!/usr/bin/env node
// The workspace ships TypeScript source (docs/decisions/0002); tsx loads it at start-up.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
