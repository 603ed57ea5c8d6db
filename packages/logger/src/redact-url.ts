/** Query parameters whose values are credentials: signed-URL tokens and signatures. */
const SECRET_PARAMS =
  /^(token|sig|signature|x-amz-signature|x-amz-credential|apikey|api_key|access_token|code)$/i;

/**
 * A URL (absolute or a path with a query) fit for a log line: the values of credential-bearing
 * query parameters are replaced by `[redacted]`, everything else is kept so the line stays useful.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart === -1) return url;
  const hashStart = url.indexOf("#", queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const name = equals === -1 ? pair : pair.slice(0, equals);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed name is logged as it came.
      }
      return equals !== -1 && SECRET_PARAMS.test(decoded) ? `${name}=[redacted]` : pair;
    })
    .join("&");
  return `${url.slice(0, queryStart)}?${redacted}`;
}
