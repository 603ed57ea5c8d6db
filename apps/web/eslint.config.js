import reactHooks from "eslint-plugin-react-hooks";

import baseConfig from "@mad/eslint-config/base";

export default [
  ...baseConfig,
  {
    ignores: ["build/**", "screenshots/**", "test-results/**", "playwright-report/**", "public/**"],
  },
  {
    // React code only: Playwright fixtures and test harnesses (`useSeededHarness`) are not hooks.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/**/*.test.ts", "app/**/*.test.tsx", "app/testing/**"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      // The two classic rules; the compiler-oriented ones of v7 assume the React Compiler.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      // Remix loaders and actions end with thrown responses (redirects, 404/400 pages) by design.
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "lib", name: "Response" },
            { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
            { from: "package", package: "@remix-run/router", name: "DataWithResponseInit" },
          ],
        },
      ],
    },
  },
];
