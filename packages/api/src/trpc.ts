/**
 * tRPC setup: one place decides how errors look. Validation failures become a BAD_REQUEST whose
 * message names each bad field (and `data.fieldErrors` for forms); anything unexpected is logged
 * with the request id and answered as a bare INTERNAL_SERVER_ERROR, so no internals (SQL, paths,
 * stack traces) ever reach a caller.
 */
import { initTRPC, TRPCError } from "@trpc/server";

import type { Context } from "./context";

interface ValidationIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

function validationIssuesOf(cause: unknown): ValidationIssue[] | null {
  if (typeof cause !== "object" || cause === null) return null;
  const issues = (cause as { issues?: unknown }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return null;
  return issues.filter(
    (issue): issue is ValidationIssue =>
      typeof issue === "object" &&
      issue !== null &&
      typeof (issue as { message?: unknown }).message === "string",
  );
}

function pathOf(issue: ValidationIssue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === "object" ? String(segment.key) : String(segment)))
    .join(".");
}

/** `limit: Too big: expected number to be <=100; modelId: Invalid UUID` */
export function describeIssues(issues: ValidationIssue[]): string {
  const parts = issues.slice(0, 10).map((issue) => {
    const path = pathOf(issue);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 10 ? ` (and ${issues.length - 10} more)` : "";
  return `Invalid input — ${parts.join("; ")}${more}`;
}

function flattenIssues(issues: ValidationIssue[]) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of issues) {
    const path = pathOf(issue);
    if (!path) formErrors.push(issue.message);
    else (fieldErrors[path] ??= []).push(issue.message);
  }
  return { fieldErrors, formErrors };
}

const INTERNAL_PREFIX = "Internal error (request id";

export const t = initTRPC.context<Context>().create({
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  // Subscriptions (models.events) over server-sent events: a comment every 15 s keeps proxies
  // from closing a quiet stream, and a client that hears nothing for 40 s reconnects.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
  errorFormatter({ shape, error, ctx }) {
    const issues = error.code === "BAD_REQUEST" ? validationIssuesOf(error.cause) : null;
    const requestId = ctx?.requestId ?? null;
    // Last line of defence for errors raised outside a procedure (context, batching…).
    const message =
      error.code === "INTERNAL_SERVER_ERROR" && !shape.message.startsWith(INTERNAL_PREFIX)
        ? `${INTERNAL_PREFIX} ${requestId ?? "unknown"})`
        : shape.message;
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId,
        ...(issues ? flattenIssues(issues) : {}),
      },
    };
  },
});

/**
 * Outermost middleware of every procedure: rewrites validation errors into readable ones and
 * turns unexpected failures into an opaque, logged INTERNAL_SERVER_ERROR.
 */
const errorBoundary = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (result.ok) return result;
  const error = result.error;
  if (error.code === "BAD_REQUEST") {
    const issues = validationIssuesOf(error.cause);
    if (issues)
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: describeIssues(issues),
        cause: error.cause,
      });
    return result;
  }
  if (error.code === "INTERNAL_SERVER_ERROR" && !error.message.startsWith(INTERNAL_PREFIX)) {
    ctx.logger.error(
      { requestId: ctx.requestId, path, type, err: error.cause ?? error },
      "procedure failed",
    );
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: `${INTERNAL_PREFIX} ${ctx.requestId})`,
    });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(errorBoundary);

/**
 * Every operation of the product: a verified user, and for browser-cookie sessions, mutations
 * only from our own origin (CSRF). Bearer tokens are never sent automatically by a browser, so
 * they are not CSRF-prone.
 */
export const protectedProcedure = publicProcedure.use(({ ctx, next, type }) => {
  if (!ctx.userId)
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: "Sign in required: missing or invalid access token",
    });
  if (type === "mutation" && ctx.authSource === "cookie" && !ctx.sameOrigin) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused" });
  }
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});

export { TRPCError };
