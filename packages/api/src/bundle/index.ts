export { type BundleHandlerDeps, createBundleHandler } from "./handler";
export { loadModelBundle, type ModelBundle, SHA256SUMS_NAME } from "./model-bundle";
export { sha256sums, SHA256SUMS_VERIFY_COMMAND } from "./sha256sums";
export { signBundleToken, verifyBundleToken } from "./token";
