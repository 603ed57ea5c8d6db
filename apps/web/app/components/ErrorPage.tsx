import { isRouteErrorResponse, Link } from "@remix-run/react";

/** The title of an error page's tab, by status. */
export function errorTitle(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404) return "Page not found · Model Artifacts & Delivery";
  if (status === 403) return "Not allowed · Model Artifacts & Delivery";
  if (status === 400) return "Bad request · Model Artifacts & Delivery";
  return "Something went wrong · Model Artifacts & Delivery";
}

/** Every error page: inside the layout (header, footer), says what happened, offers a way back. */
export function ErrorPage({ error }: { error: unknown }) {
  let title = "Something went wrong";
  let message = "An unexpected error occurred. Please try again in a moment.";
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    // Only our own answers carry a message for people ({ message }); a string is the router's
    // text ("Error: No route matches URL …") and is not shown.
    const ownMessage = (error.data as { message?: unknown } | null)?.message;
    const detail = typeof ownMessage === "string" ? ownMessage : undefined;
    if (error.status === 404) {
      title = "Not found";
      message = detail ?? "We couldn't find that page.";
    } else if (error.status === 400) {
      title = "That request doesn't look right";
      message = detail ?? "Some of the values in the address are not valid.";
    } else if (error.status === 403) {
      title = "Not allowed";
      message = detail ?? "You are not allowed to do that.";
    } else if (error.status === 405) {
      title = "That page cannot do this";
      message = detail ?? "This address does not accept that kind of request.";
    } else {
      message = detail ?? message;
    }
  }
  return (
    <section
      aria-labelledby="error-title"
      className="mx-auto max-w-xl py-16 text-center"
      data-testid="error-page"
    >
      <p className="text-sm font-semibold text-indigo-700">{status}</p>
      <h1 id="error-title" className="mt-2 text-3xl font-bold tracking-tight text-slate-900">
        {title}
      </h1>
      <p className="mt-4 text-slate-700">{message}</p>
      <div className="mt-8">
        <Link to="/models" className="btn-primary">
          Back to your models
        </Link>
      </div>
    </section>
  );
}
