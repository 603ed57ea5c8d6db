/** A session cookie exactly like the one /login sets, made with the server's own secrets. */
import { createAuth } from "@mad/api";
import { createCookieSessionStorage } from "@remix-run/node";

export async function mintSessionCookie(
  secrets: { authJwtSecret: string; sessionSecret: string },
  user: { id: string; email: string },
): Promise<{ name: string; value: string }> {
  const auth = createAuth({ jwtSecret: secrets.authJwtSecret });
  const storage = createCookieSessionStorage({
    cookie: {
      name: "__mad_session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secrets: [secrets.sessionSecret],
    },
  });
  const session = await storage.getSession();
  session.set("accessToken", await auth.mintAccessToken(user.id, { expiresInSeconds: 3600 }));
  session.set("email", user.email);
  const [pair] = (await storage.commitSession(session)).split(";");
  const index = pair!.indexOf("=");
  return { name: pair!.slice(0, index), value: pair!.slice(index + 1) };
}
