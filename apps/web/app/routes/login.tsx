/**
 * Development login (SPEC §6): pick a demo user, get a freshly minted access token in the
 * session cookie. Exists only when ENABLE_DEV_LOGIN is on and NODE_ENV is not production;
 * otherwise both GET and POST answer 404.
 */
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { DEMO_USERS } from "@mad/db";

import { getServerContext } from "../server/context.server";
import { assertSameOrigin, getOptionalUser, safeRedirectPath } from "../server/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Model Artifacts & Delivery" }];

async function requireDevLogin() {
  const context = await getServerContext();
  if (!context.devLoginEnabled) {
    throw data(
      { message: "Development login is disabled here. Sign in through the platform." },
      { status: 404, statusText: "Not Found" },
    );
  }
  return context;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireDevLogin();
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  if (await getOptionalUser(request)) throw redirect(redirectTo);
  return { redirectTo, users: DEMO_USERS.map((u) => ({ id: u.id, name: u.name, email: u.email })) };
}

const NOT_A_DEMO_USER = "Choose one of the demo users.";

const loginForm = z.object({
  userId: z.enum(DEMO_USERS.map((u) => u.id) as [string, ...string[]], {
    error: NOT_A_DEMO_USER,
  }),
  redirectTo: z.string().optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const context = await requireDevLogin();
  await assertSameOrigin(request);
  const parsed = loginForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return data({ error: parsed.error.issues[0]?.message ?? "Choose a user." }, { status: 400 });
  }
  // The schema admits only demo users' ids, so this always finds one (the check narrows).
  const user = DEMO_USERS.find((u) => u.id === parsed.data.userId);
  if (!user) return data({ error: NOT_A_DEMO_USER }, { status: 400 });
  // As long as the session cookie: an expired token sends the user back here.
  const accessToken = await context.auth.mintAccessToken(user.id, {
    expiresInSeconds: 8 * 60 * 60,
    claims: { email: user.email },
  });
  const session = await context.sessionStorage.getSession(request.headers.get("Cookie"));
  session.set("accessToken", accessToken);
  session.set("email", user.email);
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await context.sessionStorage.commitSession(session) },
  });
}

export default function Login() {
  const { users, redirectTo } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const pendingUser = navigation.state !== "idle" ? navigation.formData?.get("userId") : null;
  return (
    <section aria-labelledby="login-title" className="mx-auto max-w-md">
      <div className="card p-6 sm:p-8">
        <h1 id="login-title" className="text-2xl font-bold tracking-tight">
          Sign in
        </h1>
        <p className="mt-2 text-sm text-slate-700">
          Development login: choose a demo user. In production, users sign in through the platform.
        </p>
        <ul className="mt-6 space-y-3">
          {users.map((user) => (
            <li key={user.id}>
              <Form method="post">
                <input type="hidden" name="userId" value={user.id} />
                <input type="hidden" name="redirectTo" value={redirectTo} />
                <button
                  type="submit"
                  className="flex w-full cursor-pointer items-center justify-between rounded-lg border border-slate-200 px-4 py-3 text-left hover:border-indigo-400 hover:bg-indigo-50"
                >
                  <span>
                    <span className="block font-semibold text-slate-900">{user.name}</span>
                    <span className="block text-sm text-slate-600">{user.email}</span>
                  </span>
                  <span className="text-sm font-medium text-indigo-700" aria-hidden="true">
                    {pendingUser === user.id ? "Signing in…" : "Sign in →"}
                  </span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
