import { isRouteErrorResponse, Link } from "@remix-run/react";

export function ErrorPage({ error }: { error: unknown }) {
  let title = "Something went wrong";
  let message = "An unexpected error occurred. Please try again in a moment.";
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const detail =
      typeof error.data === "string"
        ? error.data
        : (error.data as { message?: string } | null)?.message;
    if (error.status === 404) {
      title = "Not found";
      message = detail ?? "We couldn't find that page.";
    } else if (error.status === 400) {
      title = "That request doesn't look right";
      message = detail ?? "Some of the values in the address are not valid.";
    } else if (error.status === 403) {
      title = "Not allowed";
      message = detail ?? "You are not allowed to do that.";
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
