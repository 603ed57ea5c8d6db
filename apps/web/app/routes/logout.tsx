import { type ActionFunctionArgs, redirect } from "@remix-run/node";

import { assertSameOrigin, getSession } from "../server/session.server";

export async function action({ request }: ActionFunctionArgs) {
  await assertSameOrigin(request);
  const { context, session } = await getSession(request);
  const target = context.devLoginEnabled ? "/login" : "/";
  return redirect(target, {
    headers: { "Set-Cookie": await context.sessionStorage.destroySession(session) },
  });
}

export function loader() {
  return redirect("/models");
}
