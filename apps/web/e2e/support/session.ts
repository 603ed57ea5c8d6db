/** A session cookie exactly like the one /login sets, made with the server's own secrets. */
import { createAuth } from "@mad/api";

import { createSessionStorage } from "../../app/server/session-storage.server";

export async function mintSessionCookie(
  secrets: { authJwtSecret: string; sessionSecret: string },
  user: { id: string; email: string },
): Promise<{ name: string; value: string }> {
  const auth = createAuth({ jwtSecret: secrets.authJwtSecret });
  // Plain http://localhost in the tests: not a Secure cookie.
  const storage = createSessionStorage({ secret: secrets.sessionSecret, secure: false });
  const session = await storage.getSession();
  session.set("accessToken", await auth.mintAccessToken(user.id, { expiresInSeconds: 3600 }));
  session.set("email", user.email);
  const [pair] = (await storage.commitSession(session)).split(";");
  const index = pair!.indexOf("=");
  return { name: pair!.slice(0, index), value: pair!.slice(index + 1) };
}
