/**
 * A model description's Markdown, rendered safely: a small, fixed subset — paragraphs, line
 * breaks, `-`/`*` lists, `#` headings (shown one level below the page's own), `code`, **bold**,
 * *italic* and [links](https://…) to http(s) or mailto only — built as React elements, so every
 * piece of the user's text is escaped by React and no HTML of theirs ever reaches the page.
 * Anything else stays plain text.
 */
import { Fragment, type ReactNode } from "react";

const INLINE =
  /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\*[^*\s][^*\n]*\*|_[^_\s][^_\n]*_)|(\[[^\]\n]+\]\([^)\s]+\))/g;

function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" ||
      parsed.protocol === "http:" ||
      parsed.protocol === "mailto:"
      ? parsed.href
      : null;
  } catch {
    return null;
  }
}

export function renderInline(text: string, key = "i"): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  let index = 0;
  for (const match of text.matchAll(INLINE)) {
    const start = match.index;
    if (start > last) nodes.push(text.slice(last, start));
    const [token] = match;
    const k = `${key}-${index++}`;
    if (match[1])
      nodes.push(
        <code key={k} className="rounded bg-slate-100 px-1 font-mono text-[0.9em]">
          {token.slice(1, -1)}
        </code>,
      );
    else if (match[2]) nodes.push(<strong key={k}>{token.slice(2, -2)}</strong>);
    else if (match[3]) nodes.push(<em key={k}>{token.slice(1, -1)}</em>);
    else {
      const split = token.indexOf("](");
      const label = token.slice(1, split);
      const href = safeHref(token.slice(split + 2, -1));
      nodes.push(
        href ? (
          <a
            key={k}
            href={href}
            rel="noopener noreferrer nofollow"
            className="text-sky-800 underline"
          >
            {label}
          </a>
        ) : (
          token
        ),
      );
    }
    last = start + token.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function withBreaks(lines: string[], key: string): ReactNode[] {
  return lines.flatMap((line, i) => [
    ...(i > 0 ? [<br key={`${key}-br-${i}`} />] : []),
    <Fragment key={`${key}-l-${i}`}>{renderInline(line, `${key}-${i}`)}</Fragment>,
  ]);
}

export function Markdown({ text }: { text: string }) {
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.split("\n"));
  return (
    <div className="space-y-3 text-sm text-slate-800">
      {blocks.map((lines, b) => {
        const key = `b${b}`;
        if (lines.every((line) => /^\s*[-*]\s+/.test(line))) {
          return (
            <ul key={key} className="list-disc space-y-1 pl-5">
              {lines.map((line, i) => (
                <li key={`${key}-${i}`}>
                  {renderInline(line.replace(/^\s*[-*]\s+/, ""), `${key}-${i}`)}
                </li>
              ))}
            </ul>
          );
        }
        const [, , headingText] = /^(#{1,3})\s+(.*)$/.exec(lines[0] ?? "") ?? [];
        if (headingText !== undefined && lines.length === 1) {
          return (
            <h3 key={key} className="font-semibold text-slate-900">
              {renderInline(headingText, key)}
            </h3>
          );
        }
        return <p key={key}>{withBreaks(lines, key)}</p>;
      })}
    </div>
  );
}
