import baseConfig from "@mad/eslint-config/base";

export default [
  ...baseConfig,
  {
    ignores: ["build/**", "screenshots/**", "test-results/**", "playwright-report/**", "public/**"],
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
