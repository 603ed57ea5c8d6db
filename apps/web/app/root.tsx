import {
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";

import { ErrorPage, errorTitle } from "./components/ErrorPage";
import { useNonce } from "./lib/nonce";
import { skipRevalidationAfterSigning } from "./lib/revalidation";
import { useFocusAfterActions } from "./lib/use-focus-after-actions";
import { useHydrated } from "./lib/use-hydrated";
import { consumeFlash, getOptionalUser } from "./server/session.server";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => [
  { title: error ? errorTitle(error) : "Models · Model Artifacts & Delivery" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const authenticated = await getOptionalUser(request);
  if (!authenticated) return { user: null, unreadCount: 0, flash: null };
  // A one-time message from the previous action (e.g. "Deleted …"); reading it clears it.
  const flash = await consumeFlash(request);
  let unreadCount = 0;
  try {
    unreadCount = (await authenticated.caller.notifications.unreadCount()).count;
  } catch {
    // The badge is a convenience; the page must render even if the count fails.
  }
  const result = { user: authenticated.user, unreadCount, flash: flash?.message ?? null };
  return flash ? data(result, { headers: { "Set-Cookie": flash.clear } }) : result;
}

/** The header's data does not change when a model's download links are signed. */
export const shouldRevalidate = skipRevalidationAfterSigning;

export type RootLoaderData = Awaited<ReturnType<typeof loader>>;

function navClass({ isActive }: { isActive: boolean }) {
  return `rounded-md px-2 py-2 text-sm font-medium sm:px-3 ${
    isActive
      ? "bg-indigo-50 text-indigo-800"
      : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
  }`;
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  const unread = data?.unreadCount ?? 0;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
        <Link
          to="/models"
          className="flex items-center gap-2 rounded-md font-semibold text-slate-900"
        >
          <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="8" className="fill-indigo-700" />
            <path
              d="M9 22V10l7 7 7-7v12"
              fill="none"
              stroke="white"
              strokeWidth="2.5"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span className="sr-only sm:not-sr-only">Model Artifacts</span>
        </Link>
        {user && (
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavLink to="/models" className={navClass}>
              Models
            </NavLink>
            <NavLink to="/notifications" className={navClass}>
              <span className="inline-flex items-center gap-2">
                Notifications
                {unread > 0 && (
                  <span
                    className="rounded-full bg-indigo-700 px-2 py-0.5 text-xs font-bold text-white"
                    data-testid="unread-count"
                  >
                    {unread > 99 ? "99+" : unread}
                    <span className="sr-only"> unread</span>
                  </span>
                )}
              </span>
            </NavLink>
            <NavLink to="/settings/webhooks" className={navClass}>
              Webhooks
            </NavLink>
            <span className="ml-3 hidden text-sm text-slate-600 md:inline">
              {user.email ?? "Signed in"}
            </span>
            <Form method="post" action="/logout" className="ml-2">
              <button type="submit" className="btn-secondary py-1.5">
                Log out
              </button>
            </Form>
          </nav>
        )}
      </div>
    </header>
  );
}

function Flash() {
  const flash = useRouteLoaderData<typeof loader>("root")?.flash;
  if (!flash) return null;
  return (
    <p
      role="status"
      className="mb-6 rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-950"
      data-testid="flash"
    >
      {flash}
    </p>
  );
}

function PendingBar() {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <div
      aria-hidden={!busy}
      className={`h-0.5 w-full overflow-hidden ${busy ? "bg-indigo-100" : "bg-transparent"}`}
    >
      {busy && <div className="h-full w-1/3 animate-pulse bg-indigo-600" />}
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  useFocusAfterActions("main");
  // Tells a browser test that the page's script runs (a click before it is a no-JS form post).
  const hydrated = useHydrated();
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col" data-hydrated={hydrated ? "true" : undefined}>
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-4 py-2 font-semibold text-indigo-800 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Header />
        <PendingBar />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
          <Flash />
          {children}
        </main>
        <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-600">
          Model Artifacts &amp; Delivery
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage error={error} />;
}
