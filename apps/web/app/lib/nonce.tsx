import { createContext, useContext } from "react";

/** The per-response CSP nonce; only the server knows it (the browser hides it after parsing). */
export const NonceContext = createContext<string>("");

export function useNonce(): string {
  return useContext(NonceContext);
}
