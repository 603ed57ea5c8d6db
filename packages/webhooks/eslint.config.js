import baseConfig from "@mad/eslint-config/base";

export default baseConfig;
