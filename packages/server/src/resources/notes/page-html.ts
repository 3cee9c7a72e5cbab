/**
 * A OneNote page as HTML. Clients create pages by posting an HTML document (`<title>` is the page
 * title, `<body>` its content) and read them back as one; Nudge stores the title and the body's
 * inner HTML and renders the document on the way out. No sanitising: Nudge is a stand-in for
 * development, and a receiver should see exactly what it wrote.
 */

export interface PageParts {
  title: string;
  body: string;
}

const TITLE = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i;
const BODY = /<body\b[^>]*>([\s\S]*?)<\/body\s*>/i;

/** Splits a posted HTML document into its title and body. A fragment without `<body>` is all body. */
export function parsePageHtml(html: string): PageParts {
  const title = TITLE.exec(html);
  const body = BODY.exec(html);
  const inner =
    body?.[1] ??
    html
      .replace(/<!DOCTYPE[^>]*>/i, "")
      .replace(/<head\b[^>]*>[\s\S]*?<\/head\s*>/i, "")
      .replace(TITLE, "")
      .replace(/<\/?html\b[^>]*>/gi, "");
  return { title: title ? textOf(title[1]!) : "", body: inner.trim() };
}

/** The page as OneNote returns it from `.../pages/{id}/content`. */
export function renderPageHtml(page: { title: string; createdAt: number }, body: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en-US">',
    "<head>",
    `<title>${escapeHtml(page.title)}</title>`,
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />',
    `<meta name="created" content="${new Date(page.createdAt).toISOString()}" />`,
    "</head>",
    `<body data-absolute-enabled="true">${body}</body>`,
    "</html>",
  ].join("\n");
}

/** Plain text of an HTML snippet: tags dropped, entities decoded, white space collapsed. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ""))
    .replace(/\s+/g, " ")
    .trim();
}

const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[name.toLowerCase()] ?? whole;
  });
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
