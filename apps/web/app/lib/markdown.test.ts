import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { Markdown } from "./markdown";

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe("Markdown (a safe subset)", () => {
  it("renders paragraphs, breaks, lists, headings and inline marks", () => {
    const out = html(
      "# Support bot\n\nAnswers **tickets** in *English*\nand `code`.\n\n- one\n- two",
    );
    expect(out).toContain('<h3 class="font-semibold text-slate-900">Support bot</h3>');
    expect(out).toContain("Answers <strong>tickets</strong> in <em>English</em><br/>and <code");
    expect(out).toContain("<li>one</li><li>two</li>");
  });

  it("links only to http(s) and mailto, never javascript:", () => {
    const out = html(
      "[docs](https://example.com/a?b=1) [bad](javascript:alert(1)) [mail](mailto:a@b.c)",
    );
    expect(out).toContain('<a href="https://example.com/a?b=1" rel="noopener noreferrer nofollow"');
    expect(out).not.toContain('javascript:alert(1)"');
    expect(out).not.toMatch(/href="javascript/);
    expect(out).toContain("[bad](javascript:alert(1))");
    expect(out).toContain('href="mailto:a@b.c"');
  });

  it("escapes every bit of HTML the user writes", () => {
    const out = html("<img src=x onerror=alert(1)> **<script>x</script>** [<b>](https://e.com)");
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<b>");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
