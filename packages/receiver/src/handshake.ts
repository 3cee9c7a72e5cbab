/**
 * The validation handshake. Nudge, SharePoint and Graph POST `?validationtoken=` (SharePoint, lower
 * case) or `?validationToken=` (Graph and native) and expect the token back within seconds as
 * text/plain with 200. Graph's token is a sentence, so it arrives URL-encoded (`+`, `%3A`) and must
 * be echoed decoded; URLSearchParams decodes both forms.
 */
export function validationTokenOf(url: string): string | null {
  const query = new URL(url, "http://receiver.invalid").searchParams;
  for (const [name, value] of query) {
    if (name.toLowerCase() === "validationtoken") return value;
  }
  return null;
}
