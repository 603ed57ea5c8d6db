/**
 * Demo users of the development login and the seed. Outside production only; their ids are
 * what a Supabase access token's `sub` would carry.
 */
export const DEMO_USERS = [
  { id: "7d3c1a52-5b1e-4f5e-9a51-0c1f2d3e4a01", email: "ada@example.com", name: "Ada Lovelace" },
  { id: "7d3c1a52-5b1e-4f5e-9a51-0c1f2d3e4a02", email: "grace@example.com", name: "Grace Hopper" },
  // Has no models: shows the empty state.
  { id: "7d3c1a52-5b1e-4f5e-9a51-0c1f2d3e4a03", email: "linus@example.com", name: "Linus Pauling" },
] as const;

export type DemoUser = (typeof DEMO_USERS)[number];
