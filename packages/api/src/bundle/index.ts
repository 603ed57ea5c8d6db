export { createBundleHandler, type BundleHandlerDeps } from "./handler";
export { loadModelBundle, SHA256SUMS_NAME, type ModelBundle } from "./model-bundle";
export { sha256sums, SHA256SUMS_VERIFY_COMMAND } from "./sha256sums";
export { signBundleToken, verifyBundleToken } from "./token";
