import baseConfig from "@mad/eslint-config/base";

export default [...baseConfig, { ignores: ["build/**", "screenshots/**", "test-results/**", "playwright-report/**", "public/**"] }];
