import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { formatDateTime } from "../lib/format";
import { safeRedirectPath } from "../lib/safe-redirect";
import { callApi } from "../server/api-errors.server";
import { assertSameOrigin, requireUser } from "../server/session.server";
import { notificationsOfGoneModels } from "./notifications.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Model Artifacts & Delivery" }];

const cursorSchema = z.uuid().optional().catch(undefined);

export async function loader({ request }: LoaderFunctionArgs) {
  const { caller, context, user } = await requireUser(request);
  const cursor = cursorSchema.parse(new URL(request.url).searchParams.get("cursor") ?? undefined);
  const [page, unread] = await Promise.all([
    callApi(() => caller.notifications.list({ limit: 25, cursor })),
    callApi(() => caller.notifications.unreadCount()),
  ]);
  const gone = await notificationsOfGoneModels(context.db, user.id, page.notifications);
  return {
    notifications: page.notifications.map((n) => ({ ...n, modelDeleted: gone.has(n.id) })),
    nextCursor: page.next_cursor,
    unreadCount: unread.count,
    cursor: cursor ?? null,
  };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("mark-read"), id: z.uuid({ error: "Unknown notification." }) }),
  z.object({ intent: z.literal("mark-all-read") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  await assertSameOrigin(request);
  const { caller } = await requireUser(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return data(
      { error: parsed.error.issues[0]?.message ?? "That form was not understood." },
      { status: 400 },
    );
  }
  const input =
    parsed.data.intent === "mark-all-read" ? { all: true as const } : { ids: [parsed.data.id] };
  const result = await callApi(() => caller.notifications.markRead(input));
  return { updated: result.updated };
}

/** Only our own pages are linked from a notification (action_url is data, not trusted markup). */
function actionHref(url: string | null): string | null {
  if (!url) return null;
  const safe = safeRedirectPath(url, "");
  return safe.startsWith("/") ? safe : null;
}

export default function NotificationsPage() {
  const { notifications, nextCursor, unreadCount, cursor } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="mx-auto max-w-3xl">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">Notifications</h1>
          <p className="mt-1 text-sm text-slate-700">
            {unreadCount === 0 ? "You are all caught up." : `${unreadCount} unread`}
          </p>
        </div>
        {unreadCount > 0 && (
          <Form method="post">
            <input type="hidden" name="intent" value="mark-all-read" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              Mark all as read
            </button>
          </Form>
        )}
      </div>

      {notifications.length === 0 ? (
        <div className="card mt-6 p-10 text-center">
          <h2 className="text-lg font-semibold text-slate-900">No notifications yet</h2>
          <p className="mt-2 text-slate-700">
            We will tell you here when a model is ready to download.
          </p>
        </div>
      ) : (
        <ul className="mt-6 space-y-3">
          {notifications.map((notification) => {
            const href = actionHref(notification.action_url);
            const unread = notification.read_at === null;
            return (
              <li
                key={notification.id}
                className={`card flex flex-col gap-3 p-4 sm:flex-row sm:items-start sm:justify-between sm:gap-4 ${unread ? "border-l-4 border-l-indigo-600" : ""}`}
                data-testid="notification"
              >
                <div className="min-w-0 sm:flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <h2
                      id={`notification-${notification.id}`}
                      className="font-semibold text-slate-900"
                    >
                      {notification.title}
                    </h2>
                    {unread && (
                      <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-semibold text-indigo-900">
                        New
                      </span>
                    )}
                    {notification.type === "ingestion_failed" && (
                      <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-900">
                        Failed
                      </span>
                    )}
                  </div>
                  <p className="mt-1 text-sm break-words text-slate-700">{notification.message}</p>
                  {notification.modelDeleted && (
                    <p
                      className="mt-1 text-sm font-medium text-slate-800"
                      data-testid="model-deleted"
                    >
                      This model was deleted; its files are gone.
                    </p>
                  )}
                  <p className="mt-1 text-xs text-slate-600">
                    <time dateTime={notification.created_at}>
                      {formatDateTime(notification.created_at)}
                    </time>
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2 sm:shrink-0">
                  {href && !notification.modelDeleted && (
                    <Link to={href} className="btn-primary py-1.5">
                      {notification.type === "artifact_ready" ? "View model" : "Open"}
                      <span className="sr-only">: {notification.title}</span>
                    </Link>
                  )}
                  {unread && (
                    <Form method="post">
                      <input type="hidden" name="intent" value="mark-read" />
                      <input type="hidden" name="id" value={notification.id} />
                      {/* The visible words start the name (axe label-content-name-mismatch); the
                          title tells the 25 buttons apart for a screen reader. */}
                      <button type="submit" className="btn-secondary py-1.5" disabled={busy}>
                        Mark as read<span className="sr-only">: {notification.title}</span>
                      </button>
                    </Form>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <nav aria-label="More notifications" className="mt-6 flex justify-between">
        {cursor ? (
          <Link to="/notifications" className="link text-sm">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {nextCursor && (
          <Link to={`/notifications?cursor=${nextCursor}`} className="link text-sm">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
